"""Orders for tests: real Oscar orders placed from a basket, so lines get ``partner`` and stock is allocated."""

from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")


def vietnam() -> "Country":
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Việt Nam",
        },
    )
    return country


def place_order(*items, user=None, email: str = "khach@example.vn", **kwargs):
    """An order for ``items`` — products, or (product, quantity) pairs — delivered in Hội An."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for item in items:
        product, quantity = item if isinstance(item, tuple) else (item, 1)
        basket.add_product(product, quantity)
    address = ShippingAddress.objects.create(
        first_name="Nguyễn Thị",
        last_name="Lan",
        line1="12 Trần Phú",
        line3="Phường Minh An",
        line4="Hội An",
        state="Quảng Nam",
        country=vietnam(),
        phone_number="+84905123456",
    )
    return create_order(basket=basket, user=user, shipping_address=address, guest_email=email, **kwargs)


def place_two_producer_order():
    """An order of two products of two producers (2 of A's, 1 of B's): returns (order, producer_a, producer_b)."""
    _ua, producer_a = producer_user("a@x.vn")
    _ub, producer_b = producer_user("b@x.vn")
    product_a = make_certified_product(producer=producer_a, stock=10)
    product_b = make_certified_product(producer=producer_b, stock=10)
    order = place_order((product_a, 2), product_b, email="khach@example.vn")
    return order, producer_a, producer_b
