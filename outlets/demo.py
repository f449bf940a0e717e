"""DEMO DATA: sales points in several former districts of Quảng Nam, stocked with the demo products.

Called by ``catalog.demo.load_demo`` (``make run``); idempotent. The points are
invented for the demo (``is_demo=True``, names marked "(demo)"); their wards are
real 2025 units of Đà Nẵng. Most former districts are left without a point, so
the coverage report has gaps to show.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from oscar.core.loading import get_model

from outlets import geography, services, stock
from outlets.models import Outlet, StockMovement

District = get_model("catalogue", "District")
Product = get_model("catalogue", "Product")

DEMO_MANAGER_EMAIL = "diemban@demo.ocop.vn"

# (name, kind, former district, ward, street, latitude, longitude, opening hours, phone)
DEMO_OUTLETS = [
    ("Điểm bán OCOP Hội An (demo)", Outlet.Kind.SALES_POINT, "Hội An", "Hội An", "12 Trần Phú",
     "15.8771", "108.3281", "7:30–21:30", "0235 3861 101"),
    ("Điểm bán OCOP Chùa Cầu (demo)", Outlet.Kind.PARTNER_SHOP, "Hội An", "Hội An Tây", "45 Nguyễn Thị Minh Khai",
     "15.8773", "108.3259", "8:00–22:00", "0235 3861 102"),
    ("Trung tâm OCOP tỉnh Quảng Nam (demo)", Outlet.Kind.PROVINCIAL_CENTRE, "Tam Kỳ", "Tam Kỳ", "02 Trần Phú",
     "15.5736", "108.4740", "7:30–17:00", "0235 3810 103"),
    ("Điểm bán OCOP Điện Bàn (demo)", Outlet.Kind.SALES_POINT, "Điện Bàn", "Điện Bàn", "88 Quốc lộ 1A",
     "15.8930", "108.2520", "7:00–20:00", "0235 3867 104"),
    ("Điểm bán OCOP Duy Xuyên (demo)", Outlet.Kind.SALES_POINT, "Duy Xuyên", "Duy Xuyên", "21 Hùng Vương",
     "15.8390", "108.2630", "7:00–19:00", "0235 3877 105"),
    ("Trung tâm OCOP Núi Thành (demo)", Outlet.Kind.DISTRICT_CENTRE, "Núi Thành", "Núi Thành", "5 Phạm Văn Đồng",
     "15.4310", "108.6610", "7:30–18:00", "0235 3871 106"),
]  # fmt: skip


@transaction.atomic
def load_demo_outlets() -> int:
    """Create the demo points (once) and receive demo stock at each (only into an empty ledger)."""
    districts = {d.name: d for d in District.objects.all()}
    products = list(Product.objects.filter(producer__isnull=False, is_public=True).order_by("pk"))
    for n, (name, kind, district, ward, street, lat, lng, hours, phone) in enumerate(DEMO_OUTLETS):
        if district not in districts:
            continue
        outlet = Outlet.objects.filter(name=name).first()
        if outlet is None:
            outlet = services.save_outlet(
                name=name,
                kind=kind,
                street=street,
                ward_code=geography.ward_by_name(ward).code,
                former_district=districts[district],
                latitude=Decimal(lat),
                longitude=Decimal(lng),
                opening_hours=hours,
                phone=phone,
                is_open=True,
                is_demo=True,
            )
        if StockMovement.objects.filter(outlet=outlet).exists():
            continue
        # Every point holds a different slice of the catalogue; the Hội An point holds the most.
        for i, product in enumerate(products):
            if (i + n) % (2 if n == 0 else 3) == 0:
                record = stock.shelf(product=product, partner=outlet.partner)
                stock.adjust(record_id=record.pk, delta=3 + (i * 7 + n) % 12, kind=StockMovement.Kind.RECEIPT)
    return Outlet.objects.filter(is_demo=True).count()


def link_demo_manager(user) -> None:
    """The demo point manager runs the demo Hội An point."""
    outlet = Outlet.objects.filter(name=DEMO_OUTLETS[0][0]).first()
    if outlet is not None:
        outlet.managers.add(user)
