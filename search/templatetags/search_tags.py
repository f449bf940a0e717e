from django import template
from django.utils.html import format_html, format_html_join
from oscar.templatetags.product_tags import render_product

from search import cards
from search.cache import request_catalogue_version

register = template.Library()


@register.simple_tag(takes_context=True)
def product_card(context, card):
    """Oscar's ``render_product``, served from the card cache when the listing found the card there
    (``search.cards``); a card rendered here is stored for the next page that shows it."""
    return cards.show(context, card, lambda: render_product(context, card))


@register.simple_tag(takes_context=True)
def catalogue_version(context) -> int:
    """For ``{% cache %}`` keys of fragments every catalogue change must retire (menus, the category tree):
    read once per request (``search.cache``)."""
    return request_catalogue_version(context.get("request"))


@register.simple_tag
def hidden_params(params, exclude: str = ""):
    """Hidden inputs carrying the page's query parameters, minus those named in ``exclude``."""
    excluded = set(exclude.split()) | {"page"}
    pairs = ((name, value) for name in params for value in params.getlist(name) if name not in excluded and value)
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs) or format_html("")


@register.filter
def category_name(category) -> str:
    """A category (or a node of Oscar's ``category_tree``) named in the page's language."""
    # A tree node wraps its category and passes only model fields through.
    return getattr(category, "category", category).display_name
