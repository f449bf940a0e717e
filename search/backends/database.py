"""Search and list with the database alone, reading only the listing rows (``search.models.ProductSearchText``).

Every query term must begin a word of a product's folded text ("nuoc mam" finds
"Nước mắm Cửa Đại", "mam" finds it too, "am" does not). Ranking: the whole
phrase as words of the title, then the phrase beginning a title word, then every
term in the title, then matches elsewhere (producer, district, description).

A listing takes two queries whatever its filters and page: one GROUP BY over the
matching rows that answers the total and every facet at once (counts per group,
stars, district and stock; each facet then sums the combinations that pass every
filter but its own), and the page's ids, read in the order of an index over
listed rows. On
PostgreSQL the word match is served by a trigram index on the folded text.
"""

from collections import defaultdict

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.utils import timezone
from oscar.core.loading import get_model

from search.backends.base import (
    NEWEST,
    PRICE_ASC,
    PRICE_DESC,
    RELEVANCE,
    STARS,
    TITLE,
    DistrictCount,
    FacetCounts,
    PageRequest,
    SearchFilters,
    SearchResult,
)
from search.models import ProductSearchText
from search.text import terms

Product = get_model("catalogue", "Product")

ORDERINGS = {
    STARS: ["-stars", "-date_created", "-product_id"],
    NEWEST: ["-date_created", "-product_id"],
    PRICE_ASC: [F("price").asc(nulls_last=True), "-stars", "-product_id"],
    PRICE_DESC: [F("price").desc(nulls_last=True), "-stars", "-product_id"],
    TITLE: ["title", "product_id"],
    RELEVANCE: ["-search_rank", "-stars", "-date_created", "-product_id"],
}
# The columns a facet counts by; one GROUP BY over them answers every facet.
FACET_COLUMNS = ("group_path", "stars", "district__slug", "district__name", "in_stock")


def listed_rows() -> QuerySet:
    """Rows of public, canonical products whose certificate is valid today: a range test on stored dates.

    A product whose certificate lapsed keeps its page (it says why it is not
    for sale) but is not listed or found.
    """
    today = timezone.localdate()
    return ProductSearchText.objects.filter(is_listed=True, valid_from__lte=today, valid_until__gt=today)


def listed_products() -> QuerySet:
    """The listed products themselves (for pages that need the model, not only ids)."""
    return Product.objects.filter(pk__in=listed_rows().values("product_id"))


class DatabaseBackend:
    def __init__(self, url: str = "", index: str = ""):
        self.url = url

    def find_outlets(
        self, query: str = "", *, kind: str = "", district: str = "", near: tuple[float, float] | None = None
    ) -> list[int]:
        """Open sales points matching ``query``, nearest first when ``near`` is given, else by former district
        and name. Every word must begin a word of the point's folded text, as for products; the few hundred
        points are folded here rather than stored folded."""
        from outlets.models import Outlet
        from outlets.selectors import distance_km
        from search.indexing import outlet_parts
        from search.text import index_words

        outlets = Outlet.objects.filter(is_open=True).select_related("former_district")
        if kind:
            outlets = outlets.filter(kind=kind)
        if district:
            outlets = outlets.filter(former_district__slug=district)
        if near is not None:
            outlets = outlets.annotate(distance=distance_km(*near)).order_by("distance", "name", "pk")
        else:
            outlets = outlets.order_by("former_district__name", "name", "pk")
        words = terms(query)
        if not words:
            return list(outlets.values_list("pk", flat=True))
        found = []
        for outlet in outlets:
            text = index_words(" ".join(outlet_parts(outlet).values()))
            if all(f" {word}" in text for word in words):
                found.append(outlet.pk)
        return found

    def match(self, rows: QuerySet, query: str) -> QuerySet:
        """Listing ``rows`` narrowed to those matching ``query``, annotated with ``search_rank``."""
        words = terms(query)
        if not words:
            return rows.annotate(search_rank=Value(0, output_field=IntegerField()))
        every_word_in_text = Q()
        every_word_in_title = Q()
        for word in words:
            every_word_in_text &= Q(text__contains=f" {word}")
            every_word_in_title &= Q(title__contains=f" {word}")
        phrase = " ".join(words)
        return rows.filter(every_word_in_text).annotate(
            search_rank=Case(
                When(title__contains=f" {phrase} ", then=Value(4)),
                When(title__contains=f" {phrase}", then=Value(3)),
                When(every_word_in_title, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    def search(
        self, query: str, filters: SearchFilters, sort: str, page: PageRequest, *, facets: bool = True
    ) -> SearchResult:
        rows = self.match(listed_rows(), query)
        if filters.category_path:
            rows = rows.filter(category_path__startswith=filters.category_path)
        if filters.producer is not None:
            rows = rows.filter(producer_id=filters.producer)
        if filters.price_min is not None:
            rows = rows.filter(price__gte=filters.price_min)
        if filters.price_max is not None:
            rows = rows.filter(price__lte=filters.price_max)
        passes = _FacetFilters(filters)
        if facets:
            combinations = list(rows.order_by().values(*FACET_COLUMNS).annotate(count=Count("pk")))
            counts = _facet_counts(combinations, passes, inside_category=bool(filters.category_path))
            total = sum(row["count"] for row in combinations if passes.all(row))
            stamps = {}
            if total > page.offset and page.size:
                ordered = passes.narrow(rows).order_by(*ORDERINGS.get(sort, ORDERINGS[STARS]))
                stamps = dict(ordered.values_list("product_id", "updated_at")[page.offset : page.offset + page.size])
            return SearchResult(ids=list(stamps), total=total, facets=counts, stamps=stamps)
        # No facets: the page's ids and the total in one query (a window count), counting apart only when
        # the page is past the end.
        rows = passes.narrow(rows)
        page_rows = []
        if page.size:
            ordered = rows.order_by(*ORDERINGS.get(sort, ORDERINGS[STARS])).annotate(total=Window(Count("pk")))
            page_rows = list(
                ordered.values_list("product_id", "total", "updated_at")[page.offset : page.offset + page.size]
            )
        total = page_rows[0][1] if page_rows else rows.count()
        return SearchResult(
            ids=[pk for pk, _total, _stamp in page_rows],
            total=total,
            facets=None,
            stamps={pk: stamp for pk, _total, stamp in page_rows},
        )

    def suggest(self, query: str, *, limit: int = 8) -> list[int]:
        """Listed products whose title has a word beginning with each word typed, best first."""
        words = terms(query)
        if not words:
            return []
        rows = listed_rows()
        for word in words:
            rows = rows.filter(title__contains=f" {word}")
        ranked = self.match(rows, query).order_by("-search_rank", "-stars", "-product_id")
        return list(ranked.values_list("product_id", flat=True)[:limit])

    def lapsed(self, query: str, *, limit: int = 10) -> list[int]:
        """Public products matching ``query`` whose certificate lapsed (not listed, but once certified)."""
        if not terms(query):
            return []
        today = timezone.localdate()
        rows = ProductSearchText.objects.filter(is_listed=True, valid_until__lte=today)
        ranked = self.match(rows, query).order_by("-search_rank", "-product_id")
        return list(ranked.values_list("product_id", flat=True)[:limit])

    # The rows themselves are written by ``search.indexing``; nothing else to keep.
    def index(self, product_ids) -> None:
        pass

    def remove(self, product_ids) -> None:
        pass

    def sync(self, product_ids) -> None:
        pass

    def reset(self) -> None:
        pass


class _FacetFilters:
    """The four faceted filters, applied to a row of the facet GROUP BY or to a queryset of rows."""

    def __init__(self, filters: SearchFilters):
        self.group_path = filters.group_path
        self.stars = filters.stars
        self.districts = filters.districts
        self.in_stock = filters.in_stock

    def all(self, row: dict, *, skip: str = "") -> bool:
        return (
            (skip == "group" or not self.group_path or row["group_path"] == self.group_path)
            and (skip == "stars" or not self.stars or row["stars"] in self.stars)
            and (skip == "districts" or not self.districts or row["district__slug"] in self.districts)
            and (skip == "in_stock" or not self.in_stock or row["in_stock"])
        )

    def narrow(self, rows: QuerySet) -> QuerySet:
        if self.group_path:
            rows = rows.filter(group_path=self.group_path)
        if self.stars:
            rows = rows.filter(stars__in=self.stars)
        if self.districts:
            rows = rows.filter(district__slug__in=self.districts)
        if self.in_stock:
            rows = rows.filter(in_stock=True)
        return rows


def _facet_counts(combinations: list[dict], passes: _FacetFilters, *, inside_category: bool) -> FacetCounts:
    """Each facet's counts from the GROUP BY rows: every filter applies but the facet's own."""
    groups: dict[str, int] = defaultdict(int)
    stars: dict[int, int] = defaultdict(int)
    by_district: dict[tuple[str, str], int] = defaultdict(int)
    in_stock = 0
    for row in combinations:
        if not inside_category and passes.all(row, skip="group"):
            groups[row["group_path"]] += row["count"]
        if passes.all(row, skip="stars"):
            stars[row["stars"]] += row["count"]
        if passes.all(row, skip="districts"):
            by_district[row["district__slug"], row["district__name"]] += row["count"]
        if row["in_stock"] and passes.all(row, skip="in_stock"):
            in_stock += row["count"]
    return FacetCounts(
        groups={path: count for path, count in groups.items() if path and count},
        stars={level: count for level, count in stars.items() if count},
        districts=[
            DistrictCount(slug=slug, name=name, count=count)
            for (slug, name), count in by_district.items()
            if slug and count
        ],
        in_stock=in_stock,
    )
