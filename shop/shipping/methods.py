"""Home delivery priced by weight, free above a basket total (all amounts in whole dong)."""

import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F401,F403  (keep Oscar's methods importable from here)
from oscar.apps.shipping.methods import Base, Free
from oscar.core import prices
from oscar.templatetags.currency_filters import currency

# A product without a recorded weight ships as if it weighed this much.
DEFAULT_ITEM_WEIGHT_GRAMS = 500


def basket_weight_grams(basket) -> int:
    return sum(
        (line.product.weight_grams or DEFAULT_ITEM_WEIGHT_GRAMS) * line.quantity
        for line in basket.all_lines()
        if line.product.get_product_class().requires_shipping
    )


def delivery_fee(*, weight_grams: int, basket_total: Decimal) -> Decimal:
    """The base fee plus the per-kg fee for each started kilogram; nothing from the free threshold up."""
    if basket_total >= settings.SHIPPING_FREE_THRESHOLD:
        return Decimal(0)
    kilograms = math.ceil(weight_grams / 1000)
    return Decimal(settings.SHIPPING_BASE_FEE + settings.SHIPPING_FEE_PER_KG * kilograms)


class HomeDelivery(Base):
    code = "home-delivery"
    name = _("Home delivery")

    @property
    def description(self):
        # Oscar's currency filter: "500.000 ₫" on Vietnamese pages, "₫500,000" on English ones.
        threshold = currency(Decimal(settings.SHIPPING_FREE_THRESHOLD), settings.OSCAR_DEFAULT_CURRENCY)
        return _("Delivered to your door. Free for orders of %(threshold)s or more.") % {"threshold": threshold}

    def calculate(self, basket):
        fee = delivery_fee(weight_grams=basket_weight_grams(basket), basket_total=basket.total_incl_tax)
        return prices.Price(currency=basket.currency, excl_tax=fee, incl_tax=fee)


COLLECT_PREFIX = "collect-"


def collection_outlet_id(code: str | None) -> int | None:
    """The sales point a shipping code collects at (``collect-12`` -> 12), or None for delivery."""
    if code and code.startswith(COLLECT_PREFIX) and code[len(COLLECT_PREFIX) :].isdigit():
        return int(code[len(COLLECT_PREFIX) :])
    return None


def is_collection(code: str | None) -> bool:
    return collection_outlet_id(code) is not None


class CollectAtPoint(Free):
    """“Nhận tại điểm bán”: free; placing the order reserves the units on that point's shelf."""

    def __init__(self, outlet):
        self.outlet = outlet
        self.code = f"{COLLECT_PREFIX}{outlet.pk}"
        self.name = _("Collect at %(point)s") % {"point": outlet.name}

    @property
    def description(self):
        hours = f" ({self.outlet.opening_hours})" if self.outlet.opening_hours else ""
        return _("Free. Pick it up at %(address)s%(hours)s; we e-mail you when it is ready.") % {
            "address": self.outlet.address,
            "hours": hours,
        }
