import pytest

from catalog.tests.factories import DistrictFactory
from outlets import csv_io
from outlets.models import Outlet
from outlets.tests.factories import make_outlet, manager

pytestmark = pytest.mark.django_db

HEADER = ",".join(csv_io.COLUMNS) + "\n"


def test_a_dry_run_checks_every_row_and_saves_nothing():
    DistrictFactory(name="Hội An", slug="hoi-an")
    data = (
        HEADER
        + ",Điểm bán OCOP Hội An,sales_point,10 Trần Phú,,Hội An,48,Hội An,15.8801,108.338,7:00–21:00,0235 1,yes,\n"
    )

    result = csv_io.import_csv(data.encode(), dry_run=True)

    assert (result.created, result.errors) == (1, [])
    assert not Outlet.objects.exists()


def test_one_bad_row_saves_nothing_and_each_error_names_its_row_and_column():
    DistrictFactory(name="Hội An", slug="hoi-an")
    data = (
        HEADER
        + ",Điểm tốt,sales_point,1 Lê Lợi,20410,,48,hoi-an,15.88,108.33,,,yes,\n"
        + ",Điểm xấu,castle,2 Lê Lợi,1,,48,Atlantis,abc,108.33,,,yes,ai@example.vn\n"
    )

    result = csv_io.import_csv(data.encode(), dry_run=False)

    assert not Outlet.objects.exists()
    for column in ("kind", "ward_code", "former_district", "latitude", "managers"):
        assert any(error.startswith(f"Dòng 3, cột {column}: ") for error in result.errors), column
    assert not any(error.startswith("Dòng 2") for error in result.errors)


def test_import_creates_then_updates_by_slug_and_export_gives_the_same_rows():
    DistrictFactory(name="Hội An", slug="hoi-an")
    ana = manager("ana@example.vn")
    data = (
        HEADER
        + ",Điểm bán OCOP Hội An,district_centre,10 Trần Phú,20410,,48,Hội An,15.8801,108.338,,,yes,ana@example.vn\n"
    )
    assert csv_io.import_csv(data.encode(), dry_run=False).created == 1
    outlet = Outlet.objects.get()
    assert (outlet.ward_name, outlet.province_name, list(outlet.managers.all())) == (
        "Phường Hội An",
        "Thành phố Đà Nẵng",
        [ana],
    )

    exported = csv_io.export_csv(Outlet.objects.all())
    changed = exported.replace("10 Trần Phú", "12 Trần Phú")
    result = csv_io.import_csv(changed.encode(), dry_run=False)

    assert (result.created, result.updated, result.errors) == (0, 1, [])
    assert Outlet.objects.get().street == "12 Trần Phú"
    assert csv_io.export_csv(Outlet.objects.all()) == changed


def test_an_unknown_slug_is_an_error_not_a_new_point():
    make_outlet()
    data = HEADER + "khong-co,Điểm,sales_point,1 Lê Lợi,20410,,48,Hội An,15.88,108.33,,,yes,\n"
    result = csv_io.import_csv(data.encode(), dry_run=False)
    assert result.errors and Outlet.objects.count() == 1
