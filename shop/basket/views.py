"""Oscar's basket views; adding a product reads it once with all that the add checks."""

from django import shortcuts
from django.views.generic import FormView
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.views import *  # noqa: F401,F403  (the views we do not change stay Oscar's)

from shop.basket.forms import AddToBasketForm
from shop.basket.selectors import products_to_add


class BasketAddView(oscar_views.BasketAddView):
    form_class = AddToBasketForm

    def post(self, request, *args, **kwargs):
        # Oscar reads the bare product, then its class, options, producer, stock records and certificates
        # one query each, some twice (the form's checks, then adding the line).
        self.product = shortcuts.get_object_or_404(products_to_add(), pk=kwargs["pk"])
        return FormView.post(self, request, *args, **kwargs)
