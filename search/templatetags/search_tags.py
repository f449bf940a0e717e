from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from oscar.core.loading import get_model
from oscar.templatetags.category_tags import CheapCategoryInfo
from oscar.templatetags.product_tags import render_product

from search import cards, selectors
from search.cache import request_listing_version

register = template.Library()
Category = get_model("catalogue", "Category")


@register.simple_tag(takes_context=True)
def product_card(context, card):
    """Oscar's ``render_product``, served from the card cache when the listing found the card there
    (``search.cards``); a card rendered here is stored for the next page that shows it."""
    return cards.show(context, card, lambda: render_product(context, card))


@register.simple_tag(takes_context=True)
def listing_version(context) -> int:
    """For ``{% cache %}`` keys of fragments every change a listing shows must retire (menus, the category
    tree, the sidebar's counts): read once per request (``search.cache``). A stock level does not raise it."""
    return request_listing_version(context.get("request"))


@register.simple_tag(takes_context=True)
def listing_version_if_read(context) -> int | None:
    """The listing version if this request has read it already (a listing page does), else None: a page
    that does not need it pays no query for it, and renders its fragments afresh."""
    return getattr(context.get("request"), "_listing_version", None)


@register.simple_tag
def menu_groups() -> list[dict]:
    """The menu's product groups with something on sale (``search.selectors.menu_groups``)."""
    return selectors.menu_groups()


@register.simple_tag
def local_day() -> str:
    """Today in the shop's time zone, for fragment keys: a certificate lapses at midnight with no write."""
    return f"{timezone.localdate():%Y%m%d}"


@register.simple_tag
def menu_category_tree() -> list:
    """Oscar's ``category_tree`` (the browsable categories not excluded from the menu, annotated for the
    sidebar) from one query instead of two: the excluded subtrees are left out here."""
    rows = list(Category.objects.browsable().order_by("path"))
    excluded = tuple(row.path for row in rows if row.exclude_from_menu)
    nodes = [row for row in rows if not (excluded and row.path.startswith(excluded))]
    annotated, tree_slug, start_depth, prev_depth = [], "", None, None
    info = CheapCategoryInfo(None, url="")
    node_depth = 0
    for node in nodes:  # as Oscar's ``get_annotated_list``
        node_depth = node.get_depth()
        if start_depth is None:
            start_depth = node_depth
        if prev_depth is None or node_depth > prev_depth:
            info["has_children"] = True
            if info.category is not None:
                tree_slug = info.category.get_full_slug(tree_slug)
        if prev_depth is not None and node_depth < prev_depth:
            depth_difference = prev_depth - node_depth
            info["num_to_close"] = list(range(0, depth_difference))
            tree_slugs = tree_slug.rsplit(node._slug_separator, depth_difference)
            tree_slug = tree_slugs[0] if tree_slugs else node.slug
        info = CheapCategoryInfo(
            node, url=node._get_absolute_url(tree_slug), num_to_close=[], level=node_depth - start_depth
        )
        annotated.append(info)
        prev_depth = node_depth
    if prev_depth is not None:
        info["num_to_close"] = list(range(0, prev_depth - start_depth))
        info["has_children"] = node_depth > prev_depth
    return annotated


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
