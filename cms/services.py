"""Writes to the CMS pages."""

from django.conf import settings
from django.db import transaction
from oscar.core.loading import get_model
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms import models as cms_models
from cms.content import HOME_PAGE_CONTENT, HOME_PAGE_CONTENT_EN, HOME_PAGE_SLUG, SECTIONS
from cms.models import CampaignPage, HomePage
from cms.offers import BENEFIT_CLASSES

ConditionalOffer = get_model("offer", "ConditionalOffer")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
Product = get_model("catalogue", "Product")


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


def end_campaign_offer(*, campaign: CampaignPage) -> ConditionalOffer | None:
    """Suspend the campaign's offer (unpublished, deleted, or no discount any more): no price changes any more."""
    offer = campaign.offer
    if offer is not None and offer.status != ConditionalOffer.SUSPENDED:
        offer.status = ConditionalOffer.SUSPENDED
        offer.save(update_fields=["status"])
    return offer


@transaction.atomic
def sync_campaign_offer(*, campaign: CampaignPage) -> ConditionalOffer | None:
    """Keep the campaign's Oscar offer in step with the page: call after publish, unpublish and delete.

    A live campaign with a discount has one open site offer over its products (or its
    group), valid from the campaign's start to its end, with the budget and the
    per-customer limit; anything else (no discount, unpublished, deleted) leaves the
    offer suspended, so that no price anywhere changes. Orders already placed keep
    their discount and the offer stays for the campaign's report.
    """
    offer = campaign.offer
    if not (campaign.live and campaign.discount_kind and campaign.discount_value):
        return end_campaign_offer(campaign=campaign)

    name = f"Chiến dịch #{campaign.pk}: {campaign.title}"[:128]
    if offer is None:
        product_range = Range.objects.create(name=name, includes_all_products=False)
        condition = Condition.objects.create(type=Condition.COUNT, value=1, range=product_range)
        benefit = Benefit.objects.create(range=product_range, value=campaign.discount_value)
        offer = ConditionalOffer(condition=condition, benefit=benefit, offer_type=ConditionalOffer.SITE)
    product_range = offer.benefit.range
    product_range.name = name
    product_range.save()
    if campaign.discount_scope == CampaignPage.DiscountScope.GROUP:
        product_range.included_products.clear()
        product_range.included_categories.set([campaign.discount_group])
    else:
        product_range.included_categories.clear()
        product_range.included_products.set(Product.objects.filter(pk__in=campaign.listed_product_ids()))

    benefit = offer.benefit
    benefit.type = ""
    benefit_class = BENEFIT_CLASSES[campaign.discount_kind]
    benefit.proxy_class = f"{benefit_class.__module__}.{benefit_class.__name__}"
    benefit.value = campaign.discount_value
    benefit.save()

    offer.name = name
    offer.description = campaign.summary
    offer.start_datetime = campaign.starts_at
    offer.end_datetime = campaign.ends_at
    offer.max_discount = campaign.budget
    offer.max_user_applications = campaign.per_customer_limit
    offer.exclusive = True
    offer.status = ConditionalOffer.OPEN
    offer.save()
    if campaign.offer_id != offer.pk:
        CampaignPage.objects.filter(pk=campaign.pk).update(offer=offer)
        campaign.offer = offer
    return offer
