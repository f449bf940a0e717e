from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.tests.factories import DistrictFactory, make_certified_product
from outlets import services
from outlets.tests.factories import make_outlet, manager, stock_at

pytestmark = pytest.mark.django_db


def test_the_coverage_report_lists_districts_without_a_point_first_with_stock_value_and_sellers(client, admin_user):
    ana = manager("ana@example.vn")
    DistrictFactory(name="Tây Giang", slug="tay-giang")
    point = make_outlet(name="Điểm Hội An", managers=[ana])
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    mat = make_certified_product(title="Chiếu cói", price=Decimal("90000"))
    stock_at(point, tea, 10)
    stock_at(point, mat, 2)
    services.record_movement(outlet=point, product=tea, kind="sale", quantity=4, by=ana)
    client.force_login(admin_user)

    response = client.get(reverse("outlets:coverage"))

    districts = response.context["districts"]
    without = [d.name for d in districts if d.points == 0]
    assert "Tây Giang" in without and [d.name for d in districts[: len(without)]] == without  # listed first
    assert [d.status for d in districts if d.name == "Hội An"] == ["met"]
    (report,) = response.context["points"]
    assert report.units == 8 and report.value == Decimal(6 * 150000 + 2 * 90000)
    assert report.best() == [("Trà sâm", 4)]
    assert report.slowest()[0] == ("Chiếu cói", 0)
    html = response.content.decode()
    assert 'data-status="none"' in html and "Tây Giang" in html

    exported = client.get(reverse("outlets:coverage"), {"format": "csv"}).content.decode()
    assert "Tây Giang,0,none" in exported
    assert "Điểm Hội An,Hội An,8,1080000,Trà sâm (4)" in exported
