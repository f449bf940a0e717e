"""How an OCOP product shows itself: the star badge and its title in the visitor's language.

``{% ocop_badge product %}`` is the one badge used wherever a product appears
(cards, product page, basket). It reads ``product.current_certificate``, which
uses the prefetched ``certificates`` when the product comes from
``catalog.selectors.product_cards``, so a list of badges costs no query per product.
"""

from django import template
from django.utils.translation import get_language
from oscar.core.loading import get_class, get_model

from catalog import selectors
from catalog.ocop import badge_label
from catalog.selectors import browsable_products, load_product_page, product_cards

Category = get_model("catalogue", "Category")
Option = get_model("catalogue", "Option")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")

register = template.Library()

STAR = "★"


@register.inclusion_tag("catalog/partials/ocop_badge.html")
def ocop_badge(product, size: str = "") -> dict:
    """The current certificate's stars with a text alternative; nothing without a current certificate."""
    certificate = getattr(product, "current_certificate", None) if product else None
    if certificate is None:
        return {"certificate": None}
    return {
        "certificate": certificate,
        "stars": STAR * certificate.stars,
        "label": badge_label(certificate.stars),
        "size": size,
    }


def _english() -> bool:
    return (get_language() or "").split("-")[0] == "en"


@register.filter
def ocop_title(product) -> str:
    """The product's title, in English when the page is in English and an English title is set."""
    if product is None:
        return ""
    if _english() and getattr(product, "title_en", ""):
        return product.title_en
    return product.get_title()


@register.simple_tag
def ocop_load_product_page(product) -> str:
    """Read what the product page shows of ``product`` beyond its own row, in a fixed number of queries.

    Placed at the start of the page's content, so the reads happen only when the content is rendered, not when
    it comes from the cache.
    """
    load_product_page(product)
    return ""


@register.simple_tag
def ocop_shown_reviews(product, limit: int = 3) -> list:
    """The reviews the product page shows, with their authors' names in the same query."""
    return selectors.shown_reviews(product, limit=limit)


@register.simple_tag
def ocop_earlier_certificates(product) -> list:
    """Verified certificates other than the one the product page shows, latest first."""
    shown = product.current_certificate or product.latest_certificate
    verified = [
        c for c in product.certificates.all() if c.status == c.Status.VERIFIED and (shown is None or c.pk != shown.pk)
    ]
    return sorted(verified, key=lambda c: (c.decision_date, c.pk), reverse=True)


def _cards_in_order(ids: list[int]) -> list:
    """Browsable products with these ids, shaped for cards (a fixed number of queries), in the ids' order."""
    if not ids:
        return []
    products = product_cards(browsable_products().filter(pk__in=ids))
    by_pk = {product.pk: product for product in products}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@register.simple_tag
def ocop_recommended_products(product, limit: int = 6) -> list:
    """The product's recommendations, by ranking, ready for cards."""
    ids = ProductRecommendation.objects.filter(primary=product).order_by("-ranking", "pk")
    return _cards_in_order(list(ids.values_list("recommendation_id", flat=True)[:limit]))


@register.simple_tag
def ocop_recently_viewed_products(request, current_product=None, limit: int = 6) -> list:
    """Products in the visitor's history cookie, latest first, without the one on screen."""
    current_pk = current_product.pk if current_product is not None else None
    ids = [pk for pk in reversed(CustomerHistoryManager.extract(request)) if isinstance(pk, int) and pk != current_pk]
    return _cards_in_order(ids[:limit])


@register.simple_tag(takes_context=True)
def ocop_works_for_producer(context) -> bool:
    """Whether the header offers the producers' portal to this user: one query, none when anonymous.

    The portal's own pages already hold the user's producer (``user_producer``), so they cost no query either.
    """
    if context.get("user_producer") is not None:
        return True
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return False
    return user.partners.filter(producer__isnull=False).exists()
