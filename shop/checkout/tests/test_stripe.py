"""Card payments with the real Stripe SDK against localstripe, and webhooks with real signatures."""

import html
import threading
import time
from decimal import Decimal

import pytest
import stripe
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from shop.checkout.tests import stripe_server
from shop.checkout.tests.conftest import place_order_data
from shop.checkout.tests.factories import basket_with, free_stock, submission
from shop.order import services, statuses, stripe_gateway
from shop.order.models import ProcessedStripeEvent, StripePayment

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
PaymentEvent = get_model("order", "PaymentEvent")

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000341"
NEEDS_3D_SECURE = "4000002760003184"


@pytest.fixture
def card_order(client, checkout_as_guest, stripe_settings, django_capture_on_commit_callbacks):
    """A guest placed a card order for 2 × 150.000 ₫ and landed on the payment page."""
    product = make_certified_product(price=Decimal("150000"), stock=5)
    checkout_as_guest((product, 2), method="card")
    data = place_order_data(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("checkout:preview"), data)
    assert response["Location"] == reverse("checkout:card-payment")
    order = Order.objects.get()
    order.product = product
    return order


def _return(client, order, callbacks):
    with callbacks(execute=True):
        return client.get(
            reverse("checkout:card-return"), {"payment_intent": order.stripe_payment.payment_intent_id}, follow=True
        )


@pytest.mark.django_db
def test_card_order_waits_for_payment_with_stock_held_and_shows_the_payment_element(client, card_order):
    payment = card_order.stripe_payment

    page = client.get(reverse("checkout:card-payment")).content.decode()

    assert card_order.status == statuses.AWAITING_PAYMENT
    assert payment.amount == card_order.total_incl_tax == Decimal("300000") + Decimal("30000") + Decimal("10000")
    assert free_stock(card_order.product) == 3
    assert Basket.objects.get(pk=card_order.basket_id).status == Basket.FROZEN
    assert "https://js.stripe.com/v3/" in page
    assert payment.client_secret in page


@pytest.mark.django_db
def test_successful_card_payment_completes_the_order_once(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    intent = stripe_server.pay_with_card(localstripe_base, card_order.stripe_payment.payment_intent_id, SUCCEEDS)
    assert intent.status == "succeeded"
    assert intent.amount == int(card_order.total_incl_tax)  # whole dong: VND is zero-decimal

    response = _return(client, card_order, django_capture_on_commit_callbacks)
    _return(client, card_order, django_capture_on_commit_callbacks)  # the back button / a reload

    card_order.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert card_order.number in response.content.decode()
    assert card_order.status == statuses.PLACED
    assert card_order.sources.get().amount_debited == card_order.total_incl_tax
    assert PaymentEvent.objects.filter(order=card_order, event_type__name="Paid").count() == 1
    assert free_stock(card_order.product) == 3
    assert Basket.objects.get(pk=card_order.basket_id).status == Basket.SUBMITTED
    subjects = [message.subject for message in mail.outbox]
    assert sum(card_order.number in s for s in subjects) == 2  # confirmation + payment received, once each


@pytest.mark.django_db
def test_declined_card_gives_the_stock_back_and_keeps_the_basket(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    intent = stripe_server.pay_with_card(localstripe_base, card_order.stripe_payment.payment_intent_id, DECLINED)
    assert intent.status == "requires_payment_method"

    response = _return(client, card_order, django_capture_on_commit_callbacks)

    card_order.refresh_from_db()
    assert card_order.status == statuses.PAYMENT_FAILED
    assert free_stock(card_order.product) == 5
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-method")
    assert (  # the customer's language (Vietnamese) with Stripe's reason
        "Thanh toán thẻ không thành công (Your card was declined.). Bạn chưa bị trừ tiền và giỏ hàng vẫn được "
        "giữ: hãy thử thẻ khác hoặc chọn thanh toán khi nhận hàng."
    ) in html.unescape(response.content.decode())
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 2


@pytest.mark.django_db
def test_paying_again_after_a_decline_makes_a_new_order_for_the_same_basket(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    stripe_server.pay_with_card(localstripe_base, card_order.stripe_payment.payment_intent_id, DECLINED)
    _return(client, card_order, django_capture_on_commit_callbacks)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})

    client.post(reverse("checkout:preview"), place_order_data(client))

    second = Order.objects.exclude(pk=card_order.pk).get()
    assert second.number == f"{card_order.number}-2"
    assert second.status == statuses.PLACED
    assert free_stock(card_order.product) == 3


@pytest.mark.django_db
def test_3d_secure_requires_action_then_completes_after_the_challenge(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    payment = card_order.stripe_payment
    intent = stripe_server.pay_with_card(localstripe_base, payment.payment_intent_id, NEEDS_3D_SECURE)
    assert intent.status == "requires_action"

    unfinished = client.get(reverse("checkout:card-return"), {"payment_intent": payment.payment_intent_id})
    assert unfinished["Location"] == reverse("checkout:card-payment")
    card_order.refresh_from_db()
    assert card_order.status == statuses.AWAITING_PAYMENT

    stripe_server.complete_3d_secure(localstripe_base, payment.payment_intent_id, payment.client_secret)
    _return(client, card_order, django_capture_on_commit_callbacks)

    card_order.refresh_from_db()
    assert card_order.status == statuses.PLACED


@pytest.mark.django_db
def test_stripe_unreachable_shows_a_message_and_leaves_no_order(client, checkout_as_guest, stripe_settings):
    stripe_settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.free_port()}"  # nothing listens there
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 2), method="card")
    data = place_order_data(client)

    response = client.post(reverse("checkout:preview"), data)

    assert response.status_code == 200
    assert (
        "Dịch vụ thanh toán thẻ hiện không phản hồi. Chưa có khoản tiền nào bị trừ và giỏ hàng của bạn vẫn được "
        "giữ: vui lòng thử lại sau ít phút, hoặc chọn thanh toán khi nhận hàng."
    ) in html.unescape(response.content.decode())
    assert Order.objects.count() == 0
    assert StripePayment.objects.count() == 0
    assert free_stock(product) == 5
    assert Basket.objects.get(pk=data["basket_id"]).status == Basket.OPEN
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 2


# --- Webhooks ---------------------------------------------------------------------------------------


def _post_event(client, payload, header):
    return client.post(
        reverse("checkout:stripe-webhook"), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def _succeeded(card_order, localstripe_base, event_id="evt_paid_1"):
    intent = stripe_server.pay_with_card(localstripe_base, card_order.stripe_payment.payment_intent_id, SUCCEEDS)
    return stripe_server.event(event_id, "payment_intent.succeeded", intent.to_dict())


@pytest.mark.django_db
def test_signed_webhook_completes_an_order_whose_customer_never_came_back(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base))

    with django_capture_on_commit_callbacks(execute=True):
        response = _post_event(client, payload, header)

    card_order.refresh_from_db()
    assert response.status_code == 200
    assert card_order.status == statuses.PLACED
    assert any("payment" in m.subject.lower() or "thanh toán" in m.subject.lower() for m in mail.outbox)


@pytest.mark.django_db
def test_forged_webhook_is_refused(client, card_order, localstripe_base):
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base), secret="whsec_not_ours")

    response = _post_event(client, payload, header)

    card_order.refresh_from_db()
    assert response.status_code == 400
    assert card_order.status == statuses.AWAITING_PAYMENT
    assert ProcessedStripeEvent.objects.count() == 0


@pytest.mark.django_db
def test_stale_webhook_is_refused(client, card_order, localstripe_base):
    payload, header = stripe_server.signed(
        _succeeded(card_order, localstripe_base), timestamp=int(time.time()) - 10 * 60
    )

    response = _post_event(client, payload, header)

    card_order.refresh_from_db()
    assert response.status_code == 400
    assert card_order.status == statuses.AWAITING_PAYMENT


@pytest.mark.django_db
def test_replayed_webhook_is_processed_once(client, card_order, localstripe_base):
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base))

    first = _post_event(client, payload, header)
    replay = _post_event(client, payload, header)

    assert first.json() == {"received": True, "duplicate": False}
    assert replay.json() == {"received": True, "duplicate": True}
    assert ProcessedStripeEvent.objects.filter(event_id="evt_paid_1").count() == 1
    assert PaymentEvent.objects.filter(order=card_order, event_type__name="Paid").count() == 1
    assert card_order.sources.count() == 1


@pytest.mark.django_db
def test_webhook_and_browser_return_together_make_one_payment(
    client, card_order, localstripe_base, django_capture_on_commit_callbacks
):
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base))

    _post_event(client, payload, header)
    _return(client, card_order, django_capture_on_commit_callbacks)

    card_order.refresh_from_db()
    assert card_order.status == statuses.PLACED
    assert card_order.sources.count() == 1
    assert PaymentEvent.objects.filter(order=card_order).count() == 1


@pytest.mark.django_db
def test_payment_failed_webhook_gives_the_stock_back(client, card_order, localstripe_base):
    intent = stripe_server.pay_with_card(localstripe_base, card_order.stripe_payment.payment_intent_id, DECLINED)
    payload, header = stripe_server.signed(
        stripe_server.event("evt_failed_1", "payment_intent.payment_failed", intent.to_dict())
    )

    response = _post_event(client, payload, header)

    card_order.refresh_from_db()
    assert response.status_code == 200
    assert card_order.status == statuses.PAYMENT_FAILED
    assert free_stock(card_order.product) == 5
    assert Basket.objects.get(pk=card_order.basket_id).status == Basket.OPEN


@pytest.mark.django_db
def test_staff_refund_from_the_dashboard_reaches_stripe_and_the_refund_event_adds_nothing(
    client, card_order, localstripe_base, admin_user
):
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base))
    _post_event(client, payload, header)
    client.force_login(admin_user)

    response = client.post(reverse("checkout:stripe-refund", kwargs={"number": card_order.number}))

    payment = StripePayment.objects.get(order=card_order)
    assert response["Location"] == reverse("dashboard:order-detail", kwargs={"number": card_order.number})
    assert payment.status == StripePayment.Status.REFUNDED
    assert payment.amount_refunded == card_order.total_incl_tax
    refunded = {
        "id": "ch_x",
        "object": "charge",
        "payment_intent": payment.payment_intent_id,
        "amount_refunded": int(card_order.total_incl_tax),
        "currency": "vnd",
    }
    payload, header = stripe_server.signed(stripe_server.event("evt_refund_1", "charge.refunded", refunded))
    assert _post_event(client, payload, header).status_code == 200
    assert PaymentEvent.objects.filter(order=card_order, event_type__name="Refunded").count() == 1


@pytest.mark.django_db
def test_refund_is_for_staff_only(client, card_order):
    response = client.post(reverse("checkout:stripe-refund", kwargs={"number": card_order.number}))

    assert response.status_code == 302 and "login" in response["Location"]
    assert StripePayment.objects.get(order=card_order).status == StripePayment.Status.PENDING


@pytest.mark.django_db
def test_dashboard_order_page_offers_staff_a_refund_for_a_paid_card_order(
    client, card_order, localstripe_base, admin_user, django_assert_max_num_queries
):
    url = reverse("dashboard:order-detail", kwargs={"number": card_order.number})
    client.force_login(admin_user)
    assert "stripe-refund-form" not in client.get(url).content.decode()  # not paid yet
    payload, header = stripe_server.signed(_succeeded(card_order, localstripe_base))
    _post_event(client, payload, header)

    with django_assert_max_num_queries(80):
        page = client.get(url).content.decode()

    assert "stripe-refund-form" in page
    assert reverse("checkout:stripe-refund", kwargs={"number": card_order.number}) in page


# --- A payment that arrives after it was reported as failed ---------------------------------------------


@pytest.fixture
def given_up_card_order(client, checkout_as_guest, stripe_settings, django_capture_on_commit_callbacks):
    """A guest's card order for the last 2 units, whose payment was reported failed (stock given back)."""
    product = make_certified_product(price=Decimal("150000"), stock=2)
    checkout_as_guest((product, 2), method="card", email="the-late-payer@example.vn")
    client.post(reverse("checkout:preview"), place_order_data(client))
    order = Order.objects.get()
    services.mark_payment_failed(payment_intent_id=order.stripe_payment.payment_intent_id, message="timed out")
    assert free_stock(product) == 2
    order.product = product
    return order


def _late_success_webhook(client, order, localstripe_base, callbacks):
    intent = stripe_server.pay_with_card(localstripe_base, order.stripe_payment.payment_intent_id, SUCCEEDS)
    assert intent.status == "succeeded"
    payload, header = stripe_server.signed(
        stripe_server.event("evt_late_paid", "payment_intent.succeeded", intent.to_dict())
    )
    with callbacks(execute=True):
        return _post_event(client, payload, header)


def _refunds_at_stripe(api_base, payment_intent_id):
    stripe_client = stripe.StripeClient(stripe_server.TEST_SECRET_KEY, base_addresses={"api": api_base})
    return list(stripe_client.v1.refunds.list(params={"payment_intent": payment_intent_id}).data)


@pytest.mark.django_db
def test_late_payment_for_stock_sold_meanwhile_is_refunded_and_nothing_is_sold_twice(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order = given_up_card_order
    cod = services.place_order(**submission(basket_with((order.product, 2)), email="cod@example.vn"))

    response = _late_success_webhook(client, order, localstripe_base, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    payment = StripePayment.objects.get(order=order)
    record = order.product.stockrecords.get()
    assert response.status_code == 200
    assert (record.num_in_stock, record.num_allocated, free_stock(order.product)) == (2, 2, 0)
    assert Order.objects.filter(status=statuses.PLACED).get() == cod
    assert order.status == statuses.CANCELLED
    assert payment.status == StripePayment.Status.REFUNDED and payment.amount_refunded == order.total_incl_tax
    (refund,) = _refunds_at_stripe(localstripe_base, payment.payment_intent_id)
    assert refund.amount == int(order.total_incl_tax) and refund.status == "succeeded"
    assert order.sources.get().amount_refunded == order.total_incl_tax
    (notice,) = [m for m in mail.outbox if m.to == ["the-late-payer@example.vn"]]
    assert notice.subject == f"Khoản thanh toán cho đơn hàng {order.number} đã được hoàn lại"
    assert "Chúng tôi đã hoàn lại toàn bộ số tiền 340.000\xa0₫ vào thẻ của bạn" in notice.body  # 2 × 150.000 + 40.000


@pytest.mark.django_db
def test_late_payment_refund_event_and_a_repeated_success_change_nothing_more(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order = given_up_card_order
    services.place_order(**submission(basket_with((order.product, 2))))
    _late_success_webhook(client, order, localstripe_base, django_capture_on_commit_callbacks)
    intent = stripe_gateway.retrieve_payment_intent(order.stripe_payment.payment_intent_id).to_dict()

    services.mark_paid(payment_intent=intent)  # the browser comes back too
    refunded = {
        "id": "ch_late",
        "object": "charge",
        "payment_intent": intent["id"],
        "amount_refunded": intent["amount"],
        "currency": "vnd",
    }
    payload, header = stripe_server.signed(stripe_server.event("evt_late_refund", "charge.refunded", refunded))
    _post_event(client, payload, header)

    assert len(_refunds_at_stripe(localstripe_base, intent["id"])) == 1
    assert PaymentEvent.objects.filter(order=order, event_type__name="Refunded").count() == 1
    assert free_stock(order.product) == 0


@pytest.mark.django_db
def test_late_payment_with_the_stock_still_free_completes_the_order(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order = given_up_card_order

    _late_success_webhook(client, order, localstripe_base, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert order.status == statuses.PLACED
    assert free_stock(order.product) == 0
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.SUCCEEDED
    assert _refunds_at_stripe(localstripe_base, order.stripe_payment.payment_intent_id) == []


@pytest.mark.django_db
def test_late_payment_for_a_basket_already_ordered_again_is_refunded(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order = given_up_card_order
    order.product.stockrecords.update(num_in_stock=10)  # a restock: stock is not what stops it
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    client.post(reverse("checkout:preview"), place_order_data(client))  # the customer chose cash on delivery
    second = Order.objects.exclude(pk=order.pk).get()

    _late_success_webhook(client, order, localstripe_base, django_capture_on_commit_callbacks)

    order.refresh_from_db()
    assert second.status == statuses.PLACED
    assert order.status == statuses.CANCELLED
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.REFUNDED
    assert free_stock(order.product) == 8


@pytest.mark.django_db
def test_late_payment_webhook_asks_stripe_to_retry_when_the_refund_cannot_be_made(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks, settings
):
    order = given_up_card_order
    services.place_order(**submission(basket_with((order.product, 2))))
    intent = stripe_server.pay_with_card(localstripe_base, order.stripe_payment.payment_intent_id, SUCCEEDS)
    payload, header = stripe_server.signed(
        stripe_server.event("evt_late_paid", "payment_intent.succeeded", intent.to_dict())
    )
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{stripe_server.free_port()}"  # Stripe unreachable

    refused = _post_event(client, payload, header)

    assert refused.status_code == 503
    assert ProcessedStripeEvent.objects.count() == 0
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.FAILED
    settings.STRIPE_API_BASE = localstripe_base
    with django_capture_on_commit_callbacks(execute=True):
        retried = _post_event(client, payload, header)
    assert retried.status_code == 200
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.REFUNDED
    assert free_stock(order.product) == 0


@pytest.mark.django_db
def test_customer_returning_after_a_late_refunded_payment_is_told_so(
    client, given_up_card_order, localstripe_base, django_capture_on_commit_callbacks
):
    order = given_up_card_order
    services.place_order(**submission(basket_with((order.product, 2))))
    stripe_server.pay_with_card(localstripe_base, order.stripe_payment.payment_intent_id, SUCCEEDS)

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    response = _return(client, order, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert (
        "Your payment arrived after it had been reported as failed, and this order can no longer be served. "
        "We refunded the whole payment to your card and sent you an e-mail."
    ) in html.unescape(response.content.decode())
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.REFUNDED


# --- Idempotency and a Stripe that hangs --------------------------------------------------------------


@pytest.mark.django_db
def test_payment_intent_requests_for_one_order_carry_one_idempotency_key(
    client, checkout_as_guest, stripe_settings, localstripe_base
):
    product = make_certified_product(price=Decimal("150000"), stock=5)
    checkout_as_guest((product, 2), method="card")
    data = place_order_data(client)

    with stripe_server.recording_proxy(localstripe_base) as (proxy_base, seen):
        stripe_settings.STRIPE_API_BASE = proxy_base
        client.post(reverse("checkout:preview"), data)
        order = Order.objects.get()
        # The same request again, as a retry after a lost answer would send it.
        stripe_gateway.create_payment_intent(
            order_number=order.number, amount=order.total_incl_tax, currency=order.currency
        )

    creations = [r for r in seen if r["method"] == "POST" and r["path"] == "/v1/payment_intents"]
    assert [r["headers"].get("Idempotency-Key") for r in creations] == [f"order-{order.number}-pi-340000"] * 2
    assert order.stripe_payment.payment_intent_id.startswith("pi_")


@pytest.mark.django_db
def test_stripe_timing_out_shows_a_message_and_leaves_no_order(client, checkout_as_guest, stripe_settings):
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 2), method="card")
    data = place_order_data(client)
    stripe_settings.STRIPE_TIMEOUT_SECONDS = 0.5

    with stripe_server.silent_server() as hanging_base:
        stripe_settings.STRIPE_API_BASE = hanging_base
        started = time.monotonic()
        response = client.post(reverse("checkout:preview"), data)
        waited = time.monotonic() - started

    assert waited < 5  # the short client timeout, not the server's patience
    assert response.status_code == 200
    assert (
        "Dịch vụ thanh toán thẻ hiện không phản hồi. Chưa có khoản tiền nào bị trừ và giỏ hàng của bạn vẫn được "
        "giữ: vui lòng thử lại sau ít phút, hoặc chọn thanh toán khi nhận hàng."
    ) in html.unescape(response.content.decode())
    assert Order.objects.count() == 0
    assert StripePayment.objects.count() == 0
    assert free_stock(product) == 5
    assert Basket.objects.get(pk=data["basket_id"]).status == Basket.OPEN
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_webhook_and_browser_return_at_the_same_moment_record_one_payment(
    client, checkout_as_guest, stripe_settings, localstripe_base
):
    product = make_certified_product(price=Decimal("150000"), stock=5)
    checkout_as_guest((product, 2), method="card")
    client.post(reverse("checkout:preview"), place_order_data(client))
    order = Order.objects.get()
    payload, header = stripe_server.signed(_succeeded(order, localstripe_base))
    start = threading.Barrier(2)
    answers: dict[str, int] = {}

    def webhook():
        try:
            start.wait()
            answers["webhook"] = _post_event(Client(), payload, header).status_code
        finally:
            connection.close()

    def browser_return():
        try:
            start.wait()
            answers["return"] = client.get(
                reverse("checkout:card-return"), {"payment_intent": order.stripe_payment.payment_intent_id}
            ).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=webhook), threading.Thread(target=browser_return)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    order.refresh_from_db()
    assert answers == {"webhook": 200, "return": 302}
    assert Order.objects.count() == 1 and order.status == statuses.PLACED
    assert order.sources.get().amount_debited == order.total_incl_tax
    assert PaymentEvent.objects.filter(order=order, event_type__name="Paid").count() == 1
    assert StripePayment.objects.get(order=order).status == StripePayment.Status.SUCCEEDED
    assert free_stock(product) == 3
    about_the_order = [m.subject for m in mail.outbox if order.number in m.subject]
    assert len(about_the_order) == 2 and len(set(about_the_order)) == 2  # confirmation and payment, once each
