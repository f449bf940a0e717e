"""Template helpers of the storefront's layout."""

from django import template

from catalog import phones
from search import facets
from search import selectors as search_selectors
from shop.storefront.fragments import do_shared_fragment

register = template.Library()
register.tag("shared_fragment", do_shared_fragment)


@register.simple_tag
def active_filter_count(params) -> int:
    """How many filters the shopper has ticked, for the "Lọc (N)" button: each ticked value counts once,
    a price range counts once whether it has one bound or two."""
    count = sum(len([v for v in params.getlist(name) if v]) for name in facets.FILTER_PARAMS if "price" not in name)
    if params.get("price_min") or params.get("price_max"):
        count += 1
    return count


@register.simple_tag
def related_products(product, limit: int = 8) -> list:
    """Listed products from the same producer, then the same group, ready for cards."""
    return search_selectors.related_products(product, limit=limit)


@register.filter
def phone_vn(number: str) -> str:
    """A Vietnamese phone number as people write it: ``0905 123 456`` (``+84905123456`` too)."""
    return phones.display(number)


@register.filter
def phone_digits(number: str) -> str:
    """The number for a ``tel:`` link."""
    return phones.normalise(number)
