"""Writes to the CMS pages."""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms import models as cms_models
from cms.content import HOME_PAGE_CONTENT, HOME_PAGE_CONTENT_EN, HOME_PAGE_SLUG, SECTIONS
from cms.models import HomePage


@transaction.atomic
def ensure_home_page() -> HomePage:
    """The default site's HomePage, created with its first content when missing.

    The migration does this for a new database; this is for databases emptied
    since (browser tests flush every table between tests).
    """
    home = HomePage.objects.order_by("path").first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
            locale, _created = Locale.objects.get_or_create(language_code=language)
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        home = root.add_child(
            instance=HomePage(
                slug=HOME_PAGE_SLUG, draft_title=HOME_PAGE_CONTENT["title"], **HOME_PAGE_CONTENT, **HOME_PAGE_CONTENT_EN
            )
        )
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=HOME_PAGE_CONTENT["title"]
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    return home


@transaction.atomic
def ensure_site_structure() -> HomePage:
    """The home page and, under it, the campaigns, events and news sections (each created when missing)."""
    home = ensure_home_page()
    for model_name, content in SECTIONS.items():
        model = getattr(cms_models, model_name)
        if not model.objects.exists():
            home.add_child(instance=model(draft_title=content["title"], **content))
            home.refresh_from_db()
    return home
