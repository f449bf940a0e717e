"""Oscar's basket middleware, reading a basket's vouchers once a request."""

from django.db.models import prefetch_related_objects
from oscar.apps.basket import middleware


class BasketMiddleware(middleware.BasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        # Applying the offers lists the basket's vouchers; so does every later application in the request
        # (after a basket add, the basket page's offer hints, writing the order). Adding or removing one
        # clears Django's prefetched list.
        if not basket.is_empty:
            prefetch_related_objects([basket], "vouchers")
        super().apply_offers_to_basket(request, basket)
