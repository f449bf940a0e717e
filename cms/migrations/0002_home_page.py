"""Make a Vietnamese HomePage the root of the default Wagtail site.

Wagtail's own migration creates a plain "Welcome to your new Wagtail site!"
page at depth 2 and points the default site at it. We replace that page with
our HomePage so that even an empty database has a working front page at /.
"""

from django.db import migrations
from django.utils import timezone
from wagtail.models import Page as TreePaths  # only treebeard's path arithmetic (class methods, no queries)

from cms.content import HOME_PAGE_CONTENT, HOME_PAGE_SLUG

TITLE = HOME_PAGE_CONTENT["title"]


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")

    if HomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:  # wagtailcore's initial data was removed: nothing to attach to
        return

    page_type = ContentType.objects.get_for_model(Page)
    Page.objects.filter(content_type=page_type, depth=2, slug="home", numchild=0).delete()

    children = Page.objects.filter(depth=2, path__startswith=root.path)
    last = children.order_by("-path").values_list("path", flat=True).first()
    next_number = TreePaths._str2int(last[-TreePaths.steplen :]) + 1 if last else 1
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    now = timezone.now()
    home = HomePage.objects.create(
        draft_title=TITLE,
        slug=HOME_PAGE_SLUG,
        content_type=home_type,
        path=TreePaths._get_path(root.path, 2, next_number),
        depth=2,
        numchild=0,
        url_path=f"/{HOME_PAGE_SLUG}/",
        locale_id=root.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        **HOME_PAGE_CONTENT,
    )
    root.numchild = Page.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=TITLE)
    else:
        site.root_page = home
        site.site_name = TITLE
        site.save(update_fields=["root_page", "site_name"])


def remove_home_page(apps, schema_editor):
    HomePage = apps.get_model("cms.HomePage")
    HomePage.objects.filter(depth=2, slug=HOME_PAGE_SLUG).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
