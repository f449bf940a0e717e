"""Placing orders and moving them through payment.

The rules this module keeps:

* One live order per basket submission. The basket row is locked while an order
  is placed; a second submission of the same basket (double click, back button)
  finds the existing order instead of making another. The order number comes
  from the basket id (Oscar's generator), so the unique ``Order.number`` is a
  second guard.
* No overselling. The basket's stock records are locked (``SELECT ... FOR
  UPDATE``, in primary-key order so concurrent checkouts cannot deadlock), the
  free stock is checked, then allocated, all in the transaction that writes the
  order. Stock goes back when a card payment fails or the order is cancelled.
* Exactly one order per payment. A card order is written (status
  ``awaiting_payment``, stock allocated) together with its Stripe PaymentIntent
  in one transaction: if Stripe cannot be reached nothing is kept. The webhook
  and the browser's return both call ``mark_paid``, which locks the payment row
  and does its work once.
"""

import logging
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from mail import queue as mail_queue
from outlets import stock
from shop.order import emails, statuses, stripe_gateway
from shop.order.models import ProcessedStripeEvent, StripePayment
from shop.shipping.methods import is_collection

logger = logging.getLogger("shop.order")

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Line = get_model("order", "Line")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")
ProductRecord = get_model("analytics", "ProductRecord")
SourceType = get_model("payment", "SourceType")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")

CASH_ON_DELIVERY = "cod"
CARD = "card"
SOURCE_TYPE_NAMES = {CASH_ON_DELIVERY: "Cash on delivery", CARD: "Card (Stripe)"}
# A cash order collected at a sales point is paid at its counter: its own source type, so staff pages say so too.
COLLECTION_SOURCE_TYPE_NAME = "Pay on collection at the sales point"


def is_collection_order(order) -> bool:
    """Collected at a sales point (its shipping code names the point) rather than delivered."""
    return is_collection(order.shipping_code)


def cash_label(*, collection: bool) -> str:
    """What paying in cash is called on every page and e-mail: on delivery, or on collection at the point."""
    return _("Pay on collection at the sales point") if collection else _("Cash on delivery")


class OutOfStock(UnableToPlaceOrder):
    """Not enough free stock for a basket line; the message names the product."""

    def __init__(self, shortage: stock.InsufficientStock):
        self.title = shortage.title
        self.available = shortage.available
        super().__init__(str(shortage))


class BasketNotOpen(UnableToPlaceOrder):
    pass


class MalformedStripeEvent(Exception):
    """A verified webhook event whose object lacks what its type needs."""


class OrderAlreadyPlaced(Exception):
    """The basket was already submitted: here is its order."""

    def __init__(self, order):
        self.order = order
        super().__init__(order.number)


def order_number_for(basket, earlier: int) -> str:
    """Oscar's number for the basket; a resubmission after ``earlier`` orders of it (failed card payments)
    gets a suffix."""
    number = str(OrderNumberGenerator().order_number(basket))
    return number if earlier == 0 else f"{number}-{earlier + 1}"


def _allocate_stock(basket, number: str, shelves: dict | None = None) -> None:
    """Allocate every line from its selling record, or from the point's shelf (``shelves``) for collection."""
    needs = []
    for line in basket.all_lines():
        title = line.product.get_title()
        if line.stockrecord_id is None:
            raise UnableToPlaceOrder(_("“%(title)s” is not for sale.") % {"title": title})
        if not line.product.get_product_class().track_stock:
            continue
        if shelves is None:
            needs.append(stock.Need(line.stockrecord_id, line.quantity, title))
        elif line.product_id in shelves:
            needs.append(stock.Need(shelves[line.product_id].pk, line.quantity, title))
        else:
            raise OutOfStock(stock.InsufficientStock(title=title, available=0))
    try:
        stock.allocate(needs, reference=number)
    except stock.InsufficientStock as shortage:
        raise OutOfStock(shortage) from shortage


class _LockedStockOrderCreator(OrderCreator):
    """Oscar's order writer; the stock was already checked and allocated under row locks.

    For collection at a sales point, each line is written against the point's
    shelf (``shelves``): the point's partner fulfils it and its stock record
    holds the reservation.
    """

    def __init__(self, *args, shelves: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.shelves = shelves or {}

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        if basket_line.product_id in self.shelves:
            basket_line.stockrecord = self.shelves[basket_line.product_id]
        return super().create_line_models(order, basket_line, extra_line_fields)

    def update_stock_records(self, line):
        pass


def _source(order, method: str, **amounts):
    name = SOURCE_TYPE_NAMES[method]
    if method == CASH_ON_DELIVERY and is_collection_order(order):
        name = COLLECTION_SOURCE_TYPE_NAME
    source_type, _created = SourceType.objects.get_or_create(name=name)
    return Source.objects.create(order=order, source_type=source_type, currency=order.currency, **amounts)


def _payment_event(order, name: str, amount: Decimal, reference: str = "", lines=None) -> None:
    """An Oscar payment event over ``lines`` (default: all the order's lines)."""
    event_type, _created = PaymentEventType.objects.get_or_create(name=name)
    event = PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=reference)
    PaymentEventQuantity.objects.bulk_create(
        PaymentEventQuantity(event=event, line=line, quantity=line.quantity)
        for line in (order.lines.all() if lines is None else lines)
    )


@transaction.atomic
def place_order(
    *,
    basket,
    user,
    shipping_address,
    shipping_method,
    shipping_charge,
    total,
    payment_method: str,
    guest_email: str = "",
    request=None,
):
    """Write the order and allocate its stock; for a card, also create its PaymentIntent.

    Raises ``OrderAlreadyPlaced`` for a basket that already has a live order,
    ``OutOfStock`` when a line cannot be served, and
    ``stripe_gateway.PaymentGatewayError`` when Stripe cannot be reached — in
    each case nothing of this attempt is kept.
    """
    locked_basket = Basket.objects.select_for_update().get(pk=basket.pk)
    earlier = list(Order.objects.filter(basket_id=basket.pk).order_by("pk"))  # one query: both checks below
    existing = next((order for order in earlier if order.status != statuses.PAYMENT_FAILED), None)
    if existing is not None:
        raise OrderAlreadyPlaced(existing)
    if locked_basket.status != Basket.OPEN:
        raise BasketNotOpen(_("This basket is no longer open."))
    number = order_number_for(basket, len(earlier))
    outlet = getattr(shipping_method, "outlet", None)  # collection at a sales point
    shelves = None
    if outlet is not None:
        shelves = stock.shelves(partner=outlet.partner, product_ids=[line.product_id for line in basket.all_lines()])
    _allocate_stock(basket, number, shelves)

    card = payment_method == CARD
    if shipping_address is not None:
        shipping_address.save()
    extra = {"guest_email": guest_email} if guest_email and not user.is_authenticated else {}
    order = _LockedStockOrderCreator(shelves=shelves).place_order(
        basket=basket,
        total=total,
        shipping_method=shipping_method,
        shipping_charge=shipping_charge,
        user=user,
        shipping_address=shipping_address,
        order_number=number,
        status=statuses.AWAITING_PAYMENT if card else statuses.PLACED,
        request=request,
        **extra,
    )
    if card:
        basket.freeze()
        intent = stripe_gateway.create_payment_intent(
            order_number=number, amount=order.total_incl_tax, currency=order.currency
        )
        StripePayment.objects.create(
            order=order,
            payment_intent_id=intent["id"],
            client_secret=intent["client_secret"],
            amount=order.total_incl_tax,
            currency=order.currency,
        )
    else:
        _source(order, CASH_ON_DELIVERY, amount_allocated=order.total_incl_tax)
        basket.submit()
        mail_queue.send_later(emails.ORDER_CONFIRMATION, order=order.pk)
    logger.info("Order %s placed (%s) for basket %s", number, payment_method, basket.pk)
    return order


def count_purchases(order) -> None:
    """Each product of ``order`` counts its quantity more purchases (Oscar's ``ProductRecord.num_purchases``, the
    dashboard's product report): one INSERT … ON CONFLICT over the order's lines, whatever their number."""
    name = connection.ops.quote_name
    records, lines = name(ProductRecord._meta.db_table), name(Line._meta.db_table)
    with connection.cursor() as cursor:
        # Table names are the models' own; the order's key is a parameter.
        cursor.execute(
            f"INSERT INTO {records} (product_id, num_views, num_basket_additions, num_purchases, score) "
            f"SELECT product_id, 0, 0, SUM(quantity), 0 FROM {lines} "
            "WHERE order_id = %s AND product_id IS NOT NULL GROUP BY product_id "
            "ON CONFLICT (product_id) DO UPDATE SET num_purchases = "
            f"{records}.num_purchases + excluded.num_purchases",
            [order.pk],
        )


def _as_dict(stripe_object) -> dict:
    """Stripe's objects are not dicts (SDK 8+); webhooks and tests may hand plain dicts."""
    return stripe_object.to_dict() if hasattr(stripe_object, "to_dict") else dict(stripe_object)


def _lock_payment(payment_intent_id: str) -> tuple[StripePayment, object]:
    payment = StripePayment.objects.select_for_update().get(payment_intent_id=payment_intent_id)
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    return payment, order


@transaction.atomic
def release_stock(order) -> None:
    """Give back the stock the order's lines still hold (safe to call twice).

    A shipped or delivered line holds nothing: shipping consumed its allocation
    and its goods are gone, so nothing of it is ever given back.
    """
    lines = (
        Line.objects.select_for_update()
        .filter(order_id=order.pk)
        .exclude(status__in=statuses.DISPATCHED_LINE_STATUSES)
        .order_by("stockrecord_id", "pk")
    )
    for line in lines:
        line.release_stock()


@transaction.atomic
def release_line_stock(*, line) -> None:
    """Give back what one cancelled line still holds (a line cancelled in the dashboard)."""
    locked = Line.objects.select_for_update().get(pk=line.pk)
    if locked.status not in statuses.DISPATCHED_LINE_STATUSES:
        locked.release_stock()


def _allocate_again(order) -> bool:
    """Allocate a given-up order's stock again, only if the free stock serves every line.

    Returns False, changing nothing, when a line cannot be served: the stock
    went to other customers in the meantime.
    """
    lines = [line for line in order.lines.order_by("pk") if line.stockrecord_id and line.allocation_cancelled]
    needs = [stock.Need(line.stockrecord_id, line.quantity, line.title) for line in lines]
    if not stock.can_allocate(needs, reference=order.number):
        return False
    for line in lines:
        Line.objects.filter(pk=line.pk).update(num_allocated=line.quantity, allocation_cancelled=False)
    return True


def _ordered_again(order) -> bool:
    """After the failure the customer placed the same basket again (e.g. cash on delivery)."""
    return (
        Order.objects.filter(basket_id=order.basket_id)
        .exclude(pk=order.pk)
        .exclude(status__in=(statuses.PAYMENT_FAILED, statuses.CANCELLED))
        .exists()
    )


def _refund_late_payment(payment: StripePayment, order, received: Decimal, reason: str):
    """Money arrived for an order we can no longer serve: give it all back and cancel the order.

    The refund is asked for inside the transaction, with a key per order: if
    Stripe cannot be reached, nothing is recorded and the error goes up (the
    webhook answers 503 and Stripe sends the event again); a repeated request
    returns Stripe's first refund instead of refunding twice.
    """
    stripe_gateway.refund(
        payment_intent_id=payment.payment_intent_id, idempotency_key=f"order-{order.number}-late-payment-refund"
    )
    payment.status = StripePayment.Status.REFUNDED
    payment.amount_refunded = received
    payment.save(update_fields=["status", "amount_refunded", "updated_at"])
    _source(
        order,
        CARD,
        amount_allocated=received,
        amount_debited=received,
        amount_refunded=received,
        reference=payment.payment_intent_id,
    )
    _payment_event(order, "Paid", received, payment.payment_intent_id)
    _payment_event(order, "Refunded", received, payment.payment_intent_id)
    order.set_status(statuses.CANCELLED)
    order.notes.create(
        note_type="System",
        message=f"Card payment {payment.payment_intent_id} arrived after it had failed ({reason}): refunded in full.",
    )
    logger.error(
        "Order %s: payment %s arrived after it had failed (%s); refunded %s and cancelled the order",
        order.number,
        payment.payment_intent_id,
        reason,
        received,
    )
    mail_queue.send_later(emails.LATE_PAYMENT_REFUNDED, order=order.pk, amount=str(received))
    return order


@transaction.atomic
def mark_paid(*, payment_intent) -> "Order":
    """Complete a card order whose PaymentIntent succeeded; the second call changes nothing.

    A payment that arrives after we had given up on it (``mark_payment_failed``)
    completes the order only if the basket was not ordered again and the free
    stock still serves every line; otherwise it is refunded and the order is
    cancelled. So no charged payment is left without an order or a refund, and
    no unit is sold twice.
    """
    payment_intent = _as_dict(payment_intent)
    payment, order = _lock_payment(payment_intent["id"])
    if payment.status in (StripePayment.Status.SUCCEEDED, StripePayment.Status.REFUNDED):
        return order
    currency = payment_intent["currency"]
    received = stripe_gateway.from_minor_units(
        payment_intent.get("amount_received") or payment_intent["amount"], currency
    )
    if received != payment.amount or currency.upper() != payment.currency.upper():
        # Never mark paid what was not paid in full: the order waits for staff, who are told at once.
        logger.error("Order %s: Stripe received %s %s, expected %s", order.number, received, currency, payment.amount)
        shown = f"{received} {currency.upper()}"
        order.notes.create(
            note_type="System",
            message=f"Stripe reported a payment of {shown} for this order, whose total is {payment.amount} "
            f"{payment.currency}: not marked paid. Check the payment in Stripe, then refund or settle it.",
        )
        mail_queue.send_later(emails.PAYMENT_MISMATCH, order=order.pk, received=shown, expected=str(payment.amount))
        return order
    if payment.status == StripePayment.Status.FAILED:
        if _ordered_again(order):
            return _refund_late_payment(payment, order, received, "its basket was ordered again")
        if not _allocate_again(order):
            return _refund_late_payment(payment, order, received, "its stock was sold in the meantime")
        logger.warning("Order %s: paid after its payment had failed; its stock is allocated again", order.number)
    payment.status = StripePayment.Status.SUCCEEDED
    payment.save(update_fields=["status", "updated_at"])
    order.set_status(statuses.PLACED)
    _source(order, CARD, amount_allocated=received, amount_debited=received, reference=payment.payment_intent_id)
    _payment_event(order, "Paid", received, payment.payment_intent_id)
    Basket.objects.filter(pk=order.basket_id).update(status=Basket.SUBMITTED, date_submitted=timezone.now())
    mail_queue.send_later(emails.ORDER_CONFIRMATION, order=order.pk)
    mail_queue.send_later(emails.PAYMENT_RECEIVED_MAIL, order=order.pk)
    return order


@transaction.atomic
def mark_payment_failed(*, payment_intent_id: str, message: str = "") -> "Order":
    """A declined or abandoned card payment: the stock goes back and the basket opens again."""
    payment, order = _lock_payment(payment_intent_id)
    if payment.status != StripePayment.Status.PENDING:
        return order
    payment.status = StripePayment.Status.FAILED
    payment.failure_message = message[:255]
    payment.save(update_fields=["status", "failure_message", "updated_at"])
    order.set_status(statuses.PAYMENT_FAILED)
    release_stock(order)
    Basket.objects.filter(pk=order.basket_id, status=Basket.FROZEN).update(status=Basket.OPEN)

    def cancel_intent():
        # So the abandoned intent can no longer be paid (best effort).
        try:
            stripe_gateway.cancel_payment_intent(payment_intent_id)
        except stripe_gateway.PaymentGatewayError:
            logger.warning("Order %s: could not cancel PaymentIntent %s", order.number, payment_intent_id)

    transaction.on_commit(cancel_intent)
    return order


@transaction.atomic
def record_refund(*, payment_intent_id: str, amount_refunded: int, currency: str, lines=None) -> "Order":
    """Record Stripe's running refunded total for the payment (so a repeated event adds nothing).

    ``lines``: the order lines the refund is for (default: all of them).
    """
    payment, order = _lock_payment(payment_intent_id)
    total_refunded = stripe_gateway.from_minor_units(amount_refunded, currency)
    new = total_refunded - payment.amount_refunded
    if new <= 0:
        return order
    payment.amount_refunded = total_refunded
    if total_refunded >= payment.amount:
        payment.status = StripePayment.Status.REFUNDED
    payment.save(update_fields=["amount_refunded", "status", "updated_at"])
    Source.objects.filter(order=order, reference=payment_intent_id).update(amount_refunded=total_refunded)
    _payment_event(order, "Refunded", new, payment_intent_id, lines=lines)
    return order


def refund_card_payment(*, order, amount: Decimal | None = None, idempotency_key: str = "", lines=None):
    """Ask Stripe to refund (all or part of) the order's card payment, then record it.

    ``idempotency_key`` names what the refund is for (e.g. one cancelled line),
    so asking again for the same thing returns Stripe's first refund; ``lines``
    are the order lines its payment event covers (default: all).
    """
    payment = StripePayment.objects.get(order=order)
    if payment.status not in (StripePayment.Status.SUCCEEDED,):
        raise UnableToPlaceOrder(_("Only a paid card payment can be refunded."))
    amount = amount if amount is not None else payment.amount - payment.amount_refunded
    minor = stripe_gateway.to_minor_units(amount, payment.currency)
    already = stripe_gateway.to_minor_units(payment.amount_refunded, payment.currency)
    stripe_gateway.refund(
        payment_intent_id=payment.payment_intent_id,
        amount=minor,
        idempotency_key=idempotency_key or f"order-{order.number}-refund-{already}-{minor}",
    )
    return record_refund(
        payment_intent_id=payment.payment_intent_id,
        amount_refunded=already + minor,
        currency=payment.currency,
        lines=lines,
    )


@transaction.atomic
def process_stripe_event(*, event_id: str, event_type: str, data_object) -> bool:
    """Apply a verified webhook event once. Returns False for a replay (already processed)."""
    data_object = _as_dict(data_object if data_object is not None else {})
    _event, created = ProcessedStripeEvent.objects.get_or_create(event_id=event_id, defaults={"type": event_type})
    if not created:
        return False
    try:
        if event_type == "payment_intent.succeeded":
            mark_paid(payment_intent=data_object)
        elif event_type == "payment_intent.payment_failed":
            error = data_object.get("last_payment_error") or {}
            mark_payment_failed(payment_intent_id=data_object["id"], message=error.get("message") or "")
        elif event_type == "charge.refunded":
            record_refund(
                payment_intent_id=data_object["payment_intent"],
                amount_refunded=data_object["amount_refunded"],
                currency=data_object["currency"],
            )
    except StripePayment.DoesNotExist:
        logger.info("Stripe event %s (%s) is not about one of our orders", event_id, event_type)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # Signed, yet not the object its type promises (an empty data.object): nothing is recorded.
        raise MalformedStripeEvent(f"{event_type} event {event_id} lacks {exc}") from exc
    return True
