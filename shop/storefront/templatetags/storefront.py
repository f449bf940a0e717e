"""Template helpers of the storefront's layout."""

from django import template

from search import facets

register = template.Library()


@register.simple_tag
def active_filter_count(params) -> int:
    """How many filters the shopper has ticked, for the "Lọc (N)" button: each ticked value counts once,
    a price range counts once whether it has one bound or two."""
    count = sum(len([v for v in params.getlist(name) if v]) for name in facets.FILTER_PARAMS if "price" not in name)
    if params.get("price_min") or params.get("price_max"):
        count += 1
    return count
