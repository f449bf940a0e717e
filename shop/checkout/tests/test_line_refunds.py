"""A producer cancels a line of a card order: that line's amount goes back to the card at Stripe (localstripe)."""

from decimal import Decimal

import pytest
import stripe
from django.core import mail
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.checkout.tests import stripe_server
from shop.checkout.tests.factories import basket_with, submission
from shop.order import fulfilment, services, statuses
from shop.order.models import StripePayment

PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_two_producer_card_order(stripe_settings, localstripe_base):
    """A card order, paid at Stripe: 2 × 150.000 ₫ from producer A and 1 × 90.000 ₫ from producer B."""
    _ua, producer_a = producer_user("a@x.vn")
    _ub, producer_b = producer_user("b@x.vn")
    product_a = make_certified_product(producer=producer_a, price=Decimal("150000"), stock=10)
    product_b = make_certified_product(producer=producer_b, price=Decimal("90000"), stock=10)
    basket = basket_with((product_a, 2), (product_b, 1))
    order = services.place_order(**submission(basket, payment_method=services.CARD, email="khach@example.vn"))
    intent = stripe_server.pay_with_card(localstripe_base, order.stripe_payment.payment_intent_id, "4242424242424242")
    assert intent.status == "succeeded"
    services.mark_paid(payment_intent=intent.to_dict())
    order.refresh_from_db()
    mail.outbox.clear()
    return order, producer_a, producer_b


def _refunds_at_stripe(api_base, payment_intent_id):
    stripe_client = stripe.StripeClient(stripe_server.TEST_SECRET_KEY, base_addresses={"api": api_base})
    return list(stripe_client.v1.refunds.list(params={"payment_intent": payment_intent_id}).data)


def _cancel(order, producer, callbacks):
    line = order.lines.get(partner=producer.partner)
    with callbacks(execute=True):
        fulfilment.cancel_line(line=line, reason="Hết hàng vụ này", producer=producer)
    line.refresh_from_db()
    return line


def test_cancelling_a_card_line_refunds_exactly_that_line_at_stripe(
    paid_two_producer_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order, producer_a, producer_b = paid_two_producer_card_order
    payment_intent_id = order.stripe_payment.payment_intent_id

    line_a = _cancel(order, producer_a, django_capture_on_commit_callbacks)

    assert line_a.status == statuses.LINE_CANCELLED
    (refund,) = _refunds_at_stripe(localstripe_base, payment_intent_id)
    assert refund.amount == 300000 and refund.currency == "vnd" and refund.status == "succeeded"
    line_b = order.lines.get(partner=producer_b.partner)
    assert line_b.status == statuses.LINE_PENDING and line_b.line_price_incl_tax == Decimal("90000")
    payment = StripePayment.objects.get(order=order)
    assert payment.status == StripePayment.Status.SUCCEEDED and payment.amount_refunded == Decimal("300000")
    assert PaymentEvent.objects.get(order=order, event_type__name="Refunded").amount == Decimal("300000")
    (message,) = mail.outbox
    assert message.to == ["khach@example.vn"]
    assert "Chúng tôi đã hoàn lại 300.000\xa0₫ cho mặt hàng này vào thẻ của bạn." in message.body
    assert "sàn sẽ hoàn lại" not in message.body


def test_cancelling_the_same_line_again_does_not_refund_twice(
    paid_two_producer_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order, producer_a, _b = paid_two_producer_card_order
    line_a = _cancel(order, producer_a, django_capture_on_commit_callbacks)

    fulfilment._refund_cancelled_line(order, line_a)  # e.g. the callback ran twice

    assert len(_refunds_at_stripe(localstripe_base, order.stripe_payment.payment_intent_id)) == 1
    assert StripePayment.objects.get(order=order).amount_refunded == Decimal("300000")


def test_stripe_down_keeps_the_line_cancelled_and_leaves_a_note_to_retry(
    paid_two_producer_card_order, localstripe_base, django_capture_on_commit_callbacks, settings
):
    order, producer_a, _b = paid_two_producer_card_order
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.free_port()}"  # Stripe unreachable

    line_a = _cancel(order, producer_a, django_capture_on_commit_callbacks)

    assert line_a.status == statuses.LINE_CANCELLED
    payment = StripePayment.objects.get(order=order)
    assert payment.amount_refunded == 0
    assert not PaymentEvent.objects.filter(order=order, event_type__name="Refunded").exists()
    assert _refunds_at_stripe(localstripe_base, payment.payment_intent_id) == []
    (note,) = order.notes.all()
    assert "Refund of 300.000\xa0₫" in note.message and "failed: retry from the dashboard" in note.message
    (message,) = mail.outbox
    assert "Bạn đã thanh toán bằng thẻ: sàn sẽ hoàn lại 300.000\xa0₫ cho mặt hàng này vào thẻ của bạn." in message.body
    assert "đã hoàn lại" not in message.body


def test_cancelling_a_cash_on_delivery_line_calls_no_stripe_and_mentions_no_refund(
    stripe_settings, django_capture_on_commit_callbacks
):
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.free_port()}"  # any call would fail
    _u, producer = producer_user("a@x.vn")
    product = make_certified_product(producer=producer, price=Decimal("150000"), stock=10)
    order = services.place_order(**submission(basket_with((product, 1)), payment_method=services.CASH_ON_DELIVERY))
    mail.outbox.clear()

    line = _cancel(order, producer, django_capture_on_commit_callbacks)

    assert line.status == statuses.LINE_CANCELLED
    assert not order.notes.exists()
    (message,) = mail.outbox
    assert "Bạn không phải trả tiền cho mặt hàng này." in message.body
    assert "hoàn" not in message.body and "thẻ" not in message.body
