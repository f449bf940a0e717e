"""Card payments through Stripe, and the Stripe events already handled."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.models import *  # noqa: F401,F403


class StripePayment(models.Model):
    """One PaymentIntent for one order: the link the webhook and the browser's return both follow."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting payment")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        REFUNDED = "refunded", _("Refunded")

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="stripe_payment", verbose_name=_("order")
    )
    payment_intent_id = models.CharField(_("PaymentIntent id"), max_length=255, unique=True)
    client_secret = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=12, default="VND")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    amount_refunded = models.DecimalField(_("amount refunded"), max_digits=12, decimal_places=2, default=0)
    failure_message = models.CharField(_("failure message"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")

    def __str__(self) -> str:
        return f"{self.payment_intent_id} ({self.status})"


class ProcessedStripeEvent(models.Model):
    """A webhook event id is stored once: a replayed event finds its id and is ignored."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("processed Stripe event")
        verbose_name_plural = _("processed Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"
