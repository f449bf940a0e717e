"""Baskets and checkout submissions for order and checkout tests."""

import importlib
import threading

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from oscar.core.loading import get_class, get_model

from shop.order import services
from shop.shipping.methods import HomeDelivery

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

# The delivery address form as a buyer fills it: Phường Hội An (code 20410) in Đà Nẵng city (48).
ADDRESS = {
    "first_name": "Nguyễn Thị Lan",
    "phone_number": "0905123456",
    "province": "48",
    "ward": "20410",
    "line1": "12 Trần Hưng Đạo",
}
# The same address as the order stores it.
STORED_ADDRESS = {
    "first_name": "Nguyễn Thị Lan",
    "phone_number": "0905123456",
    "line1": "12 Trần Hưng Đạo",
    "line2": "Phường Hội An",
    "state": "Thành phố Đà Nẵng",
    "province_code": 48,
    "ward_code": 20410,
}


def basket_with(*items, owner=None):
    """A saved open basket holding (product, quantity) pairs."""
    basket = Basket.objects.create(owner=owner)
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def ensure_vietnam():
    """The shipping country from the data migration (a transactional test's flush removes it)."""
    migration = importlib.import_module("shop.checkout.migrations.0002_vietnam_shipping_country")
    migration.add_vietnam(apps, None)
    return Country.objects.get(iso_3166_1_a2="VN")


def shipping_address() -> ShippingAddress:
    return ShippingAddress(country=ensure_vietnam(), **STORED_ADDRESS)


def submission(basket, *, payment_method: str = services.CASH_ON_DELIVERY, user=None, email="khach@example.vn"):
    """Keyword arguments for ``services.place_order``, as the checkout builds them."""
    method = HomeDelivery()
    charge = method.calculate(basket)
    return {
        "basket": basket,
        "user": user or AnonymousUser(),
        "shipping_address": shipping_address(),
        "shipping_method": method,
        "shipping_charge": charge,
        "total": OrderTotalCalculator().calculate(basket, charge),
        "payment_method": payment_method,
        "guest_email": "" if user else email,
    }


def free_stock(product) -> int:
    record = product.stockrecords.get()
    return record.num_in_stock - (record.num_allocated or 0)


def checkout_concurrently(submissions: list[dict]) -> list[str]:
    """Place every submission at the same moment, one thread and connection each: "ordered" or "sold out"."""
    outcomes: list[str] = []
    start = threading.Barrier(len(submissions))

    def checkout(kwargs):
        try:
            start.wait()  # all ask for the stock at the same moment
            services.place_order(**kwargs)
            outcomes.append("ordered")
        except services.OutOfStock:
            outcomes.append("sold out")
        finally:
            connection.close()

    threads = [threading.Thread(target=checkout, args=(kwargs,)) for kwargs in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
