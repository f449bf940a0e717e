"""Reads for the editorial pages, shaped so that a page's query count does not grow with its products."""

from django.db.models import QuerySet
from oscar.core.loading import get_class, get_model

from catalog.selectors import browsable_products, product_cards

Product = get_model("catalogue", "Product")


def strategy_for(request):
    """The buyer's pricing strategy: the request's (Oscar's basket middleware sets it), else the default one."""
    strategy = getattr(request, "strategy", None)
    if strategy is None:
        strategy = get_class("partner.strategy", "Selector")().strategy(request=request)
    return strategy


def buyable_products(queryset: QuerySet, *, request, limit: int | None = None) -> list:
    """Product cards of ``queryset`` that can be bought now (certified, in stock), in the queryset's order.

    The cards' data comes in a fixed number of queries; the availability rule is the
    buyer's strategy, asked once per product on prefetched rows.
    """
    strategy = strategy_for(request)
    products = []
    for product in product_cards(queryset):
        if strategy.fetch_for_product(product).availability.is_available_to_buy:
            products.append(product)
            if limit is not None and len(products) >= limit:
                break
    return products


def products_in_order(ids: list[int]) -> QuerySet:
    """Browsable products with these ids; the caller keeps the editor's order (see ``ordered``)."""
    return browsable_products().filter(pk__in=ids)


def ordered(products: list, ids: list[int]) -> list:
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(products, key=lambda product: position.get(product.pk, len(position)))


def event_products(event) -> QuerySet:
    producer_ids = [producer.pk for producer in event.producers.all()]
    return browsable_products().filter(producer_id__in=producer_ids).order_by("producer_id", "title")
