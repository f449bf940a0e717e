"""Cached parts of a page that every visitor sees alike.

``{% shared_fragment "name" vary... %}…{% endshared_fragment %}`` (``storefront`` tags).

The product page renders its breadcrumbs and its content (pictures, price, basket
form, certificate, sales points, reviews, related products) once per catalogue
change and serves them from the cache to every visitor after that, while the
parts that are the visitor's own (the back button, "recently viewed", the
header's basket) are rendered on each request. The whole-page cache
(``shop.page_cache``) serves only visitors with nothing of their own; these
fragments serve everyone, signed in or not, and work with it off.

A fragment's key holds what may change what it shows without a write that
reaches it, and what a visitor's own state changes:

- the catalogue and the stock version (``search.cache``), raised after every
  committed change to a product, price, stock level, certificate, category,
  producer, image, offer or published Wagtail page; read once per request;
- today's date: a certificate lapses at midnight without any write;
- the language and the host;
- the campaign offers running now for this visitor: a campaign that starts or
  ends on its schedule changes the set without a write. For a signed-in shopper
  (who may get an offer limited per customer that a guest does not) they are
  ``request.strategy``'s, the ones the page's prices come from, fingerprinted
  as the listing cards do it (``search.cards``); for a guest, the offers whose
  window holds this moment among those that may run (``cms.pricing``), read once
  per catalogue version, so a page from the cache reads no offer (everything
  else that changes a guest's running set is a write, which raises the version);
- what the template names after the fragment's name (say, ``user.is_staff``).

CSRF tokens in a fragment's forms (add to basket on the product and on each
card) are stored as a placeholder and filled with the visitor's own token on
each read (``search.fragments``, which also refuses to store a fragment that
carries a Content-Security-Policy nonce). A visitor whose session holds a
refused add-to-basket form (Oscar shows its errors on the product page once)
gets the fragment rendered afresh. ``FRAGMENT_CACHE_SECONDS`` bounds how long a
fragment is kept (0 turns them off).
"""

import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from cms.pricing import campaign_offer_windows, runs_at
from search import fragments
from search.cache import product_page_versions
from search.cards import campaigns_fingerprint

# Oscar's basket_form tag keeps a refused form's data in the session under this prefix, per product.
REFUSED_BASKET_FORM = "add_to_basket_form_post_data_"


def request_key(request) -> str:
    """The part of every fragment's key that this request shares: computed once per request."""
    key = getattr(request, "_shared_fragment_key", None)
    if key is None:
        version, stock_version = product_page_versions()
        if getattr(getattr(request, "user", None), "is_authenticated", False):
            campaigns = getattr(getattr(request, "strategy", None), "campaigns", None)
            offers = campaigns_fingerprint(campaigns) if campaigns is not None else ""
        else:
            offers = guest_offers_running(version)
        key = f"{version}.{stock_version}:{timezone.localdate():%Y%m%d}:{get_language()}:{request.get_host()}:{offers}"
        request._shared_fragment_key = key
    return key


def guest_offers_running(version: int) -> str:
    """The campaign offers whose window holds this moment, from the windows read once per catalogue version."""
    windows_key = f"fragment:offer-windows:{version}"
    windows = cache.get(windows_key)
    if windows is None:
        windows = campaign_offer_windows()
        cache.set(windows_key, windows, settings.FRAGMENT_CACHE_SECONDS)
    now = timezone.now()
    return "guest:" + ",".join(str(pk) for pk, start, end in windows if runs_at(start, end, now))


def fragment_key(request, name: str, vary_on: list) -> str:
    parts = "|".join([request_key(request), *(str(value) for value in vary_on)])
    return f"fragment:{name}:{hashlib.sha256(parts.encode()).hexdigest()}"


def cacheable(request) -> bool:
    if settings.FRAGMENT_CACHE_SECONDS <= 0 or request is None or request.method != "GET":
        return False
    session = getattr(request, "session", None)
    # A guest without a session cookie has an empty session: reading its keys costs no query.
    return session is None or not any(key.startswith(REFUSED_BASKET_FORM) for key in session.keys())


class SharedFragmentNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context) -> str:
        request = context.get("request")
        if not cacheable(request):
            return self.nodelist.render(context)
        key = fragment_key(request, self.name, [value.resolve(context) for value in self.vary_on])
        frozen = cache.get(key)
        if frozen is not None:
            return fragments.thaw(request, frozen)
        html = self.nodelist.render(context)
        fragments.store(key, html, settings.FRAGMENT_CACHE_SECONDS)
        return html


def do_shared_fragment(parser, token) -> SharedFragmentNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name")
    nodelist = parser.parse(("endshared_fragment",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return SharedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
