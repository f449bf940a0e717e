"""The product page: Oscar's view, reading the product alone.

The page's template reads the rest (``ocop_load_product_page``) when it renders
the parts that show it; most requests take those parts from the cache
(``templates/oscar/catalogue/detail.html``). Oscar loads ``ProductDetailView``
from here (``get_class("catalogue.views", ...)``); the browse views stay
Oscar's, which take them from the search app.
"""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog.selectors import product_page


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return product_page(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # Asked once here: the page's cached content is kept per its value (no query for a guest).
        ctx["review_permitted"] = self.object.is_review_permitted(self.request.user)
        return ctx
