"""Reads for the editorial pages, shaped so that a page's query count does not grow with its products."""

from django.db.models import QuerySet
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
    from django.utils import timezone

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


def upcoming_events(*, limit: int = 3) -> list:
    """Live events not over yet, soonest first."""
    from django.utils import timezone

    from cms.models import EventPage

    events = EventPage.objects.live().filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")
    return list(events[:limit])


def open_sales_points(*, district: str | None = None, limit: int = 12) -> list:
    """Open sales points (of a former district, if given), by name."""
    from outlets.models import Outlet

    outlets = Outlet.objects.filter(is_open=True).select_related("former_district").order_by("name")
    if district:
        outlets = outlets.filter(former_district_id=district)
    return list(outlets[:limit])
