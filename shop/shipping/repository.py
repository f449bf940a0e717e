from oscar.apps.shipping import repository

from outlets.selectors import holding_every
from shop.shipping.methods import CollectAtPoint, HomeDelivery, collection_outlet_id


def collection_points(basket, only: int | None = None) -> list:
    """Open sales points whose free stock serves every line of the basket (several producers included).

    ``only``: look at that one point alone (the one the buyer chose), not at every point.

    Oscar's checkout asks for the shipping methods three times in one request (its pre-conditions, skip
    conditions and the page): the answer is kept on the basket, which lives one request, while its lines stay
    the same. Placing the order checks the point's stock again under row locks (``shop.order.services``).
    """
    quantities: dict[int, int] = {}
    products = {}
    for line in basket.all_lines():
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
        products[line.product_id] = line.product
    if not products:
        return []
    asked = (tuple(sorted(quantities.items())), only)
    kept = getattr(basket, "_collection_points", None)
    if kept is None or kept[0] != asked:
        points = holding_every(list(products.values()), quantities)
        if only is not None:
            points = points.filter(pk=only)
        kept = basket._collection_points = (asked, list(points))
    return kept[1]


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, for_checkout=False, chosen=None, **kwargs):
        # Checkout asks first, before any address (``for_checkout``: delivery or collection decides whether
        # one is needed), then again with the address or collecting contact; the basket page (an indicative
        # cost) asks with neither and does not look for collection points.
        if shipping_addr is None and not for_checkout:
            return [HomeDelivery()]
        if chosen is not None:
            # Is the buyer's choice (``chosen``: its code) still on offer? Home delivery always is; a sales
            # point only while it holds the whole basket, so only that point is looked at.
            outlet_id = collection_outlet_id(chosen)
            if outlet_id is None:
                return [HomeDelivery()]
            return [HomeDelivery(), *(CollectAtPoint(outlet) for outlet in collection_points(basket, outlet_id))]
        return [HomeDelivery(), *(CollectAtPoint(outlet) for outlet in collection_points(basket))]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        # The basket page's indicative cost: home delivery, without looking for collection points.
        return HomeDelivery()
