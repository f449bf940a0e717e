"""The demo data: real products, honest certificates, idempotent loading, demo accounts."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.sites.models import Site
from django.db import transaction
from django.test import override_settings
from oscar.core.loading import get_class, get_model
from PIL import Image

from catalog import demo

Product = get_model("catalogue", "Product")
Producer = get_model("catalogue", "Producer")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")


# One worker runs the whole module under `make test` (pytest-xdist's --dist loadgroup), so that the demo
# is loaded once.
pytestmark = pytest.mark.xdist_group("demo")


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for the module, and rolled back after it (images in a temporary folder)."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        with transaction.atomic():
            summary = demo.load_demo()
            yield {"summary": summary, "media": media}
            transaction.set_rollback(True)


def row_counts() -> dict[str, int]:
    return {
        "products": Product.objects.count(),
        "producers": Producer.objects.count(),
        "partners": Partner.objects.count(),
        "certificates": OcopCertificate.objects.count(),
        "stock records": StockRecord.objects.count(),
        "images": ProductImage.objects.count(),
        "users": get_user_model().objects.count(),
    }


def is_available_to_buy(product) -> bool:
    return Selector().strategy().fetch_for_product(product).availability.is_available_to_buy


def test_loading_the_demo_twice_gives_the_same_rows_and_prices(loaded, db, settings):
    settings.MEDIA_ROOT = str(loaded["media"])
    counts = row_counts()
    # A sales point's shelf carries the producer's SKU too: key each record by its partner as well.
    prices = set(StockRecord.objects.values_list("partner_id", "partner_sku", "price"))

    summary = demo.load_demo()

    assert row_counts() == counts
    assert set(StockRecord.objects.values_list("partner_id", "partner_sku", "price")) == prices
    assert summary.images_created == 0


def test_the_43_real_products_exist_with_their_producers_and_districts(loaded, db):
    products = Product.objects.select_related("producer__partner", "producer__district")

    assert products.count() == 43
    assert all(product.producer and product.producer.district for product in products)
    duy_trinh = products.get(title="Nước mắm Duy Trinh")
    assert duy_trinh.producer.name == "Cơ sở nước mắm Duy Trinh"
    assert duy_trinh.producer.district.name == "Duy Xuyên"
    assert duy_trinh.categories.get().code == "food"
    assert Product.objects.filter(producer__partner__name="HTX Bảo Tâm").count() == 2


def test_a_known_five_star_product_has_its_real_central_certificate(loaded, db):
    product = Product.objects.get(title="Bánh dừa nướng Quý Thu")
    certificate = product.current_certificate

    assert certificate.stars == 5
    assert certificate.level == OcopCertificate.Level.CENTRAL
    assert certificate.decision_number == "377/QĐ"
    assert certificate.decision_date == datetime.date(2025, 1, 17)
    assert certificate.kind == OcopCertificate.Kind.NEW
    assert is_available_to_buy(product)


def test_demo_descriptions_show_as_paragraphs_in_both_languages(loaded, db, client, settings):
    settings.MEDIA_ROOT = str(loaded["media"])
    product = Product.objects.get(title="Bánh dừa nướng Quý Thu")

    page = client.get(product.get_absolute_url()).content.decode()
    assert "<p>Sản phẩm được công nhận OCOP 5 sao năm" in page
    assert "&lt;p&gt;" not in page

    client.cookies["django_language"] = "en"
    page = client.get(product.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>Certified as a 5-star OCOP product in" in page
    assert "<p>Pictures, prices and stock are illustrative.</p>" in page


def test_a_published_score_is_kept(loaded, db):
    certificate = Product.objects.get(title="Tiêu Tiên Phước").certificates.get(kind=OcopCertificate.Kind.NEW)

    assert certificate.score == Decimal("70.9")
    assert certificate.stars == 4


def test_a_certificate_known_only_by_year_says_its_date_is_estimated(loaded, db):
    certificate = Product.objects.get(title="Dầu mè đen").certificates.get(kind=OcopCertificate.Kind.NEW)

    assert certificate.decision_date == datetime.date(2019, 7, 1)
    assert certificate.decision_number == ""
    assert "ước tính" in certificate.note


def test_some_products_stay_lapsed_without_a_badge_and_cannot_be_bought(loaded, db):
    lapsed = [product for product in Product.objects.prefetch_related("certificates") if product.certificate_lapsed]

    assert len(lapsed) >= 5
    assert sorted(product.title for product in lapsed) == sorted(loaded["summary"].lapsed)
    for product in lapsed:
        assert product.ocop_stars is None
        assert not product.certificates.filter(kind=OcopCertificate.Kind.RENEWAL).exists()
        assert not is_available_to_buy(product)


def test_most_products_can_be_bought(loaded, db):
    buyable = [product for product in Product.objects.all() if is_available_to_buy(product)]

    assert len(buyable) > 30


def test_demo_renewals_are_marked_and_keep_the_stars_at_the_level_certifying_them_today(loaded, db):
    renewals = OcopCertificate.objects.filter(kind=OcopCertificate.Kind.RENEWAL).select_related("product")
    level_since_2023 = {3: "district", 4: "province", 5: "central"}

    assert renewals.count() > 30
    assert renewals.filter(stars=3).exists()
    for renewal in renewals:
        original = renewal.product.certificates.get(kind=OcopCertificate.Kind.NEW)
        assert renewal.decision_number.startswith("DEMO-GH-")
        assert renewal.note == "Gia hạn minh hoạ (dữ liệu demo)"
        assert renewal.stars == original.stars
        assert renewal.decision_date.year >= 2023
        assert renewal.level == level_since_2023[renewal.stars]
        assert renewal.is_valid
        renewal.full_clean()


def test_prices_are_whole_thousands_of_dong_and_stock_belongs_to_the_producer(loaded, db):
    # The producers' own records (a demo sales point's shelf is priced by them, see test_demo_sales_points...).
    for record in StockRecord.objects.filter(partner__outlet__isnull=True).select_related("product__producer"):
        assert record.price > 0
        assert record.price % 1000 == 0
        assert record.price_currency == "VND"
        assert record.partner_id == record.product.producer.partner_id


def test_every_product_has_a_drawn_picture(loaded, db, settings):
    settings.MEDIA_ROOT = str(loaded["media"])

    for picture in ProductImage.objects.all():
        with picture.original.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
            image.verify()
        assert image.size == (600, 600)
    assert ProductImage.objects.values("product").distinct().count() == 43


def test_demo_accounts_sign_in_by_email_with_their_roles(loaded, db, rf):
    request = rf.get("/")
    customer = authenticate(request, username="khachhang@demo.ocop.vn", password=demo.DEMO_PASSWORD)
    producer = authenticate(request, username="nhasanxuat@demo.ocop.vn", password=demo.DEMO_PASSWORD)
    editor = authenticate(request, username="bientap@demo.ocop.vn", password=demo.DEMO_PASSWORD)
    admin = authenticate(request, username="admin@demo.ocop.vn", password=demo.DEMO_PASSWORD)

    assert customer is not None and not customer.is_staff
    assert list(producer.partners.values_list("name", flat=True)) == ["HTX Bảo Tâm"]
    assert editor.has_perm("wagtailadmin.access_admin") and not editor.is_superuser
    assert admin.is_superuser and admin.is_staff


def test_the_editor_can_edit_the_home_page_in_the_wagtail_admin(loaded, db, client):
    from wagtail.models import Site as WagtailSite

    editor = get_user_model().objects.get(email="bientap@demo.ocop.vn")
    home = WagtailSite.objects.get(is_default_site=True).root_page
    client.force_login(editor)

    assert home.permissions_for_user(editor).can_publish()
    response = client.get(f"/cms-admin/pages/{home.pk}/edit/")
    assert response.status_code == 200
    assert 'name="hero_title"' in response.content.decode()


def test_the_site_is_named_after_the_shop(loaded, db):
    site = Site.objects.get_current()

    assert site.domain == "127.0.0.1:8000"
    assert site.name == "Chợ OCOP Quảng Nam"


def test_decisions_parse_into_number_and_date():
    assert demo.parse_decision("377/QĐ (17/01/2025)") == ("377/QĐ", datetime.date(2025, 1, 17))
    assert demo.parse_decision("14/QĐ-UBND (03/01/2020)") == ("14/QĐ-UBND", datetime.date(2020, 1, 3))
    assert demo.parse_decision("") == ("", None)


def test_an_estimated_decision_date_is_never_in_the_future():
    assert demo.estimated_decision_date(2019, today=datetime.date(2026, 11, 28)) == datetime.date(2019, 7, 1)
    assert demo.estimated_decision_date(2026, today=datetime.date(2026, 3, 1)) == datetime.date(2026, 3, 1)


def test_a_renewal_is_dated_only_once_the_certificate_has_lapsed():
    today = datetime.date(2026, 11, 28)

    assert demo.renewal_date(datetime.date(2025, 1, 17), today=today) is None
    assert demo.renewal_date(datetime.date(2023, 7, 1), today=today) == datetime.date(2026, 7, 1)
    assert demo.renewal_date(datetime.date(2019, 7, 1), today=today) == datetime.date(2025, 7, 1)


def test_demo_sales_points_cover_some_former_districts_and_their_stock_equals_the_ledger(loaded, db, rf):
    from outlets.models import Outlet
    from outlets.selectors import ledger_problems

    points = Outlet.objects.filter(is_demo=True)
    covered = set(points.values_list("former_district__name", flat=True))
    manager = authenticate(rf.get("/"), username="diemban@demo.ocop.vn", password=demo.DEMO_PASSWORD)

    assert points.count() == 6 and {"Hội An", "Tam Kỳ", "Điện Bàn"} <= covered
    assert "Tây Giang" not in covered  # left without a point, for the coverage report
    assert all("(demo)" in name for name in points.values_list("name", flat=True))
    assert list(manager.managed_outlets.values_list("name", flat=True)) == ["Điểm bán OCOP Hội An (demo)"]
    assert StockRecord.objects.filter(partner__outlet__in=points, num_in_stock__gt=0).count() > 40
    assert ledger_problems() == []
