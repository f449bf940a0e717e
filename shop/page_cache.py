"""Whole-page cache for anonymous shoppers: home, listings, search and product pages.

A page is served from the cache only to a visitor who has nothing of their own
yet: no session (so not signed in), no basket and no pending message. Such a
visitor sees exactly what every other such visitor sees, apart from the CSRF
token of the page's forms (add to basket, language switch), which is stored as
a placeholder and filled with the visitor's own token on every hit, and the
Content-Security-Policy nonce of its scripts, swapped for this response's (``shop.csp``).

The key holds today's date (a certificate lapses at midnight without any
write), the language, the host and the full path with its query string; the
page is stored with the catalogue version (``search.cache``) it was rendered
under, a product page with the stock version too, and served only while that
is still the version. Every committed change to a product, price, stock,
certificate, category, producer, image (a product's or a Wagtail one), offer or
published Wagtail page raises the version, so the next request renders afresh:
a price change or a lapse shows at once. A stock level that changes nothing a
listing shows (an order leaving stock on the shelf) raises the stock version
alone: the product pages, which say how many are left, are rendered afresh, and
the home page, the listings and the searches stay cached. So does an order that
only adds to a campaign offer's usage (``offer_saved``). Basket,
checkout, account, portal, dashboard and admin pages are never cached (only the
paths in ``CACHED_PATHS`` are).

The cache is the default one: Redis when ``REDIS_URL`` is set, else local
memory (per process). With Redis the version and the page come in one round
trip and a hit runs no query; with local memory the version is read from the
database on every hit, so every process drops stale pages alike.
``PAGE_CACHE_SECONDS=0`` turns it off.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from search.cache import catalogue_changed, catalogue_version_and
from shop import csp

CACHED_PATHS = re.compile(r"^/(?:$|catalogue/(?!.*/reviews/)|search/$)")
# A product page shows the visitor's recently viewed products (a cookie) and sets that cookie.
PRODUCT_PAGE = re.compile(r"^/catalogue/(?!category/)[\w-]*_\d+/$")
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"__csrf_token__"
NONCE_PLACEHOLDER = b"__csp_nonce__"
# A page is kept cut at its placeholders (they are the odd pieces), so a hit fills them in one join instead of
# scanning the whole page once per placeholder kind.
PLACEHOLDERS = re.compile(b"(" + re.escape(CSRF_PLACEHOLDER) + b"|" + re.escape(NONCE_PLACEHOLDER) + b")")
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Frame-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy")


def _history_cookie() -> str:
    return settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME


def _own_state_cookies() -> set[str]:
    """Cookies that mean a visitor has something of their own: a session, a basket, pending messages."""
    return {settings.SESSION_COOKIE_NAME, settings.OSCAR_BASKET_COOKIE_OPEN, "messages"}


def page_key(request) -> str:
    """Day (a certificate lapses at midnight with no write), language, host, path and query; on a product page
    also the recently viewed products it lists. The catalogue version is stored with the page."""
    history = request.COOKIES.get(_history_cookie(), "") if PRODUCT_PAGE.match(request.path_info) else ""
    digest = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}|{history}".encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"page:{timezone.localdate():%Y%m%d}:{language}:{digest}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        version, frozen = catalogue_version_and(key, stock_levels=bool(PRODUCT_PAGE.match(request.path_info)))
        if frozen is not None and frozen.get("version") == version and "pieces" in frozen:
            return self.thaw(request, frozen)
        response = self.get_response(request)
        if self.cacheable_response(response):
            cache.set(key, self.freeze(response, version), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def cacheable_request(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method == "GET"
            and bool(CACHED_PATHS.match(request.path_info))
            and not _own_state_cookies() & set(request.COOKIES)
        )

    @staticmethod
    def cacheable_response(response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            # Only the CSRF and history cookies may be set (the history is in the key): anything else
            # (a session, a message) belongs to this visitor.
            and not set(response.cookies) - {settings.CSRF_COOKIE_NAME, _history_cookie()}
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def freeze(response, version: int) -> dict:
        content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
        if csp.nonce():
            content = content.replace(f'nonce="{csp.nonce()}"'.encode(), b'nonce="' + NONCE_PLACEHOLDER + b'"')
        return {
            "version": version,
            "pieces": PLACEHOLDERS.split(content),
            "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
            "cookies": {
                name: (morsel.value, {key: value for key, value in morsel.items() if value and key != "expires"})
                for name, morsel in response.cookies.items()
                if name == _history_cookie()
            },
        }

    @staticmethod
    def thaw(request, frozen: dict) -> HttpResponse:
        pieces = list(frozen["pieces"])
        fill = {NONCE_PLACEHOLDER: csp.nonce().encode()}
        if CSRF_PLACEHOLDER in pieces[1::2]:
            # The visitor's own token; get_token also makes the CSRF middleware set its cookie.
            fill[CSRF_PLACEHOLDER] = get_token(request).encode()
        pieces[1::2] = [fill[placeholder] for placeholder in pieces[1::2]]
        response = HttpResponse(b"".join(pieces))
        for name, value in frozen["headers"].items():
            response[name] = value
        for name, (value, attributes) in frozen["cookies"].items():
            response.cookies[name] = value
            response.cookies[name].update(attributes)
        response["X-Page-Cache"] = "hit"
        return response


def retire_cached_pages(sender, **kwargs) -> None:
    """A change that pages show but the listing rows do not hold (a product image): it leaves the listing
    version alone, and cards follow by their row stamp."""
    catalogue_changed(listings=False)


# What an order adds to an offer it used (Oscar's ``record_usage``). No page shows them, but an offer stops
# giving its discount once its cap is reached: a usage field counts as shown when its cap is set.
OFFER_USAGE = {"num_applications": "max_global_applications", "total_discount": "max_discount", "num_orders": None}


def offer_shown(offer) -> tuple:
    """The offer's fields that pages may show or that decide whether it runs, as loaded or last saved. Read
    from the instance's dictionary, so a deferred field is not loaded."""
    values = offer.__dict__
    return tuple(
        values.get(field.attname)
        for field in offer._meta.concrete_fields
        if field.name not in OFFER_USAGE or (OFFER_USAGE[field.name] and values.get(OFFER_USAGE[field.name]))
    )


def remember_offer(sender, instance, **kwargs) -> None:
    instance._page_shown = offer_shown(instance)


def offer_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """An offer changed: cached pages go, unless the save only added an order's usage to an offer with no cap
    that usage can reach (then nothing any page shows changed; every order using a campaign saves its offer)."""
    shown, instance._page_shown = getattr(instance, "_page_shown", None), offer_shown(instance)
    if raw or created or shown != instance._page_shown:
        catalogue_changed(listings=False)


def retire_cached_listings(sender, **kwargs) -> None:
    """A change that listings show without a card: a category (the menu, the category tree), a Wagtail page
    published or unpublished and a Wagtail image (the home page's campaigns and events, ``cms.fragments``)."""
    catalogue_changed()


def connect_receivers() -> None:
    from django.db.models.signals import post_delete, post_init, post_save
    from oscar.core.loading import get_model
    from wagtail.images import get_image_model
    from wagtail.signals import page_published, page_unpublished

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    post_init.connect(remember_offer, sender=ConditionalOffer, dispatch_uid="page_cache_offer_loaded")
    post_save.connect(offer_saved, sender=ConditionalOffer, dispatch_uid="page_cache_offer_saved")
    post_delete.connect(retire_cached_pages, sender=ConditionalOffer, dispatch_uid="page_cache_offer_deleted")
    for receiver, models in (
        (retire_cached_pages, (get_model("catalogue", "ProductImage"),)),
        (retire_cached_listings, (get_model("catalogue", "Category"), get_image_model())),
    ):
        for model in models:
            label = model._meta.label
            post_save.connect(receiver, sender=model, dispatch_uid=f"page_cache_{label}_saved")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"page_cache_{label}_deleted")
    page_published.connect(retire_cached_listings, dispatch_uid="page_cache_page_published")
    page_unpublished.connect(retire_cached_listings, dispatch_uid="page_cache_page_unpublished")
