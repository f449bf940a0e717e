"""Order e-mails (shop/order/emails.py)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import basket_with, submission
from shop.order import emails, services

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_the_order_confirmation_reads_the_orders_surcharges_once(django_capture_on_commit_callbacks):
    product = make_certified_product(stock=5, title="Nước mắm Cửa Đại")
    with django_capture_on_commit_callbacks(execute=False):  # the confirmation is sent below, counted
        placed = services.place_order(**submission(basket_with((product, 2))))
    order = Order.objects.get(pk=placed.pk)

    with CaptureQueriesContext(connection) as captured:
        emails.send_order_confirmation(order)

    assert len([query for query in captured if 'FROM "order_surcharge"' in query["sql"]]) == 1
    assert "Nước mắm Cửa Đại" in mail.outbox[0].body
