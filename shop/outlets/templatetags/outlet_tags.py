from django import template

from outlets import selectors

register = template.Library()


@register.simple_tag
def outlets_holding(product, limit: int = 20) -> list:
    """Open sales points that hold ``product`` now (one query, whatever their number)."""
    return selectors.available_at(product, limit=limit)
