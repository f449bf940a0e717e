from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder
from oscar.apps.order.exceptions import InvalidOrderStatus

from outlets import stock
from shop.order import statuses


class OrderAlreadyDispatched(InvalidOrderStatus):
    """Goods that left the producer cannot be cancelled: their stock is gone."""


class Order(AbstractOrder):
    """Oscar's order; it cannot be cancelled once any of its lines was shipped."""

    def has_dispatched_lines(self) -> bool:
        return self.lines.filter(status__in=statuses.DISPATCHED_LINE_STATUSES).exists()

    def available_statuses(self):
        available = super().available_statuses()
        if statuses.CANCELLED in available and self.pk and self.has_dispatched_lines():
            available = [status for status in available if status != statuses.CANCELLED]
        return available

    @transaction.atomic
    def set_status(self, new_status):
        if new_status == statuses.CANCELLED and new_status != self.status:
            # Lock the lines first: a producer shipping one right now waits, or we see it shipped.
            lines = list(self.lines.select_for_update().order_by("pk").values_list("status", flat=True))
            if any(status in statuses.DISPATCHED_LINE_STATUSES for status in lines):
                raise OrderAlreadyDispatched(
                    _(
                        "Order %(number)s cannot be cancelled: part of it was already shipped. "
                        "Cancel the lines that were not shipped instead."
                    )
                    % {"number": self.number}
                )
        return super().set_status(new_status)

    set_status.alters_data = True

    def _discounts_of(self, category: str):
        """Oscar's query per kind of discount, or the prefetched ``discounts`` (the thank-you page's) sorted out."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("discounts")
        if prefetched is None:
            return self.discounts.filter(category=category)
        return [discount for discount in prefetched if discount.category == category]

    @property
    def basket_discounts(self):
        return self._discounts_of(self.discounts.model.BASKET)

    @property
    def shipping_discounts(self):
        return self._discounts_of(self.discounts.model.SHIPPING)

    @property
    def post_order_actions(self):
        return self._discounts_of(self.discounts.model.DEFERRED)


class Line(AbstractLine):
    """An order line belongs to one producer (``partner``), who fulfils it on its own."""

    tracking_number = models.CharField(gettext_lazy("tracking number"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.CharField(gettext_lazy("cancellation reason"), max_length=255, blank=True)

    @property
    def status_label(self) -> str:
        return str(statuses.LINE_LABELS.get(self.status, self.status))

    @property
    def holds_stock(self) -> bool:
        """The line still has stock set aside that nobody shipped (what cancelling gives back)."""
        return bool(self.stockrecord_id and not self.allocation_cancelled and self.num_allocated)

    def release_stock(self) -> None:
        """Give everything the line holds back to its stock record (through the stock owner)."""
        if not self.holds_stock or not self.can_track_allocations:
            return
        stock.release(record_id=self.stockrecord_id, quantity=self.num_allocated, reference=self.order.number)
        type(self).objects.filter(pk=self.pk).update(num_allocated=0, allocation_cancelled=True)
        self.num_allocated, self.allocation_cancelled = 0, True

    release_stock.alters_data = True

    def consume_stock(self) -> None:
        """The goods left (shipped or collected): what the line holds leaves the stock record with them.

        Raises ``stock.InsufficientStock`` when the record counts fewer units than the line takes away.
        """
        if not self.holds_stock or not self.can_track_allocations:
            return
        stock.consume(
            record_id=self.stockrecord_id, quantity=self.num_allocated, title=self.title, reference=self.order.number
        )
        type(self).objects.filter(pk=self.pk).update(num_allocated=0)
        self.num_allocated = 0

    consume_stock.alters_data = True


# --- Card payments (Stripe): the checkout starts them, order services settle and refund them ---


class StripePayment(models.Model):
    """One PaymentIntent for one order: the link the webhook and the browser's return both follow."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting payment")
        SUCCEEDED = "succeeded", gettext_lazy("Paid")
        FAILED = "failed", gettext_lazy("Failed")
        REFUNDED = "refunded", gettext_lazy("Refunded")

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="stripe_payment", verbose_name=gettext_lazy("order")
    )
    payment_intent_id = models.CharField(gettext_lazy("PaymentIntent id"), max_length=255, unique=True)
    client_secret = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(gettext_lazy("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(gettext_lazy("currency"), max_length=12, default="VND")
    status = models.CharField(gettext_lazy("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    amount_refunded = models.DecimalField(gettext_lazy("amount refunded"), max_digits=12, decimal_places=2, default=0)
    failure_message = models.CharField(gettext_lazy("failure message"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("Stripe payment")
        verbose_name_plural = gettext_lazy("Stripe payments")

    def __str__(self) -> str:
        return f"{self.payment_intent_id} ({self.status})"


class ProcessedStripeEvent(models.Model):
    """A webhook event id is stored once: a replayed event finds its id and is ignored."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("processed Stripe event")
        verbose_name_plural = gettext_lazy("processed Stripe events")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class ShippingAddress(AbstractShippingAddress):
    """Oscar's delivery address with the official codes of its 2025 units (``outlets.geography``).

    ``state`` and ``line2`` keep the province's and the ward's names as the buyer saw them, so the
    address reads the same in e-mails and on the producer's order page; the codes let staff and
    carriers group orders by unit. Orders placed before the codes existed have none.
    """

    province_code = models.PositiveIntegerField(gettext_lazy("province code"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(gettext_lazy("commune or ward code"), null=True, blank=True)


from oscar.apps.order.models import *  # noqa: E402,F403
