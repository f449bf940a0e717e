"""Reads for browsing and searching: listed products, filters, facet counts.

Every listing page (all products, a category, search results) goes through
``find_products`` so filters, ranking and sorting behave the same everywhere.
"""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from oscar.core.loading import get_model

from catalog.selectors import browsable_products, current_stars_subquery, product_cards
from search.backends import get_backend
from search.categories import category_name
from search.models import ProductSearchText
from search.text import fold, terms

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Option = get_model("catalogue", "Option")
StockRecord = get_model("partner", "StockRecord")

RELEVANCE = "relevance"
STARS = "stars"
NEWEST = "newest"
PRICE_ASC = "price-asc"
PRICE_DESC = "price-desc"
TITLE = "title"

ORDERINGS = {
    STARS: ["-current_stars", "-date_created", "-pk"],
    NEWEST: ["-date_created", "-pk"],
    PRICE_ASC: [F("listed_price").asc(nulls_last=True), "-current_stars", "-pk"],
    PRICE_DESC: [F("listed_price").desc(nulls_last=True), "-current_stars", "-pk"],
    TITLE: [F("search_text__title").asc(nulls_last=True), "pk"],
    RELEVANCE: ["-search_rank", "-current_stars", "-date_created", "-pk"],
}


@dataclass(frozen=True)
class ProductFilters:
    """What a shopper asked for; empty fields do not filter."""

    query: str = ""
    category: object | None = None  # a Category: its products and its descendants'
    group: str = ""  # code of an OCOP product group (a root category)
    stars: tuple[int, ...] = ()
    districts: tuple[str, ...] = ()  # district slugs
    producer: int | None = None  # a Producer's pk: "more from this producer"
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False  # only products that can be bought now
    sort: str = ""

    @property
    def sort_key(self) -> str:
        """The sort asked for if it applies; else relevance for a search and stars for browsing."""
        searching = bool(self.query.strip())
        if self.sort in ORDERINGS and (self.sort != RELEVANCE or searching):
            return self.sort
        return RELEVANCE if searching else STARS

    @property
    def ordering(self) -> list:
        return ORDERINGS[self.sort_key]


@dataclass
class FacetOption:
    value: str
    label: str
    count: int


@dataclass
class Facets:
    groups: list[FacetOption] = field(default_factory=list)
    stars: list[FacetOption] = field(default_factory=list)
    districts: list[FacetOption] = field(default_factory=list)
    in_stock: int = 0  # products in stock, given the other filters


def listed_products() -> QuerySet:
    """Public, canonical products with a current verified OCOP certificate.

    A product whose certificate lapsed keeps its page (it says why it is not
    for sale) but is not listed or found.
    """
    return browsable_products().annotate(current_stars=current_stars_subquery()).filter(current_stars__isnull=False)


def group_categories() -> list:
    """The OCOP product groups: the root categories, in tree order."""
    return list(Category.objects.filter(depth=1, is_public=True).order_by("path"))


def _in_subtree(path: str):
    return Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__path__startswith=path))


def _listed_price() -> Subquery:
    # The stock record the shop sells from is the first one (UseFirstStockRecord).
    return Subquery(StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1])


def _listed_stock() -> Subquery:
    """What the first stock record can still sell: in stock minus allocated (no allocation counts as 0)."""
    return Subquery(
        StockRecord.objects.filter(product=OuterRef("pk"))
        .order_by("pk")
        .values(net=F("num_in_stock") - Coalesce("num_allocated", Value(0)))[:1]
    )


IN_STOCK = Q(listed_stock__gt=0)


def filter_products(
    products: QuerySet, filters: ProductFilters, *, groups: list, skip: tuple[str, ...] = ()
) -> QuerySet:
    """``products`` narrowed by every filter except those named in ``skip`` (for their facet counts)."""
    products = get_backend().match(products, filters.query)
    if filters.category is not None:
        products = products.filter(_in_subtree(filters.category.path))
    if filters.group and "group" not in skip:
        paths = [category.path for category in groups if category.code == filters.group]
        products = products.filter(_in_subtree(paths[0])) if paths else products.none()
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


def find_products(filters: ProductFilters, *, groups: list, products: QuerySet | None = None) -> QuerySet:
    """The products to list, filtered, sorted and shaped for product cards."""
    products = filter_products(products if products is not None else listed_products(), filters, groups=groups)
    if "listed_price" not in products.query.annotations:
        products = products.annotate(listed_price=_listed_price())
    return product_cards(products).order_by(*filters.ordering)


def facet_counts(filters: ProductFilters, *, groups: list, products: QuerySet | None = None) -> Facets:
    """How many products each group, star level and district would show, given the other filters."""
    base = products if products is not None else listed_products()
    facets = Facets()

    if filters.category is None:
        by_group = filter_products(base, filters, groups=groups, skip=("group",))
        root_paths = (
            ProductCategory.objects.filter(product__in=by_group.values("pk"))
            .annotate(root=Substr("category__path", 1, Category.steplen))
            .values("root")
            .annotate(count=Count("product", distinct=True))
        )
        counts = {row["root"]: row["count"] for row in root_paths}
        facets.groups = [
            FacetOption(value=category.code, label=category_name(category), count=counts[category.path])
            for category in groups
            if counts.get(category.path)
        ]

    # One query answers two facets: per star level, all products and those in stock. The star
    # counts keep the in-stock filter if ticked; the in-stock count keeps the stars filter.
    by_stars = (
        filter_products(base, filters, groups=groups, skip=("stars", "in_stock"))
        .annotate(listed_stock=_listed_stock())
        .order_by()
        .values("current_stars")
        .annotate(count=Count("pk"), in_stock=Count("pk", filter=IN_STOCK))
    )
    star_counts = {}
    for row in by_stars:
        star_counts[row["current_stars"]] = row["in_stock"] if filters.in_stock else row["count"]
        if not filters.stars or row["current_stars"] in filters.stars:
            facets.in_stock += row["in_stock"]
    facets.stars = [
        FacetOption(value=str(stars), label=f"{stars}★", count=star_counts[stars])
        for stars in (5, 4, 3)
        if star_counts.get(stars)
    ]

    by_district = (
        filter_products(base, filters, groups=groups, skip=("districts",))
        .order_by()
        .values("producer__district__slug", "producer__district__name")
        .annotate(count=Count("pk"))
    )
    facets.districts = sorted(
        (
            FacetOption(
                value=row["producer__district__slug"], label=row["producer__district__name"], count=row["count"]
            )
            for row in by_district
            if row["producer__district__slug"]
        ),
        key=lambda option: (-option.count, fold(option.label)),
    )
    return facets


def suggest_query(query: str, *, limit: int = 5000) -> str:
    """A near spelling of a query that found nothing ("nuoc mamm" -> "nuoc mam"), or "".

    Each unknown word is replaced by the closest word of the listed products'
    folded text; the suggestion is only offered when it finds something.
    """
    words = terms(query)
    if not words:
        return ""
    rows = ProductSearchText.objects.filter(product__in=listed_products().values("pk")).values_list("text", flat=True)
    vocabulary = set()
    for text in rows[:limit]:
        vocabulary.update(text.split())
    corrected = []
    for word in words:
        if any(known.startswith(word) for known in vocabulary):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    suggestion = " ".join(corrected)
    if suggestion == " ".join(words):
        return ""
    if not get_backend().match(listed_products(), suggestion).exists():
        return ""
    return suggestion
