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
            # Read as if empty: iterating ``none()`` still compiles the whole query first, and the header asks
            # a new visitor's basket for its count on every page.
            return _prefetched(self.lines.model.objects.none(), [])
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

    def add_product(self, product, quantity=1, options=None):
        """Oscar's, keeping the lines already read in this request.

        Oscar forgets them after the add (to clear their discounts), and the offers applied again right
        after (the add's message with the new total) would read every line, its product, stock records,
        certificates and images once more. Here the kept lines lose their discounts instead, the new line
        joins them with the product as the add read it (``shop.basket.selectors.products_to_add``), and a
        line that only grew takes its new quantity. A line with options is rare: then the lines are read
        again, as Oscar does."""
        loaded = [] if self.id is None else self._loaded_lines()
        line, created = super().add_product(product, quantity, options)
        if loaded is None or options:
            return line, created
        if created:
            line.product = product
            line._prefetched_objects_cache = {"attributes": _prefetched(line.attributes.all(), [])}
            loaded = [*loaded, line]
        for kept in loaded:
            kept.clear_discount()
            if kept.pk == line.pk:
                kept.quantity = line.quantity
        self._lines = _prefetched(self.all_lines(), loaded)
        return line, created

    def _loaded_lines(self) -> list | None:
        """The lines ``all_lines`` has read in this request, or None when it has not read them yet."""
        if self._lines is None or self._lines._result_cache is None:
            return None
        return list(self._lines._result_cache)

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


def _prefetched(queryset, objects: list):
    """``queryset`` as if it had been read and had found ``objects``."""
    queryset._result_cache = objects
    queryset._prefetch_done = True
    return queryset


from oscar.apps.basket.models import *  # noqa: E402,F403
