"""Product cards' HTML from the cache: a listing page loads and renders only the cards it has not cached.

The page's ids query (``search.backends.database``) also reads each listing row's
``updated_at``, which every write that changes what a card shows sets: a product, price,
stock, certificate, producer, partner or district change rewrites the row (``search.indexing``,
always touching it), an allocation or a campaign price rewrites the price columns with it, and
an image or an option change touches it (``search.receivers``). A card's key holds that stamp,
the product, the language, today's date (a certificate lapses at midnight without any write),
which campaign offers run for this visitor now (a campaign starts and ends by the clock; its
terms, budget and page are in the fingerprint) and ``CARD_LAYOUT``. No query is spent on the
key: the stamps come with the ids, and the running offers are the ones the page's prices read
anyway (the strategy's, loaded once per request).

A card found in the cache needs no product loaded and no card prefetch query; the others are
loaded together in one batch (``search.selectors.cards_in_order``), rendered by the
``product_card`` tag and stored. The CSRF token of a card's add-to-basket form is this
visitor's own (``search.fragments``). ``CARD_CACHE_SECONDS`` (default 600, 0 = off) bounds how
long a card is kept; a new stamp makes a new key, so a changed card is never read again.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from search import fragments

CARD_LAYOUT = 1  # raise when a change of the card's templates must not serve cards cached before it


@dataclass(frozen=True)
class CachedCard:
    """A card found in the cache: what the ``product_card`` tag shows instead of rendering a product."""

    pk: int
    html: str


def campaigns_fingerprint(campaigns) -> str:
    """What the running campaign offers change on a card: which run for this visitor now, their discount,
    budget left, range and campaign page (its last publication covers its badge, title and address)."""
    from cms.offers import remaining_budget

    terms = [
        (
            running.offer.pk,
            str(running.offer.benefit.value),
            str(remaining_budget(running.offer)),
            running.campaign.pk,
            str(getattr(running.campaign, "last_published_at", "")),
            running.url,
            sorted(running.product_ids),
            running.category_paths,
        )
        for running in campaigns.offers
    ]
    return hashlib.blake2b(repr(terms).encode(), digest_size=8).hexdigest() if terms else "-"


def _campaigns(request):
    strategy = getattr(request, "strategy", None)
    campaigns = getattr(strategy, "campaigns", None)
    if campaigns is None:
        from cms.pricing import RunningCampaigns

        campaigns = RunningCampaigns(user=getattr(request, "user", None), request=request)
    return campaigns


class CardCache:
    """The product cards of one request's listing (``kind`` names the card template's variant)."""

    def __init__(self, request, *, kind: str = "listing"):
        self.request = request
        self.kind = kind

    @property
    def enabled(self) -> bool:
        return settings.CARD_CACHE_SECONDS > 0 and self.request is not None

    def prefix(self) -> str:
        return (
            f"card:{CARD_LAYOUT}:{self.kind}:{get_language()}:{timezone.localdate():%Y%m%d}:"
            f"{campaigns_fingerprint(_campaigns(self.request))}"
        )

    def cards(self, ids: list[int], stamps: dict | None, *, load) -> list:
        """The cards of ``ids`` in order: a ``CachedCard`` for each one cached, else the product from
        ``load(missing_ids)`` (one batch) carrying the key its card is to be stored under."""
        if not ids or not stamps or not self.enabled:
            return load(ids)
        prefix = self.prefix()
        keys = {pk: f"{prefix}:{pk}:{stamps[pk].timestamp():.6f}" for pk in ids if stamps.get(pk) is not None}
        found = cache.get_many(list(keys.values())) if keys else {}
        missing = [pk for pk in ids if keys.get(pk) not in found]
        loaded = {product.pk: product for product in load(missing)} if missing else {}
        cards = []
        for pk in ids:
            key = keys.get(pk)
            if key in found:
                cards.append(CachedCard(pk=pk, html=found[key]))
            elif pk in loaded:
                product = loaded[pk]
                product.card_cache_key = key
                cards.append(product)
        return cards


def show(context, card, render) -> str:
    """A card's HTML: the cached one with this visitor's token, or ``render()``'s, stored when it has a key."""
    if isinstance(card, CachedCard):
        return fragments.thaw(context.get("request"), card.html)
    html = render()
    key = getattr(card, "card_cache_key", None)
    if key:
        fragments.store(key, html, settings.CARD_CACHE_SECONDS)
    return html
