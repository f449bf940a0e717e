"""Oscar's basket views; adding a product reads it, and the basket's lines, once."""

from django import shortcuts
from django.contrib import messages
from django.views.generic import FormView
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.views import *  # noqa: F401,F403  (the views we do not change stay Oscar's)
from oscar.core.loading import get_class

from shop.basket.forms import AddToBasketForm
from shop.basket.selectors import products_to_add

Applicator = get_class("offer.applicator", "Applicator")
BasketMessageGenerator = get_class("basket.utils", "BasketMessageGenerator")


class MessagesAfterAdd(BasketMessageGenerator):
    """Oscar's messages after an add (offers gained or lost, the new total), without resetting the offers
    once more: ``Basket.add_product`` has just reset them and kept the lines it had read, which a second
    reset would make the offers read again."""

    def apply_messages(self, request, offers_before):
        Applicator().apply(request.basket, request.user, request)
        offers_after = request.basket.applied_offers()
        for level, message in self.get_messages(request.basket, offers_before, offers_after):
            messages.add_message(request, level, message, extra_tags="safe noicon")


class BasketAddView(oscar_views.BasketAddView):
    form_class = AddToBasketForm

    def post(self, request, *args, **kwargs):
        # Oscar reads the bare product, then its class, options, producer, stock records and certificates
        # one query each, some twice (the form's checks, then adding the line).
        self.product = shortcuts.get_object_or_404(products_to_add(), pk=kwargs["pk"])
        return FormView.post(self, request, *args, **kwargs)

    def form_valid(self, form):
        # Oscar's, with MessagesAfterAdd for its BasketMessageGenerator.
        offers_before = self.request.basket.applied_offers()
        self.line, self.line_created = self.request.basket.add_product(
            form.product, form.cleaned_data["quantity"], form.cleaned_options()
        )
        messages.success(self.request, self.get_success_message(form), extra_tags="safe noicon")
        MessagesAfterAdd().apply_messages(self.request, offers_before)
        self.add_signal.send(sender=self, product=form.product, user=self.request.user, request=self.request)
        return FormView.form_valid(self, form)
