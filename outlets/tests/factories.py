"""Sales points for tests: a real Đà Nẵng ward and a former district of Quảng Nam."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from catalog.tests.factories import DistrictFactory
from outlets import services, stock

HOI_AN_WARD = 20410  # Phường Hội An, Thành phố Đà Nẵng


def make_outlet(*, name: str = "", managers=(), district=None, lat="15.8801", lng="108.3380", **fields):
    """A registered sales point (through the service, so it gets its partner)."""
    n = next(_numbers)
    return services.save_outlet(
        name=name or f"Điểm bán OCOP {n}",
        street=fields.pop("street", f"{n} Trần Phú"),
        ward_code=fields.pop("ward_code", HOI_AN_WARD),
        former_district=district or DistrictFactory(name="Hội An", slug="hoi-an"),
        latitude=Decimal(lat),
        longitude=Decimal(lng),
        opening_hours="7:00–21:00",
        phone="0235 3861 000",
        managers=list(managers),
        **fields,
    )


_numbers = iter(range(1, 1_000_000))


def manager(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password="mat-khau-123")


def stock_at(outlet, product, quantity: int):
    """Receive ``quantity`` units of ``product`` at ``outlet`` (a ledger receipt); returns its record."""
    record = stock.shelf(product=product, partner=outlet.partner)
    stock.adjust(record_id=record.pk, delta=quantity, kind="receipt")
    record.refresh_from_db()
    return record
