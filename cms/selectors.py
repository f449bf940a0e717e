"""Reads for the editorial pages, shaped so that a page's query count does not grow with its products."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from catalog.selectors import browsable_products, product_cards

Product = get_model("catalogue", "Product")


def strategy_for(request):
    """The buyer's pricing strategy: the request's (Oscar's basket middleware sets it), else the default one."""
    strategy = getattr(request, "strategy", None)
    if strategy is None:
        strategy = get_class("partner.strategy", "Selector")().strategy(request=request)
    return strategy


def buyable_products(queryset: QuerySet, *, request, limit: int | None = None) -> list:
    """Product cards of ``queryset`` that can be bought now (certified, in stock), in the queryset's order.

    The cards' data comes in a fixed number of queries; the availability rule is the
    buyer's strategy, asked once per product on prefetched rows.
    """
    strategy = strategy_for(request)
    if limit is not None:
        queryset = queryset[: limit * 3]  # room for the few that cannot be bought, without loading a whole group
    products = []
    for product in product_cards(queryset):
        if strategy.fetch_for_product(product).availability.is_available_to_buy:
            products.append(product)
            if limit is not None and len(products) >= limit:
                break
    return products


def products_in_order(ids: list[int]) -> QuerySet:
    """Browsable products with these ids; the caller keeps the editor's order (see ``ordered``)."""
    return browsable_products().filter(pk__in=ids)


def ordered(products: list, ids: list[int]) -> list:
    position = {pk: index for index, pk in enumerate(ids)}
    return sorted(products, key=lambda product: position.get(product.pk, len(position)))


def event_products(event) -> QuerySet:
    producer_ids = [producer.pk for producer in event.producers.all()]
    return browsable_products().filter(producer_id__in=producer_ids).order_by("producer_id", "title")


def products_by_rule(
    *, group: str | None = None, district: str | None = None, min_stars: str | None = None, producer: str | None = None
) -> QuerySet:
    """Browsable products of a group (and its sub-groups), a former district, a producer, with at least N stars."""
    from oscar.core.loading import get_model

    from catalog.selectors import current_stars_subquery

    queryset = browsable_products()
    if group:
        category = get_model("catalogue", "Category").objects.filter(pk=group).first()
        if category is None:
            return queryset.none()
        queryset = queryset.filter(categories__path__startswith=category.path).distinct()
    if district:
        queryset = queryset.filter(producer__district_id=district)
    if producer:
        queryset = queryset.filter(producer_id=producer)
    if min_stars:
        queryset = queryset.annotate(rule_stars=current_stars_subquery()).filter(rule_stars__gte=int(min_stars))
    return queryset.order_by("-date_created", "pk")


def running_and_upcoming_campaigns(*, parent=None, limit: int | None = None) -> tuple[list, list]:
    """Live campaigns running now (ending soonest first) and those still to come (starting soonest first).

    One query: a campaign not over yet is either running or still to come (a campaign ends after it starts),
    and a province runs a handful at a time, so they are split here rather than read twice."""
    from cms.models import CampaignPage

    now = timezone.now()
    campaigns = CampaignPage.objects.live().select_related("hero_image")
    if parent is not None:
        campaigns = campaigns.child_of(parent)
    not_over = list(campaigns.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    running = sorted((c for c in not_over if c.starts_at <= now), key=lambda campaign: (campaign.ends_at, campaign.pk))
    upcoming = [campaign for campaign in not_over if campaign.starts_at > now]
    if limit is not None:
        running, upcoming = running[:limit], upcoming[:limit]
    return running, upcoming


@dataclass(frozen=True)
class HomeSchedule:
    """What the home page shows of the editorial calendar, and the first moment the clock alone changes it."""

    campaigns: list  # running now, ending soonest first
    events: list  # not over yet, soonest first
    changes_at: datetime.datetime | None  # None: nothing shown or waiting changes with time


def home_schedule(*, campaigns: int = 5, events: int = 3, now: datetime.datetime | None = None) -> HomeSchedule:
    """The home page's running campaigns and upcoming events in one query, and when that changes by the clock.

    Both are pages with a window in time, read through their Wagtail page row (each page type's own row joined
    to it). The lists change without any write when a running campaign ends, a campaign to come starts or a
    shown event ends (the next one takes its place): ``changes_at`` is the first of these moments, so a
    fragment made from them may be kept until then. A province runs a handful of campaigns and events at a
    time: every one not over is read and the lists are cut here."""
    from django.db.models import Q
    from wagtail.models import Page

    now = now or timezone.now()
    pages = (
        Page.objects.live()
        .filter(Q(campaignpage__ends_at__gte=now) | Q(eventpage__ends_at__gte=now))
        .select_related("campaignpage__hero_image", "eventpage")
    )
    not_over, upcoming_events = [], []
    for page in pages:
        campaign = getattr(page, "campaignpage", None)
        if campaign is not None:
            not_over.append(campaign)
        elif (event := getattr(page, "eventpage", None)) is not None:
            upcoming_events.append(event)
    running = sorted((c for c in not_over if c.starts_at <= now), key=lambda campaign: (campaign.ends_at, campaign.pk))
    shown_events = sorted(upcoming_events, key=lambda event: (event.starts_at, event.pk))[:events]
    moments = [c.starts_at for c in not_over if c.starts_at > now] + [c.ends_at for c in running]
    moments += [event.ends_at for event in shown_events]
    return HomeSchedule(campaigns=running[:campaigns], events=shown_events, changes_at=min(moments, default=None))


def open_sales_points(*, district: str | None = None, limit: int = 12) -> list:
    """Open sales points (of a former district, if given), by name."""
    from outlets.models import Outlet

    outlets = Outlet.objects.filter(is_open=True).select_related("former_district").order_by("name")
    if district:
        outlets = outlets.filter(former_district_id=district)
    return list(outlets[:limit])
