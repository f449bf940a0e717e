"""Plain-text order e-mails show a customer's address and a product's name as typed, not HTML-escaped."""

import pytest
from django.core import mail

from catalog.tests.factories import make_certified_product
from shop.checkout.tests.factories import basket_with, submission
from shop.order import fulfilment, services

pytestmark = pytest.mark.django_db

TITLE = 'Bộ đèn "Thôn nữ" & quà tặng'
STREET = "12 Trần Hưng Đạo & 5 Lê Lợi <kiốt 3>"


def place(django_capture_on_commit_callbacks):
    product = make_certified_product(stock=5, title=TITLE)
    data = submission(basket_with((product, 1)))
    data["shipping_address"].line1 = STREET
    with django_capture_on_commit_callbacks(execute=True):
        order = services.place_order(**data)
    return order


def test_the_order_confirmation_text_shows_quotes_and_ampersands_as_typed(django_capture_on_commit_callbacks):
    place(django_capture_on_commit_callbacks)

    body = mail.outbox[0].body
    assert TITLE in body
    assert STREET in body
    assert "&amp;" not in body and "&quot;" not in body and "&#x27;" not in body and "&lt;" not in body


def test_a_line_notice_text_shows_the_product_name_as_typed(django_capture_on_commit_callbacks):
    order = place(django_capture_on_commit_callbacks)
    line = order.lines.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.confirm_line(line=line, producer=line.product.producer)

    assert TITLE in mail.outbox[0].body
    assert "&quot;" not in mail.outbox[0].body + mail.outbox[0].subject
