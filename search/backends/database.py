"""Search with the database alone: folded words in ``ProductSearchText``.

Every query term must begin a word of a product's folded text ("nuoc mam" finds
"Nước mắm Cửa Đại", "mam" finds it too, "am" does not). Ranking: the whole
phrase as words of the title, then the phrase beginning a title word, then every
term in the title, then matches elsewhere (producer, district, description).

Filters, facet counts, sorting and the page are answered with one query each:
the count, the page's ids and one query per facet (group, stars with in-stock,
district).
"""

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr
from oscar.core.loading import get_model

from catalog.selectors import browsable_products, current_stars_subquery
from outlets import stock
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
from search.text import terms

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
OcopCertificate = get_model("catalogue", "OcopCertificate")

ORDERINGS = {
    STARS: ["-current_stars", "-date_created", "-pk"],
    NEWEST: ["-date_created", "-pk"],
    PRICE_ASC: [F("listed_price").asc(nulls_last=True), "-current_stars", "-pk"],
    PRICE_DESC: [F("listed_price").desc(nulls_last=True), "-current_stars", "-pk"],
    TITLE: [F("search_text__title").asc(nulls_last=True), "pk"],
    RELEVANCE: ["-search_rank", "-current_stars", "-date_created", "-pk"],
}


def listed_products() -> QuerySet:
    """Public, canonical products with a current verified OCOP certificate.

    A product whose certificate lapsed keeps its page (it says why it is not
    for sale) but is not listed or found.
    """
    return browsable_products().annotate(current_stars=current_stars_subquery()).filter(current_stars__isnull=False)


def _in_subtree(path: str):
    return Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__path__startswith=path))


def _listed_price() -> Subquery:
    return stock.selling_price()


def _listed_stock() -> Subquery:
    """What the selling record can still sell: in stock minus allocated."""
    return stock.selling_net_stock()


IN_STOCK = Q(listed_stock__gt=0)


class DatabaseBackend:
    def __init__(self, url: str = "", index: str = ""):
        self.url = url

    def match(self, products: QuerySet, query: str) -> QuerySet:
        """``products`` narrowed to those matching ``query``, annotated with ``search_rank``."""
        words = terms(query)
        if not words:
            return products.annotate(search_rank=Value(0, output_field=IntegerField()))
        every_word_in_text = Q()
        every_word_in_title = Q()
        for word in words:
            every_word_in_text &= Q(search_text__text__contains=f" {word}")
            every_word_in_title &= Q(search_text__title__contains=f" {word}")
        phrase = " ".join(words)
        return products.filter(every_word_in_text).annotate(
            search_rank=Case(
                When(search_text__title__contains=f" {phrase} ", then=Value(4)),
                When(search_text__title__contains=f" {phrase}", then=Value(3)),
                When(every_word_in_title, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    def filtered(self, query: str, filters: SearchFilters, *, skip: tuple[str, ...] = ()) -> QuerySet:
        """Listed products matching ``query`` and every filter except those named in ``skip``."""
        products = self.match(listed_products(), query)
        if filters.category_path:
            products = products.filter(_in_subtree(filters.category_path))
        if filters.group_path and "group" not in skip:
            products = products.filter(_in_subtree(filters.group_path))
        if filters.stars and "stars" not in skip:
            products = products.filter(current_stars__in=filters.stars)
        if filters.districts and "districts" not in skip:
            products = products.filter(producer__district__slug__in=filters.districts)
        if filters.producer is not None:
            products = products.filter(producer_id=filters.producer)
        if filters.price_min is not None or filters.price_max is not None:
            products = products.annotate(listed_price=_listed_price())
            if filters.price_min is not None:
                products = products.filter(listed_price__gte=filters.price_min)
            if filters.price_max is not None:
                products = products.filter(listed_price__lte=filters.price_max)
        if filters.in_stock and "in_stock" not in skip:
            products = products.annotate(listed_stock=_listed_stock()).filter(IN_STOCK)
        return products

    def search(
        self, query: str, filters: SearchFilters, sort: str, page: PageRequest, *, facets: bool = True
    ) -> SearchResult:
        products = self.filtered(query, filters)
        total = products.count()
        ids = []
        if total > page.offset:
            if sort in (PRICE_ASC, PRICE_DESC) and "listed_price" not in products.query.annotations:
                products = products.annotate(listed_price=_listed_price())
            ordered = products.order_by(*ORDERINGS.get(sort, ORDERINGS[STARS]))
            ids = list(ordered.values_list("pk", flat=True)[page.offset : page.offset + page.size])
        return SearchResult(ids=ids, total=total, facets=self.facet_counts(query, filters) if facets else None)

    def facet_counts(self, query: str, filters: SearchFilters) -> FacetCounts:
        counts = FacetCounts()
        if not filters.category_path:
            by_group = self.filtered(query, filters, skip=("group",))
            root_paths = (
                ProductCategory.objects.filter(product__in=by_group.values("pk"))
                .annotate(root=Substr("category__path", 1, Category.steplen))
                .values("root")
                .annotate(count=Count("product", distinct=True))
            )
            counts.groups = {row["root"]: row["count"] for row in root_paths}

        # One query answers two facets: per star level, all products and those in stock. The star
        # counts keep the in-stock filter if ticked; the in-stock count keeps the stars filter.
        by_stars = (
            self.filtered(query, filters, skip=("stars", "in_stock"))
            .annotate(listed_stock=_listed_stock())
            .order_by()
            .values("current_stars")
            .annotate(count=Count("pk"), in_stock=Count("pk", filter=IN_STOCK))
        )
        for row in by_stars:
            counts.stars[row["current_stars"]] = row["in_stock"] if filters.in_stock else row["count"]
            if not filters.stars or row["current_stars"] in filters.stars:
                counts.in_stock += row["in_stock"]

        by_district = (
            self.filtered(query, filters, skip=("districts",))
            .order_by()
            .values("producer__district__slug", "producer__district__name")
            .annotate(count=Count("pk"))
        )
        counts.districts = [
            DistrictCount(
                slug=row["producer__district__slug"], name=row["producer__district__name"], count=row["count"]
            )
            for row in by_district
            if row["producer__district__slug"]
        ]
        return counts

    def suggest(self, query: str, *, limit: int = 8) -> list[int]:
        """Listed products whose title has a word beginning with each word typed, best first."""
        words = terms(query)
        if not words:
            return []
        products = listed_products()
        for word in words:
            products = products.filter(search_text__title__contains=f" {word}")
        ranked = self.match(products, query).order_by("-search_rank", "-current_stars", "-pk")
        return list(ranked.values_list("pk", flat=True)[:limit])

    def lapsed(self, query: str, *, limit: int = 10) -> list[int]:
        """Public products matching ``query`` whose certificate lapsed (not listed, but once certified)."""
        if not terms(query):
            return []
        once_certified = Exists(
            OcopCertificate.objects.filter(product=OuterRef("pk"), status=OcopCertificate.Status.VERIFIED)
        )
        products = browsable_products().filter(once_certified).exclude(pk__in=listed_products().values("pk"))
        return list(self.match(products, query).order_by("-search_rank", "-pk").values_list("pk", flat=True)[:limit])

    # The rows themselves are written by ``search.indexing``; nothing else to keep.
    def index(self, product_ids) -> None:
        pass

    def remove(self, product_ids) -> None:
        pass

    def sync(self, product_ids) -> None:
        pass

    def reset(self) -> None:
        pass
