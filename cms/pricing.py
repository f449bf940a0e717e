"""What a campaign takes off a product's price, for the cards and product pages.

The basket and checkout get their discount from Oscar's offer machinery (the
campaign's ConditionalOffer and the benefits in ``cms.offers``); this module
answers the same question for a page of products without a basket: it loads the
running campaigns' offers once (a fixed number of queries, whatever the number of
products) and picks, for each product, the offer Oscar would apply first
(highest priority, then oldest), with the same ``unit_discount``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from oscar.core.loading import get_model

from cms.offers import remaining_budget, unit_discount

ConditionalOffer = get_model("offer", "ConditionalOffer")


@dataclass(frozen=True)
class Promotion:
    """A product's campaign price: shown struck through beside the campaign's badge."""

    title: str
    badge: str
    url: str
    original: Decimal
    price: Decimal

    @property
    def discount(self) -> Decimal:
        return self.original - self.price


@dataclass(frozen=True)
class _RunningOffer:
    offer: object
    campaign: object
    url: str
    product_ids: frozenset
    category_paths: tuple

    def covers(self, product) -> bool:
        if product.pk in self.product_ids or (product.parent_id and product.parent_id in self.product_ids):
            return True
        if not self.category_paths:
            return False
        source = product.parent if product.parent_id else product
        return any(
            category.path.startswith(path) for category in source.categories.all() for path in self.category_paths
        )


def covered_product_ids(product_range) -> set[int]:
    """The products an offer's range discounts, by the rule of ``_RunningOffer.covers``: chosen ones (and
    their variants), and those filed in a chosen category or below it. For the search index to follow."""
    Product = get_model("catalogue", "Product")
    chosen = list(product_range.included_products.values_list("pk", flat=True))
    covered = Q(pk__in=chosen) | Q(parent_id__in=chosen)
    for path in product_range.included_categories.values_list("path", flat=True):
        covered |= Q(categories__path__startswith=path) | Q(parent__categories__path__startswith=path)
    return set(Product.objects.filter(covered).values_list("pk", flat=True))


def campaign_offer_windows() -> list[tuple]:
    """``(pk, start, end)`` of every offer ``RunningCampaigns`` may find running at some moment (open, of a live
    campaign), in one query: for a cache that must know when the running set changes by the clock alone."""
    return list(
        ConditionalOffer.objects.filter(
            offer_type=ConditionalOffer.SITE, campaign__live=True, status=ConditionalOffer.OPEN
        ).values_list("pk", "start_datetime", "end_datetime")
    )


def runs_at(start, end, moment) -> bool:
    """Whether an offer's window holds ``moment``, both ends included (Oscar's ``ConditionalOffer.active``)."""
    return (start is None or start <= moment) and (end is None or moment <= end)


class RunningCampaigns:
    """The campaign offers running now, loaded on first use; one per buyer's request (the strategy keeps it).

    With the ``request`` (a page's prices), the offers are read from the cache under the catalogue version
    (``search.cache``), which every change to an offer, a campaign page, a range or a discount raises, as it
    does for the whole cached pages that show these prices; which offer runs *now* is decided here on every
    request, so an offer starting or ending by the clock needs no write. Without it (the listing rows' own
    prices, ``search.indexing``) they are always read from the database.
    """

    def __init__(self, user=None, request=None):
        self.user = user
        self.request = request
        self._offers = None

    def _open_offers(self) -> list[tuple]:
        """One query: every open offer of a live campaign that has not ended, with the products and
        categories its range names, as ``(offer, product ids, category paths)``. Each offer comes back once
        per (product, category) its range names, and the rows are folded here (a few dozen in all). Offers
        that start later are kept: ``_load`` decides whether each runs at this moment."""
        rows = (
            ConditionalOffer.objects.filter(
                Q(end_datetime__gte=timezone.now()) | Q(end_datetime=None),
                offer_type=ConditionalOffer.SITE,
                status=ConditionalOffer.OPEN,
                campaign__live=True,
            )
            .select_related("benefit__range", "campaign")
            .annotate(
                range_product_id=F("benefit__range__included_products__id"),
                range_category_path=F("benefit__range__included_categories__path"),
            )
            .order_by("-priority", "pk")
        )
        offers, product_ids, category_paths = {}, {}, {}
        for row in rows:
            offers.setdefault(row.pk, row)
            if row.range_product_id is not None:
                product_ids.setdefault(row.pk, set()).add(row.range_product_id)
            if row.range_category_path is not None:
                category_paths.setdefault(row.pk, {})[row.range_category_path] = None
        return [
            (offer, frozenset(product_ids.get(pk, ())), tuple(category_paths.get(pk, {})))
            for pk, offer in offers.items()
        ]

    def _kept_open_offers(self) -> list[tuple]:
        if self.request is None:
            return self._open_offers()
        from search.cache import kept, request_catalogue_version

        return kept(lambda: f"campaign-offers:{request_catalogue_version(self.request)}", self._open_offers)

    def _load(self) -> list[_RunningOffer]:
        signed_in = self.user if self.user and self.user.is_authenticated else None
        running = []
        for offer, product_ids, category_paths in self._kept_open_offers():
            if not offer.is_available(user=signed_in):  # also: has it started, has it ended
                continue
            if offer.max_user_applications and signed_in is None:
                continue  # limited per customer: for signed-in customers only (``CampaignBenefit.apply``)
            running.append(
                _RunningOffer(
                    offer=offer,
                    campaign=offer.campaign,
                    url=offer.campaign.url,
                    product_ids=product_ids,
                    category_paths=category_paths,
                )
            )
        return running

    @property
    def offers(self) -> list[_RunningOffer]:
        if self._offers is None:
            self._offers = self._load()
        return self._offers

    def promotion_for(self, product, price: Decimal) -> Promotion | None:
        for running in self.offers:
            if running.covers(product):
                benefit = running.offer.benefit
                discount = unit_discount(kind=running.campaign.discount_kind, value=benefit.value, price=price)
                remaining = remaining_budget(running.offer)
                if discount <= 0 or (remaining is not None and remaining < discount):
                    continue  # the basket could not give one unit this discount any more
                text = running.campaign.text_in(get_language())
                return Promotion(
                    title=text["title"],
                    badge=text["badge"],
                    url=running.url,
                    original=price,
                    price=price - discount,
                )
        return None
