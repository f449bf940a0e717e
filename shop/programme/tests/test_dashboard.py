"""The Department's programme dashboard: who reaches it, each figure from the records, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from catalog import ocop
from catalog.tests.factories import CertificateFactory, ProducerFactory, ProductFactory
from shop.order.tests.factories import place_order
from shop.programme import selectors

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Order = get_model("order", "Order")
User = get_user_model()


def period(start="2019-01-01", end=None) -> selectors.Period:
    return selectors.Period(datetime.date.fromisoformat(start), end or timezone.localdate())


def table(slug: str, start="2019-01-01"):
    """One figure, worded in English."""
    with translation.override("en"):
        figures = selectors.programme_figures(period(start), timezone.localdate())
    return next(t for t in figures if t.slug == slug)


def certify(product, day: str, stars: int = 3, **kwargs):
    level = {3: "district", 4: "province", 5: "central"}[stars]
    return CertificateFactory(
        product=product,
        stars=stars,
        score=None,
        level=level,
        decision_date=datetime.date.fromisoformat(day),
        decision_number=f"{day}/{stars}",
        **kwargs,
    )


# --- Who reaches it -------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("programme:dashboard"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_customers_and_producers_are_refused(client):
    client.force_login(User.objects.create_user("khach", "khach@example.vn", "x"))
    assert client.get(reverse("programme:dashboard")).status_code == 403


def test_staff_reach_the_dashboard(admin_client):
    page = admin_client.get(reverse("programme:dashboard"))
    assert page.status_code == 200


def test_department_users_reach_the_dashboard(client):
    editor = User.objects.create_user("bientap", "bientap@so.vn", "x")
    editor.user_permissions.add(Permission.objects.get(codename="view_ocopcertificate"))
    client.force_login(editor)
    assert client.get(reverse("programme:dashboard")).status_code == 200


# --- Figures --------------------------------------------------------------------------


def test_new_upgraded_and_lapsed_products_by_year():
    upgraded = ProductFactory()
    certify(upgraded, "2020-03-01", stars=3)
    certify(upgraded, "2023-02-01", stars=4)  # renewed with more stars before lapsing: upgraded, not lapsed
    lapsed = ProductFactory()
    certify(lapsed, "2021-06-10", stars=3)  # never renewed: lapses on 10/06/2024
    same_stars = ProductFactory()
    certify(same_stars, "2020-05-01", stars=3)
    certify(same_stars, "2023-04-01", stars=3)  # a renewal at the same stars is neither new nor upgraded

    rows = {row[0]: row[1:] for row in table("by-year").rows}

    assert rows[2020] == [2, 0, 0]
    assert rows[2021] == [1, 0, 0]
    assert rows[2023] == [0, 1, 0]
    assert rows[2024] == [0, 0, 1]
    by_year = table("by-year")
    assert by_year.gap == "197 new and 199 upgraded still to go"


def test_five_star_products_against_the_target_of_five():
    for _ in range(2):
        certify(ProductFactory(), str(timezone.localdate() - datetime.timedelta(days=30)), stars=5)
    certify(ProductFactory(), str(timezone.localdate() - datetime.timedelta(days=30)), stars=4)

    stars = table("by-stars")

    assert stars.rows == [["3★", 0], ["4★", 1], ["5★", 2]]
    assert stars.gap == "3 more 5★ products needed"


def test_the_gaps_read_as_vietnamese_sentences_on_a_vietnamese_page():
    recent = str(timezone.localdate() - datetime.timedelta(days=60))
    for _ in range(3):
        certify(ProductFactory(producer=ProducerFactory(commune="Xã Trà Giác")), recent)

    with translation.override("vi"):
        figures = {t.slug: t for t in selectors.programme_figures(period("2019-01-01"), timezone.localdate())}
        by_year, by_commune = str(figures["by-year"].gap), str(figures["by-commune"].gap)

    # Shown after "Còn thiếu:", the gap does not say "còn thiếu" again; the average has a decimal comma.
    assert by_year == "197 sản phẩm mới và 200 sản phẩm nâng hạng"
    assert by_commune.startswith("bình quân 0,01 trên ")


def test_products_per_commune_and_the_province_average():
    recent = str(timezone.localdate() - datetime.timedelta(days=60))
    for commune, count in (("Xã Trà Giác", 3), ("Phường Hội An", 1)):
        producer = ProducerFactory(commune=commune)
        for _ in range(count):
            certify(ProductFactory(producer=producer), recent)
    certify(ProductFactory(), "2019-01-05")  # lapsed: not counted

    communes = table("by-commune")

    assert communes.rows == [["Xã Trà Giác", 3], ["Phường Hội An", 1]]
    assert communes.average == (Decimal(4) / selectors.PROVINCE_COMMUNES).quantize(Decimal("0.01"))
    assert communes.gap.endswith(f"{2 * selectors.PROVINCE_COMMUNES - 4} more products needed")


def test_sales_points_per_former_district_against_one_to_two():
    from outlets.tests.factories import make_outlet

    hoi_an = District.objects.get(name="Hội An")
    make_outlet(district=hoi_an)
    make_outlet(district=hoi_an)
    make_outlet(district=hoi_an, kind="partner_shop")  # not an OCOP sales point
    make_outlet(district=District.objects.get(name="Tam Kỳ"), is_open=False)  # closed

    districts = table("by-district")

    rows = {row[0]: row[2] for row in districts.rows}
    assert (rows["Hội An"], rows["Tam Kỳ"]) == (2, 0)
    assert districts.gap == f"{District.objects.count() - 1} districts without a sales point"


def test_producers_by_kind():
    ProducerFactory(kind="household")
    ProducerFactory(kind="household")
    ProducerFactory(kind="enterprise")

    with translation.override("en"):
        rows = {str(kind): count for kind, count in table("producers").rows}

    assert (rows["Household business"], rows["Enterprise"], rows["Cooperative (HTX)"]) == (2, 1, 0)


def test_revenue_by_year_with_year_on_year_growth():
    from catalog.tests.factories import make_certified_product

    product = make_certified_product(price=Decimal("100000"), stock=50)
    for year, quantity in ((2023, 2), (2024, 3), (2025, 3)):
        order = place_order((product, quantity))
        Order.objects.filter(pk=order.pk).update(date_placed=timezone.make_aware(datetime.datetime(year, 6, 1)))

    rows = {row[0]: row[1:] for row in table("revenue-by-year", start="2023-01-01").rows}

    assert rows[2023] == [Decimal("200000"), None]
    assert rows[2024] == [Decimal("300000"), Decimal("50.0")]
    assert rows[2025] == [Decimal("300000"), Decimal("0.0")]
    assert table("revenue-by-year", start="2023-01-01").gap.startswith("no growth in 2025")


def in_group(product, code: str):
    product.categories.add(Category.objects.get(depth=1, code=code))
    return product


def test_products_with_a_valid_certificate_by_product_group():
    recent = str(timezone.localdate() - datetime.timedelta(days=60))
    for code, count in (("food", 2), ("handicraft", 1)):
        for _ in range(count):
            certify(in_group(ProductFactory(), code), recent)
    certify(in_group(ProductFactory(), "herbal"), "2019-01-05")  # lapsed: not counted

    assert dict(table("by-group").rows) == {"Food": 2, "Handicrafts": 1}


def test_revenue_by_month_by_group_and_by_former_district_counts_only_orders_that_brought_money():
    from catalog.tests.factories import make_certified_product

    hoi_an = ProducerFactory(district=District.objects.get(name="Hội An"))
    tam_ky = ProducerFactory(district=District.objects.get(name="Tam Kỳ"))
    tea = in_group(make_certified_product(price=Decimal("100000"), stock=50, producer=hoi_an), "food")
    mat = in_group(make_certified_product(price=Decimal("50000"), stock=50, producer=tam_ky), "handicraft")
    placed = [
        ((tea, 2), datetime.datetime(2024, 3, 15), "placed"),
        ((mat, 1), datetime.datetime(2024, 3, 20), "completed"),
        ((tea, 1), datetime.datetime(2024, 5, 1), "processing"),
        ((mat, 4), datetime.datetime(2024, 5, 2), "cancelled"),  # no money came in
        ((mat, 3), datetime.datetime(2024, 5, 3), "payment_failed"),
    ]
    for item, day, status in placed:
        order = place_order(item)
        Order.objects.filter(pk=order.pk).update(date_placed=timezone.make_aware(day), status=status)

    with translation.override("en"):
        figures = {t.slug: t for t in selectors.programme_figures(period("2024-01-01"), timezone.localdate())}

    assert figures["revenue-by-month"].rows == [["03/2024", Decimal("250000")], ["05/2024", Decimal("100000")]]
    assert dict(figures["revenue-by-group"].rows) == {"Food": Decimal("300000"), "Handicrafts": Decimal("50000")}
    assert dict(figures["revenue-by-district"].rows) == {"Hội An": Decimal("300000"), "Tam Kỳ": Decimal("50000")}


def test_the_date_picker_narrows_every_figure_to_the_period(admin_client):
    certify(ProductFactory(), "2020-03-01")
    certify(ProductFactory(), "2023-03-01")

    response = admin_client.get(
        reverse("programme:dashboard"), {"from": "2023-01-01", "to": "2023-12-31", "export": "by-year"}
    )

    assert response.content.decode("utf-8-sig").splitlines()[1:] == ["2023,1,0,1"]  # 1 new; the 2020 one lapsed


def test_the_renewal_pipeline_lists_certificates_lapsing_within_90_days_with_whom_to_call():
    today = timezone.localdate()
    producer = ProducerFactory(phone="0905 123 456", email="htx@example.vn")
    soon = ProductFactory(producer=producer, title="Trà xanh Tiên Phước")
    decided = ocop.add_months(today, -36) + datetime.timedelta(days=20)  # lapses in 20 days
    certify(soon, str(decided))
    certify(ProductFactory(title="Còn lâu"), str(today - datetime.timedelta(days=10)))

    rows = table("renewals").rows

    assert [row[1] for row in rows] == ["Trà xanh Tiên Phước"]
    assert "0905 123 456" in rows[0][5]


def test_each_table_exports_as_csv(admin_client):
    certify(ProductFactory(), "2024-01-10", stars=4)
    response = admin_client.get(reverse("programme:dashboard"), {"export": "by-stars"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[2] == "4★,1"


# --- Constant queries -----------------------------------------------------------------


def bulk_certificates(count: int) -> None:
    """``count`` verified certificates on 100 products, decided over six years (bulk: no save())."""
    products = [ProductFactory() for _ in range(100)]
    start = datetime.date(2019, 1, 1)
    rows = []
    for index in range(count):
        decided = start + datetime.timedelta(days=(index * 7) % 2190)
        stars = 3 + index % 2
        rows.append(
            OcopCertificate(
                product=products[index % 100],
                stars=stars,
                level="district" if stars == 3 else "province",
                decision_number=f"{index}/QĐ",
                decision_date=decided,
                valid_until=ocop.certificate_expiry(decided),
                status="verified",
            )
        )
    OcopCertificate.objects.bulk_create(rows, batch_size=2000)


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("programme:dashboard")).status_code == 200
    return len(queries)


@pytest.mark.slow
def test_the_dashboard_runs_the_same_queries_for_1000_and_10000_certificates(admin_client):
    bulk_certificates(1_000)
    dashboard_queries(admin_client)
    thousand = dashboard_queries(admin_client)

    bulk_certificates(9_000)
    assert OcopCertificate.objects.count() == 10_000
    assert dashboard_queries(admin_client) == thousand
