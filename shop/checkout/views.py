"""Checkout views: Oscar's steps, with our payment choice, order placement and the Stripe pages.

The views stay thin: placing an order, marking it paid or failed and refunding
live in ``shop.order.services``; talking to Stripe in ``stripe_gateway``.
"""

import logging

import stripe
from django import http
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.views import *  # noqa: F401,F403  (the steps we do not change stay Oscar's)
from oscar.core.loading import get_class, get_model

from outlets.models import Outlet
from shop.checkout.forms import CollectionContactForm, PaymentMethodForm
from shop.order import services, statuses, stripe_gateway
from shop.order.models import StripePayment
from shop.shipping.methods import collection_outlet_id, is_collection
from shop.shipping.repository import Repository

logger = logging.getLogger("shop.checkout")

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
post_checkout = get_class("checkout.signals", "post_checkout")
CheckoutSessionMixin = get_class("checkout.session", "CheckoutSessionMixin")
CheckoutSessionData = get_class("checkout.utils", "CheckoutSessionData")
FailedPreCondition = get_class("checkout.exceptions", "FailedPreCondition")

SESSION_PAYMENT = "payment"


def chosen_payment_method(checkout_session) -> str | None:
    method = checkout_session._get(SESSION_PAYMENT, "method")
    if method == services.CARD and not stripe_gateway.is_enabled():
        return None
    return method


def collection_point(checkout_session, basket):
    """The open sales point the buyer chose to collect at, or None when the order is delivered."""
    outlet_id = collection_outlet_id(checkout_session.shipping_method_code(basket))
    if outlet_id is None:
        return None
    return Outlet.objects.filter(pk=outlet_id, is_open=True).first()


# The order of the steps: the gateway (e-mail), then how the buyer receives the order (delivered or
# collected at a sales point), then the delivery address, or only who collects; payment; preview.


class IndexView(oscar_views.IndexView):
    success_url = reverse_lazy("checkout:shipping-method")


class ShippingMethodView(oscar_views.ShippingMethodView):
    """Delivered home or collected at a sales point, chosen before any address: collecting needs none."""

    success_url = reverse_lazy("checkout:shipping-address")

    def get(self, request, *args, **kwargs):
        if not request.basket.is_shipping_required():
            return super().get(request, *args, **kwargs)
        self._methods = self.get_available_shipping_methods()
        if len(self._methods) == 1:  # no sales point holds the basket: delivery, straight to the address
            self._choose(self._methods[0].code)
            return self.get_success_response()
        return generic.FormView.get(self, request, *args, **kwargs)

    def get_available_shipping_methods(self):
        return Repository().get_shipping_methods(
            basket=self.request.basket,
            user=self.request.user,
            shipping_addr=self.get_shipping_address(self.request.basket),
            request=self.request,
            for_checkout=True,
        )

    def form_valid(self, form):
        self._choose(form.cleaned_data["method_code"])
        return self.get_success_response()

    def _choose(self, code: str) -> None:
        """Keep the address only while it is still the right kind: a point's address is no delivery address."""
        previous = self.checkout_session.shipping_method_code(self.request.basket)
        if previous and previous != code and (is_collection(previous) or is_collection(code)):
            self.checkout_session._unset("shipping", "new_address_fields")
            self.checkout_session._unset("shipping", "user_address_id")
        self.checkout_session.use_shipping_method(code)


class ShippingAddressView(oscar_views.ShippingAddressView):
    """The delivery address; or, collecting at a sales point, only who collects (a name and a phone)."""

    success_url = reverse_lazy("checkout:payment-method")

    @cached_property
    def collection_point(self):
        return collection_point(self.checkout_session, self.request.basket)

    def get_form_class(self):
        return CollectionContactForm if self.collection_point else super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.collection_point:
            kwargs["outlet"] = self.collection_point
        return kwargs

    def get_available_addresses(self):
        return [] if self.collection_point else super().get_available_addresses()

    def get_context_data(self, **kwargs):
        return super().get_context_data(collection_point=self.collection_point, **kwargs)

    def get_success_url(self):
        if not self.checkout_session.is_shipping_method_set(self.request.basket):
            return reverse("checkout:shipping-method")
        return super().get_success_url()


class PaymentMethodView(CheckoutSessionMixin, generic.FormView):
    """Cash on delivery (or on collection at the sales point), or a card through Stripe when it is configured."""

    template_name = "oscar/checkout/payment_method.html"
    form_class = PaymentMethodForm
    success_url = reverse_lazy("checkout:preview")
    pre_conditions = oscar_views.PaymentMethodView.pre_conditions
    skip_conditions = oscar_views.PaymentMethodView.skip_conditions

    def get_form_kwargs(self):
        collecting = is_collection(self.checkout_session.shipping_method_code(self.request.basket))
        return {**super().get_form_kwargs(), "collection": collecting}

    def get_initial(self):
        return {"method": chosen_payment_method(self.checkout_session) or services.CASH_ON_DELIVERY}

    def form_valid(self, form):
        self.checkout_session._set(SESSION_PAYMENT, "method", form.cleaned_data["method"])
        return redirect(self.get_success_url())


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """The preview page, where the customer places the order (once)."""

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST" and self.preview:
            order = self._order_already_placed(request)
            if order is not None:
                return self._continue_with(order)
        return super().dispatch(request, *args, **kwargs)

    def _order_already_placed(self, request):
        """A second press of "Place order" (double click, back button) finds the first order."""
        basket_id = request.POST.get("basket_id", "")
        if not basket_id.isdigit():
            return None
        if request.basket.id == int(basket_id):
            # Still the open basket: a first press. Placing it looks for its order again under the basket's
            # row lock (``services.place_order``), which a second press racing this one waits for.
            return None
        order = (
            Order.objects.filter(basket_id=int(basket_id))
            .exclude(status=statuses.PAYMENT_FAILED)
            .order_by("-pk")
            .first()
        )
        if order is None:
            return None
        owned = order.pk == request.session.get("checkout_order_id") or (
            request.user.is_authenticated and order.user_id == request.user.pk
        )
        return order if owned else None

    def check_payment_data_is_captured(self, request):
        if chosen_payment_method(self.checkout_session) is None:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"), message=_("Please choose how you would like to pay")
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        method = chosen_payment_method(self.checkout_session)
        ctx["payment_method"] = method
        collecting = is_collection(self.checkout_session.shipping_method_code(self.request.basket))
        choices = PaymentMethodForm(collection=collecting).fields["method"].choices
        ctx["payment_method_label"] = dict(choices).get(method, "")
        return ctx

    def submit(self, user, basket, shipping_address, shipping_method, shipping_charge, billing_address,
               order_total, payment_kwargs=None, order_kwargs=None, surcharges=None):  # fmt: skip
        method = chosen_payment_method(self.checkout_session)
        order_kwargs = order_kwargs or {}
        try:
            with transaction.atomic():
                order = services.place_order(
                    basket=basket,
                    user=user,
                    shipping_address=shipping_address,
                    shipping_method=shipping_method,
                    shipping_charge=shipping_charge,
                    total=order_total,
                    payment_method=method,
                    guest_email=order_kwargs.get("guest_email") or "",
                    request=self.request,
                )
                # A sales point's street is not the buyer's address: only a delivery address joins the book.
                if user.is_authenticated and order.shipping_address_id and not is_collection(shipping_method.code):
                    self.update_address_book(user, order.shipping_address)
        except services.OrderAlreadyPlaced as exc:
            return self._continue_with(exc.order)
        except stripe_gateway.PaymentGatewayError as exc:
            basket.refresh_from_db(fields=["status"])
            return self.render_preview(self.request, error=str(exc))
        except UnableToPlaceOrder as exc:
            basket.refresh_from_db(fields=["status"])
            messages.error(self.request, str(exc))
            return redirect("basket:summary")

        self.request.session["checkout_order_id"] = order.pk
        if method == services.CARD:
            self.checkout_session.set_submitted_basket(basket)
            return redirect("checkout:card-payment")
        self.checkout_session.flush()
        response = redirect("checkout:thank-you")
        post_checkout.send(sender=self, order=order, user=user, request=self.request, response=response)
        return response

    def _continue_with(self, order):
        self.request.session["checkout_order_id"] = order.pk
        if order.status == statuses.AWAITING_PAYMENT:
            return redirect("checkout:card-payment")
        return redirect("checkout:thank-you")


class ThankYouView(oscar_views.ThankYouView):
    def get_object(self, queryset=None):
        order = super().get_object(queryset)
        if order is not None:
            # The totals read the surcharges twice and each kind of discount once, a query each otherwise.
            prefetch_related_objects([order], "discounts", "surcharges")
        return order


def _session_order(request):
    order_id = request.session.get("checkout_order_id")
    if not order_id:
        return None
    return Order.objects.filter(pk=order_id).select_related("stripe_payment").first()


class CardPaymentView(generic.TemplateView):
    """Stripe's Payment Element for the order placed a moment ago (status ``awaiting_payment``)."""

    template_name = "oscar/checkout/card_payment.html"

    def get(self, request, *args, **kwargs):
        order = _session_order(request)
        if order is None or not hasattr(order, "stripe_payment"):
            return redirect("basket:summary")
        if order.status != statuses.AWAITING_PAYMENT:
            return redirect("checkout:thank-you" if order.status != statuses.PAYMENT_FAILED else "basket:summary")
        self.order = order
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            order=self.order,
            payment=self.order.stripe_payment,
            publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            return_url=self.request.build_absolute_uri(reverse("checkout:card-return")),
        )
        return ctx


class CardReturnView(generic.View):
    """Where Stripe sends the browser back (after 3-D Secure too). Stripe's own answer decides, not the URL."""

    not_confirmed_message = gettext_lazy(
        "We could not confirm your payment with the card service yet. Your order is kept and we will "
        "e-mail you as soon as the payment arrives."
    )

    def get(self, request, *args, **kwargs):
        order = _session_order(request)
        intent_id = request.GET.get("payment_intent", "")
        payment = getattr(order, "stripe_payment", None) if order else None
        if payment is None or (intent_id and intent_id != payment.payment_intent_id):
            return redirect("basket:summary")
        try:
            intent = stripe_gateway.retrieve_payment_intent(payment.payment_intent_id).to_dict()
        except stripe_gateway.PaymentGatewayError:
            messages.warning(request, self.not_confirmed_message)
            return redirect("checkout:thank-you")

        status = intent["status"]
        if status == "succeeded":
            try:
                order = services.mark_paid(payment_intent=intent)
            except stripe_gateway.PaymentGatewayError:
                messages.warning(request, self.not_confirmed_message)
                return redirect("checkout:thank-you")
            self._finish(request)
            if order.status == statuses.CANCELLED:
                messages.error(
                    request,
                    _("Your payment arrived after it had been reported as failed, and this order can no longer be "
                      "served. We refunded the whole payment to your card and sent you an e-mail."),
                )  # fmt: skip
                return redirect("basket:summary")
            return redirect("checkout:thank-you")
        if status in ("processing", "requires_capture"):
            messages.info(request, _("Your payment is being processed. We will e-mail you when it is confirmed."))
            return redirect("checkout:thank-you")
        if status in ("requires_action", "requires_confirmation"):
            return redirect("checkout:card-payment")
        error = (intent.get("last_payment_error") or {}).get("message") or ""
        services.mark_payment_failed(payment_intent_id=payment.payment_intent_id, message=error)
        self._restore_basket(request, order)
        messages.error(
            request,
            _("Your card payment did not go through (%(reason)s). Nothing was charged and your basket is kept: "
              "try another card or choose cash on delivery.") % {"reason": error or _("declined")},
        )  # fmt: skip
        return redirect("checkout:payment-method")

    def _finish(self, request):
        order_id = request.session.get("checkout_order_id")
        CheckoutSessionData(request).flush()
        request.session["checkout_order_id"] = order_id

    def _restore_basket(self, request, order):
        basket = Basket.objects.filter(pk=order.basket_id, status=Basket.OPEN).first()
        if basket is None or request.basket.id == basket.id:
            return
        if request.basket.id:
            basket.merge(request.basket)
        basket.strategy = request.basket.strategy
        request.basket = basket
        if not request.user.is_authenticated:
            # Point the basket cookie back at the restored basket.
            request.cookies_to_delete.append(settings.OSCAR_BASKET_COOKIE_OPEN)


@method_decorator(csrf_exempt, name="dispatch")
class StripeWebhookView(generic.View):
    """Stripe's events, verified on the raw body; an event id is processed once."""

    def post(self, request, *args, **kwargs):
        if not settings.STRIPE_WEBHOOK_SECRET:
            return http.HttpResponseNotFound()
        try:
            event = stripe_gateway.construct_event(
                payload=request.body, signature=request.META.get("HTTP_STRIPE_SIGNATURE", "")
            )
        except (ValueError, stripe.SignatureVerificationError) as exc:
            logger.warning("Refused a Stripe webhook: %s", exc)
            return http.HttpResponseBadRequest("invalid signature")
        try:
            data_object = event["data"]["object"]
        except (KeyError, TypeError):
            data_object = None
        try:
            processed = services.process_stripe_event(
                event_id=event["id"], event_type=event["type"], data_object=data_object
            )
        except services.MalformedStripeEvent as exc:
            logger.error("Refused a signed but malformed Stripe webhook: %s", exc)
            return http.HttpResponseBadRequest("malformed event")
        except stripe_gateway.PaymentGatewayError:
            # Nothing was recorded (e.g. a late payment's refund could not reach Stripe): Stripe sends it again.
            logger.warning("Stripe event %s could not be processed yet; asking Stripe to retry", event["id"])
            return http.JsonResponse({"received": False}, status=503)
        return http.JsonResponse({"received": True, "duplicate": not processed})


@method_decorator([staff_member_required, require_POST], name="dispatch")
class RefundView(generic.View):
    """Dashboard action: refund the whole remaining card payment of an order."""

    def post(self, request, number):
        order = get_object_or_404(Order, number=number)
        payment = StripePayment.objects.filter(order=order).first()
        if payment is None:
            messages.error(request, _("This order was not paid by card."))
        else:
            try:
                services.refund_card_payment(order=order)
            except (stripe_gateway.PaymentGatewayError, UnableToPlaceOrder) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The card payment was refunded."))
        return redirect("dashboard:order-detail", number=order.number)
