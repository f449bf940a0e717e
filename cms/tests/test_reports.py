"""The campaign report: orders, units, revenue, discount and buyers during the window and the same time before."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.tests.factories import DistrictFactory, ProducerFactory, make_certified_product
from cms.reports import campaign_report
from cms.tests.factories import make_campaign, place_order

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


@pytest.fixture
def campaign_with_sales(sections, django_user_model):
    """A 10% campaign running for 3 days: two orders in it, one the day before it, one cancelled."""
    producer = ProducerFactory(district=DistrictFactory(name="Đại Lộc"))
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"), producer=producer)
    other = make_certified_product(title="Nước mắm không khuyến mãi", price=Decimal("90000"))
    starts_in = datetime.timedelta(days=-3)
    place_order((tea, 1), email="binh@example.vn", placed_at=timezone.now() + starts_in - datetime.timedelta(days=1))
    campaign = make_campaign(products=[tea], percent=10, starts_in=starts_in)
    customer = django_user_model.objects.create_user(username="lan", email="lan@example.vn", password="pw-12345678")

    place_order((tea, 2), (other, 1), email="an@example.vn")
    place_order((tea, 1), user=customer)
    cancelled = place_order((tea, 5), email="huy@example.vn")
    Order.objects.filter(pk=cancelled.pk).update(status="cancelled")
    campaign.tea = tea
    return campaign


def test_the_report_counts_the_campaign_products_sold_in_the_window_and_before(campaign_with_sales):
    report = campaign_report(campaign_with_sales)

    during, before = report.total.during, report.total.before
    assert (during.orders, during.units, during.revenue, during.discount, during.buyers) == (
        2,
        3,
        Decimal("405000"),
        Decimal("45000"),
        2,
    )
    assert (before.orders, before.units, before.revenue, before.discount, before.buyers) == (
        1,
        1,
        Decimal("150000"),
        Decimal("0"),
        1,
    )
    assert report.before[1] - report.before[0] == report.window[1] - report.window[0]
    assert [row.name for row in report.rows["product"]] == ["Trà sâm"]
    assert [row.name for row in report.rows["district"]] == ["Đại Lộc"]
    assert report.rows["producer"][0].during.revenue == Decimal("405000")


def test_the_editor_reads_the_report_with_its_chart_and_downloads_the_csv(
    campaign_with_sales, editor_client, django_assert_max_num_queries
):
    url = f"/cms-admin/campaign-reports/{campaign_with_sales.pk}/"

    with django_assert_max_num_queries(40):
        response = editor_client.get(url)
    csv_response = editor_client.get(url + "?format=csv")

    page = response.content.decode()
    assert response.status_code == 200
    assert "405.000" in page or "405,000" in page
    assert "<svg" in page and "Trà sâm" in page
    assert "Đại Lộc" in page
    rows = csv_response.content.decode().splitlines()
    assert csv_response["Content-Type"].startswith("text/csv")
    assert any(row.startswith("Tổng cộng,") and ",2,3,405000,45000,2,1,1,150000,1" in row for row in rows)


def test_the_reports_menu_lists_the_campaigns(campaign_with_sales, editor_client):
    page = editor_client.get("/cms-admin/campaign-reports/").content.decode()

    assert campaign_with_sales.title in page
    assert f"/cms-admin/campaign-reports/{campaign_with_sales.pk}/" in page


def test_a_customer_cannot_read_campaign_reports(campaign_with_sales, client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="khach", password="pw-12345678"))

    response = client.get(f"/cms-admin/campaign-reports/{campaign_with_sales.pk}/?format=csv")

    assert response.status_code in (302, 403)
    assert "405000" not in response.content.decode()


def test_a_campaign_not_started_yet_has_an_empty_report(sections):
    campaign = make_campaign(products=[make_certified_product()], starts_in=datetime.timedelta(days=5))

    report = campaign_report(campaign, now=timezone.now())

    assert report.total.during.orders == 0 and report.total.before.orders == 0
