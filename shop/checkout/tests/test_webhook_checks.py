"""Signed webhooks that do not hold what their type promises: a clear refusal, never a 500 or a paid order."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from shop.checkout.tests import stripe_server, test_stripe
from shop.order import statuses
from shop.order.models import ProcessedStripeEvent, StripePayment

pytestmark = pytest.mark.django_db

card_order = test_stripe.card_order  # the Stripe tests' fixture: a guest's card order awaiting payment


def post_event(client, event):
    payload, header = stripe_server.signed(event)
    return client.post(
        reverse("checkout:stripe-webhook"), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


@pytest.mark.parametrize("data_object", [{}, None])
@pytest.mark.parametrize("event_type", ["payment_intent.succeeded", "payment_intent.payment_failed", "charge.refunded"])
def test_a_signed_event_with_an_empty_object_is_refused_and_not_recorded(
    client, stripe_settings, event_type, data_object
):
    response = post_event(client, stripe_server.event("evt_empty", event_type, data_object))

    assert response.status_code == 400
    assert not ProcessedStripeEvent.objects.filter(event_id="evt_empty").exists()


def test_a_payment_for_another_amount_is_not_marked_paid_and_staff_are_alerted(
    client,
    card_order,
    django_capture_on_commit_callbacks,
):
    get_user_model().objects.create_user(username="canbo", email="canbo@sct.vn", password="x", is_staff=True)
    payment = card_order.stripe_payment
    mail.outbox.clear()
    intent = {
        "id": payment.payment_intent_id,
        "object": "payment_intent",
        "amount": 1000,
        "amount_received": 1000,
        "currency": "vnd",
        "status": "succeeded",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(client, stripe_server.event("evt_short", "payment_intent.succeeded", intent))

    assert response.status_code == 200
    payment.refresh_from_db()
    card_order.refresh_from_db()
    assert payment.status == StripePayment.Status.PENDING
    assert card_order.status != statuses.PLACED
    assert not card_order.sources.exists()
    assert "not marked paid" in card_order.notes.get().message
    alert = mail.outbox[-1]
    assert alert.to == ["canbo@sct.vn"]
    assert "không khớp" in alert.subject and card_order.number in alert.subject
    assert all(message.to != [card_order.email] for message in mail.outbox)  # the customer gets no "paid" e-mail
