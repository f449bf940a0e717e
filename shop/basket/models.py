from django.db.models import Prefetch
from oscar.apps.basket.abstract_models import AbstractBasket
from oscar.core.loading import get_model

from catalog.selectors import verified_certificates_prefetch
from outlets import stock


class Basket(AbstractBasket):
    def all_lines(self):
        """Oscar's cached lines, loaded with all that the basket, the header's mini-basket,
        checkout and the OCOP availability rule read, so the query count does not grow
        with the number of lines.

        The pricing strategy picks the selling stock record and the OCOP rule reads
        the product's verified certificates, so both are prefetched too.
        """
        if self.id is None:
            return self.lines.model.objects.none()
        if self._lines is None:
            ProductImage = get_model("catalogue", "ProductImage")
            self._lines = (
                self.lines.select_related(
                    "product__product_class",
                    "product__producer__partner",
                    "product__producer__district",
                    "product__parent__product_class",
                    "stockrecord__partner",
                )
                .prefetch_related(
                    "attributes__option",
                    Prefetch("product__images", queryset=ProductImage.objects.order_by("display_order", "pk")),
                    stock.prefetch_selling_records("product__stockrecords"),
                    Prefetch("product__certificates", queryset=verified_certificates_prefetch().queryset),
                )
                .order_by(self._meta.pk.name)
            )
        return self._lines

    @property
    def num_lines(self):
        """A shopper's basket (it has a pricing strategy) counts the lines its page loads anyway: Oscar
        counts them in a query of their own first. Other baskets (the dashboard's reports) count as Oscar
        does, without loading their lines."""
        if not self.has_strategy:
            return super().num_lines
        return len(self.all_lines())

    def product_quantity(self, product):
        """From the loaded lines, as Oscar's sum over the lines of ``product``, without another query."""
        if self.id is None:
            return 0
        return sum(line.quantity for line in self.all_lines() if line.product_id == product.pk)


from oscar.apps.basket.models import *  # noqa: E402,F403
