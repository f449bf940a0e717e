"""Make a Vietnamese HomePage the root of the default Wagtail site.

Wagtail's own migration creates a plain "Welcome to your new Wagtail site!"
page at depth 2 and points the default site at it. We replace that page with
our HomePage so that even an empty database has a working front page at /.
"""

from django.db import migrations
from django.utils import timezone

TITLE = "Chợ OCOP Quảng Nam"
HERO_TITLE = "Sản phẩm OCOP chính hiệu của Quảng Nam"
HERO_TEXT = (
    "Mua trực tiếp từ các hợp tác xã, doanh nghiệp và hộ sản xuất trong tỉnh. "
    "Mỗi sản phẩm đều hiển thị số sao OCOP và giấy chứng nhận còn hiệu lực."
)
HERO_CTA = "Xem tất cả sản phẩm"
INTRODUCTION = (
    "<p>Chương trình Mỗi xã một sản phẩm (OCOP) đánh giá và phân hạng sản phẩm địa phương "
    "từ 3 đến 5 sao; mỗi giấy chứng nhận có hiệu lực 36 tháng kể từ ngày quyết định.</p>"
    "<p>Chợ OCOP Quảng Nam giới thiệu các sản phẩm đã được công nhận của các chủ thể trong tỉnh: "
    "doanh nghiệp, hợp tác xã, tổ hợp tác và hộ kinh doanh. Nội dung trang do Sở Công Thương "
    "tỉnh Quảng Nam biên tập. Chỉ những sản phẩm có giấy chứng nhận OCOP còn hiệu lực mới được bán.</p>"
)
FEATURED_TITLE = "Sản phẩm OCOP nổi bật"

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


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
    next_number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    home_type, _ = ContentType.objects.get_or_create(app_label="cms", model="homepage")
    now = timezone.now()
    home = HomePage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug="trang-chu",
        content_type=home_type,
        path=root.path + _step(next_number),
        depth=2,
        numchild=0,
        url_path="/trang-chu/",
        locale_id=root.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        hero_title=HERO_TITLE,
        hero_text=HERO_TEXT,
        hero_cta_text=HERO_CTA,
        introduction=INTRODUCTION,
        featured_title=FEATURED_TITLE,
        featured_min_stars=4,
        featured_count=8,
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
    HomePage.objects.filter(depth=2, slug="trang-chu").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
