"""The one place that talks to Stripe.

Every call uses a client built from settings (key, API base, a short timeout and
few retries), so a slow or absent Stripe fails fast with ``PaymentGatewayError``
instead of holding a checkout open.
"""

import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("shop.order.stripe")

# VND is a zero-decimal currency for Stripe: 150.000 ₫ is amount=150000.
ZERO_DECIMAL_CURRENCIES = {"vnd", "jpy", "krw"}


class PaymentGatewayError(Exception):
    """Stripe could not be reached or refused the request; nothing was charged by this call."""


UNREACHABLE_MESSAGE = _(
    "The card payment service is not answering right now. No payment was taken and your basket is kept: "
    "please try again in a few minutes, or choose cash on delivery."
)


def is_enabled() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def client() -> stripe.StripeClient:
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def to_minor_units(amount: Decimal, currency: str) -> int:
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return int(amount.quantize(Decimal(1)))
    return int((amount * 100).quantize(Decimal(1)))


def from_minor_units(amount: int, currency: str) -> Decimal:
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount)
    return Decimal(amount) / 100


def _call(description: str, func, *args, **kwargs):
    try:
        return func(*args, **kwargs)
    except stripe.APIConnectionError as exc:
        logger.warning("Stripe unreachable while trying to %s: %s", description, exc)
        raise PaymentGatewayError(str(UNREACHABLE_MESSAGE)) from exc
    except stripe.StripeError as exc:
        logger.error("Stripe refused to %s: %s", description, exc)
        message = getattr(exc, "user_message", None) or _("The card payment could not be started.")
        raise PaymentGatewayError(str(message)) from exc


def create_payment_intent(*, order_number: str, amount: Decimal, currency: str):
    """A PaymentIntent for the order; the idempotency key makes a repeated call return the same intent."""
    params = {
        "amount": to_minor_units(amount, currency),
        "currency": currency.lower(),
        "payment_method_types": ["card"],
        "metadata": {"order_number": order_number},
    }
    options = {"idempotency_key": f"order-{order_number}-pi-{params['amount']}"}
    return _call("create a PaymentIntent", client().v1.payment_intents.create, params=params, options=options)


def retrieve_payment_intent(payment_intent_id: str):
    return _call("retrieve a PaymentIntent", client().v1.payment_intents.retrieve, payment_intent_id)


def cancel_payment_intent(payment_intent_id: str):
    return _call("cancel a PaymentIntent", client().v1.payment_intents.cancel, payment_intent_id)


def refund(*, payment_intent_id: str, amount: int | None = None, idempotency_key: str):
    params = {"payment_intent": payment_intent_id}
    if amount:
        params["amount"] = amount
    options = {"idempotency_key": idempotency_key}
    return _call("refund a payment", client().v1.refunds.create, params=params, options=options)


def construct_event(*, payload: bytes, signature: str):
    """Verify the signature on the raw body; raises ValueError or SignatureVerificationError."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
