"""Search and list with the database alone, reading only the listing rows (``search.models.ProductSearchText``).

Every query term must begin a word of a product's folded text ("nuoc mam" finds
"Nước mắm Cửa Đại", "mam" finds it too, "am" does not). Ranking: the whole
phrase as words of the title, then the phrase beginning a title word, then every
term in the title, then matches elsewhere (producer, district, description).

A listing takes two queries whatever its filters and page: one GROUP BY over the
matching rows that answers the total and every facet at once (counts per group,
stars, district id and stock; each facet then sums the combinations that pass every
filter but its own; the districts' slugs and names are joined to the few hundred
combinations, not to every row), and the page's ids, read in the order of an index
over listed rows. A search sorted by relevance also counts per rank; when the asked
page lies inside one rank holding many matches, its ids are read in the stars order
within that rank (an index walk that stops after a page's worth) instead of ranking
every match. On PostgreSQL the word match is served by a trigram index on the folded text.
"""

import hashlib
from collections import defaultdict

from django.db import connections
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
from search.cache import kept
from search.models import ProductSearchText
from search.text import terms

Product = get_model("catalogue", "Product")
District = get_model("catalogue", "District")

ORDERINGS = {
    STARS: ["-stars", "-date_created", "-product_id"],
    NEWEST: ["-date_created", "-product_id"],
    PRICE_ASC: [F("price").asc(nulls_last=True), "-stars", "-product_id"],
    PRICE_DESC: [F("price").desc(nulls_last=True), "-stars", "-product_id"],
    TITLE: ["title", "product_id"],
    RELEVANCE: ["-search_rank", "-stars", "-date_created", "-product_id"],
}
# The columns a facet counts by; one GROUP BY over them answers every facet. The district is grouped by its
# id, a column of the row: its slug and name are joined to the few hundred groups, not to every listed row.
FACET_COLUMNS = ("group_path", "stars", "district_id", "in_stock")


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
        for word in words:
            every_word_in_text &= Q(text__contains=f" {word}")
        return rows.filter(every_word_in_text).annotate(
            search_rank=Case(
                *(When(condition, then=Value(rank)) for rank, condition in rank_conditions(words)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    def search(
        self,
        query: str,
        filters: SearchFilters,
        sort: str,
        page: PageRequest,
        *,
        facets: bool = True,
        version: int | None = None,
    ) -> SearchResult:
        narrowed = listed_rows()
        if filters.category_path:
            narrowed = narrowed.filter(category_path__startswith=filters.category_path)
        if filters.producer is not None:
            narrowed = narrowed.filter(producer_id=filters.producer)
        if filters.price_min is not None:
            narrowed = narrowed.filter(price__gte=filters.price_min)
        if filters.price_max is not None:
            narrowed = narrowed.filter(price__lte=filters.price_max)
        rows = self.match(narrowed, query)
        passes = _FacetFilters(filters)
        if facets:
            # A search sorted by relevance counts per rank too, so that its page can be read from one rank.
            words = terms(query) if sort == RELEVANCE else []
            combinations = _combinations_under(version, rows, query=query, filters=filters, ranked=bool(words))
            counts, total = _facet_counts(combinations, passes, inside_category=bool(filters.category_path))
            stamps = {}
            if total > page.offset and page.size:
                ordered = passes.narrow(rows)
                within = _within_one_rank(combinations, passes, page) if words else None
                if within:
                    # Inside one rank the order is by stars, as an index over listed rows holds them: a page of
                    # a search matching thousands reads a page's worth instead of ranking every match.
                    rank, offset = within
                    if rank > 1:
                        # A rank above the default is a condition on the title, and the title's words are the
                        # first words of the text: the text's word match adds nothing but a wrong estimate
                        # (the planner multiplies the conditions' odds and, expecting a dozen rows, ranks them
                        # all from the trigram indexes instead of walking the stars index: 9 against 2 ms for
                        # "nuoc mam" at 100,000 products).
                        ordered = passes.narrow(narrowed)
                    ordered = ordered.filter(_rank_is(rank_conditions(words), rank)).order_by(*ORDERINGS[STARS])
                else:
                    offset = page.offset
                    ordered = ordered.order_by(*ORDERINGS.get(sort, ORDERINGS[STARS]))
                stamps = dict(ordered.values_list("product_id", "updated_at")[offset : offset + page.size])
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

    def failed(self, row: dict) -> tuple:
        """The facets whose filter ``row`` does not pass (empty when it passes them all)."""
        failed = ()
        if self.group_path and row["group_path"] != self.group_path:
            failed += ("group",)
        if self.stars and row["stars"] not in self.stars:
            failed += ("stars",)
        if self.districts and row["district_slug"] not in self.districts:
            failed += ("districts",)
        if self.in_stock and not row["in_stock"]:
            failed += ("in_stock",)
        return failed

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


def rank_conditions(words: list[str]) -> list[tuple[int, Q]]:
    """A search's relevance ranks above the default 1, best first, each with the condition on the title that
    earns it (the first that holds): the whole phrase as words of the title, the phrase beginning a title
    word, every term in the title."""
    phrase = " ".join(words)
    conditions = [(4, Q(title__contains=f" {phrase} ")), (3, Q(title__contains=f" {phrase}"))]
    if len(words) == 1:  # every term in the title is the phrase beginning a title word: not tested twice
        return conditions
    every_word_in_title = Q()
    for word in words:
        every_word_in_title &= Q(title__contains=f" {word}")
    return [*conditions, (2, every_word_in_title)]


def _rank_is(conditions: list[tuple[int, Q]], rank: int) -> Q:
    """Rows whose ``search_rank`` is ``rank``, as conditions on the title the planner can estimate and serve."""
    rows = Q()
    for better, condition in conditions:
        if better > rank:
            rows &= ~condition
        elif better == rank:
            rows &= condition
    return rows


# The fewest matches of one rank for which a page is read in the stars order within that rank: below it the
# matches are few, and ranking them all costs little.
DENSE_RANK = 1000


def _within_one_rank(combinations: list[dict], passes: "_FacetFilters", page: PageRequest) -> tuple[int, int] | None:
    """The rank holding the whole asked page and the page's offset inside it, when that rank holds at least
    ``DENSE_RANK`` matches passing every filter; else None."""
    by_rank: dict[int, int] = defaultdict(int)
    for row in combinations:
        if not passes.failed(row):
            by_rank[row["search_rank"]] += row["count"]
    start = 0
    for rank in sorted(by_rank, reverse=True):
        count = by_rank[rank]
        if start <= page.offset < start + count:
            fits = page.offset + page.size <= start + count
            return (rank, page.offset - start) if fits and count >= DENSE_RANK else None
        start += count
    return None


def _combinations_under(
    version: int | None, rows: QuerySet, *, query: str, filters: SearchFilters, ranked: bool
) -> list[dict]:
    """``_combinations``, reused while the catalogue ``version`` and the day stay the same.

    The key holds everything that narrows ``rows`` before the GROUP BY (the query's terms, the category, the
    producer, the price range, whether it is ranked); the four facet filters are applied to the combinations
    in Python, so one result serves every choice in the sidebar. Any change a count could show (a product,
    price, stock, certificate, category or district) raises the version, and a lapse changes the day.
    Without a version (the caller has not read it) or with ``FRAGMENT_CACHE_SECONDS=0`` nothing is kept.
    """
    if version is None:
        return _combinations(rows, ranked=ranked)
    narrowing = (terms(query), filters.category_path, filters.producer, filters.price_min, filters.price_max, ranked)
    digest = hashlib.sha256(repr(narrowing).encode()).hexdigest()
    key = f"facets:{version}:{timezone.localdate():%Y%m%d}:{digest}"
    return kept(key, lambda: _combinations(rows, ranked=ranked))


def _combinations(rows: QuerySet, *, ranked: bool = False) -> list[dict]:
    """The facet GROUP BY over ``rows``: a count per (group, stars, district, in stock), and per search rank
    when ``ranked``, with the district's slug and name joined to the grouped rows afterwards (one query)."""
    columns = [*FACET_COLUMNS, "search_rank"] if ranked else list(FACET_COLUMNS)
    # COUNT(*), not COUNT(product_id): PostgreSQL then counts rows without reading a column of each, which
    # took a catalogue count at 100,000 products from about 38 to 22 ms of CPU.
    grouped = rows.order_by().values(*columns).annotate(count=Count("*"))
    connection = connections[grouped.db]
    sql, params = grouped.query.sql_with_params()
    name = connection.ops.quote_name
    keys = ["group_path", "stars", "in_stock", "count", *(["search_rank"] if ranked else [])]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f'g.{name(key)}' for key in keys)}, d.{name('slug')}, d.{name('name')} "
            f"FROM ({sql}) g LEFT JOIN {name(District._meta.db_table)} d ON d.{name('id')} = g.{name('district_id')}",
            params,
        )
        keys += ["district_slug", "district_name"]
        return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def _facet_counts(combinations: list[dict], passes: _FacetFilters, *, inside_category: bool) -> tuple[FacetCounts, int]:
    """Each facet's counts from the GROUP BY rows (every filter applies but the facet's own), and the total
    (every filter applies), in one pass: a row that fails two filters counts nowhere, one that fails one counts
    only in that filter's facet."""
    groups: dict[str, int] = defaultdict(int)
    stars: dict[int, int] = defaultdict(int)
    by_district: dict[tuple[str, str], int] = defaultdict(int)
    in_stock = total = 0
    for row in combinations:
        failed = passes.failed(row)
        if len(failed) > 1:
            continue
        count = row["count"]
        if not failed:
            total += count
        if not inside_category and failed in ((), ("group",)):
            groups[row["group_path"]] += count
        if failed in ((), ("stars",)):
            stars[row["stars"]] += count
        if failed in ((), ("districts",)):
            by_district[row["district_slug"], row["district_name"]] += count
        if row["in_stock"] and failed in ((), ("in_stock",)):
            in_stock += count
    counts = FacetCounts(
        groups={path: count for path, count in groups.items() if path and count},
        stars={level: count for level, count in stars.items() if count},
        districts=[
            DistrictCount(slug=slug, name=name, count=count)
            for (slug, name), count in by_district.items()
            if slug and count
        ],
        in_stock=in_stock,
    )
    return counts, total
