"""The product page: Oscar's view, reading the product with everything the page shows.

Oscar loads ``ProductDetailView`` from here (``get_class("catalogue.views", ...)``);
the browse views stay Oscar's, which take them from the search app.
"""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog.selectors import product_cards


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return product_cards(super().get_queryset())
