"""Reads for browsing and searching: listed products, filters, facet counts.

Every listing page (all products, a category, search results) goes through
``search_listing``, which asks the configured backend one question through the
contract (``search(query, filters, sort, page) -> SearchResult``) and fetches
the cards of the page's products, so filters, ranking and sorting behave the
same everywhere and whichever backend answers.
"""

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.selectors import current_stars_subquery, load_cards, product_cards
from search.backends import get_backend
from search.backends.base import (
    NEWEST,
    PRICE_ASC,
    PRICE_DESC,
    RELEVANCE,
    SORTS,
    STARS,
    TITLE,
    FacetCounts,
    PageRequest,
    SearchFilters,
)
from search.backends.database import ORDERINGS, listed_products, listed_rows
from search.cache import kept
from search.cards import CardCache
from search.text import fold, terms

__all__ = [
    "NEWEST",
    "PRICE_ASC",
    "PRICE_DESC",
    "RELEVANCE",
    "STARS",
    "TITLE",
    "listed_products",
]

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# What ``find_products`` lists when no page is asked for: every match, as far as a page can hold.
ALL = 10_000


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
        if self.sort in SORTS and (self.sort != RELEVANCE or searching):
            return self.sort
        return RELEVANCE if searching else STARS

    def for_backend(self, *, groups: list) -> SearchFilters | None:
        """The backend's filters; None when they cannot match anything (an unknown group)."""
        group_path = ""
        if self.group:
            paths = [category.path for category in groups if category.code == self.group]
            if not paths:
                return None
            group_path = paths[0]
        return SearchFilters(
            category_path=self.category.path if self.category is not None else "",
            group_path=group_path,
            stars=self.stars,
            districts=self.districts,
            producer=self.producer,
            price_min=self.price_min,
            price_max=self.price_max,
            in_stock=self.in_stock,
        )


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


@dataclass
class Listing:
    products: list  # the page's products, shaped for product cards, in the backend's order
    total: int
    facets: Facets


def _product_groups() -> QuerySet:
    """The OCOP product groups: the public root categories, in tree order."""
    return Category.objects.filter(depth=1, is_public=True).order_by("path")


def group_categories(*, version: int | None = None) -> list:
    """The OCOP product groups; kept in the cache under the listing ``version`` when given (a category saved
    raises it, ``shop.page_cache.retire_cached_listings``)."""
    if version is None:
        return list(_product_groups())
    return kept(f"product-groups:{version}", lambda: list(_product_groups()))


def menu_groups() -> list[dict]:
    """The OCOP product groups that have a product on sale (listed, certificate valid today), for the menu,
    in one query whatever the catalogue's size: each group's EXISTS stops at its first listing row. A group
    with nothing to buy is left out: a shopper should not open an empty page from the menu. (Read from the
    products and their categories, the same question took 45 ms at 100,000 products, on every page
    without a cached menu, such as the basket.)"""
    on_sale = listed_rows().filter(group_path=OuterRef("path"))
    groups = _product_groups().filter(Exists(on_sale))
    return [{"name": group.display_name, "url": group.get_absolute_url(), "code": group.code} for group in groups]


def category_and_groups(pk: int) -> tuple:
    """The category ``pk`` (or None) and the OCOP product groups, in one query: a category page needs both."""
    rows = list(Category.objects.filter(Q(pk=pk) | Q(depth=1, is_public=True)).order_by("path"))
    category = next((row for row in rows if row.pk == int(pk)), None)
    return category, [row for row in rows if row.depth == 1 and row.is_public]


def labelled_facets(counts: FacetCounts | None, *, groups: list) -> Facets:
    """The backend's counts with the names a shopper reads, in the sidebar's order."""
    if counts is None:
        return Facets()
    return Facets(
        groups=[
            FacetOption(value=category.code, label=category.display_name, count=counts.groups[category.path])
            for category in groups
            if counts.groups.get(category.path)
        ],
        stars=[
            FacetOption(value=str(stars), label=f"{stars}★", count=counts.stars[stars])
            for stars in (5, 4, 3)
            if counts.stars.get(stars)
        ],
        districts=[
            FacetOption(value=district.slug, label=district.name, count=district.count)
            for district in sorted(counts.districts, key=lambda district: (-district.count, fold(district.name)))
        ],
        in_stock=counts.in_stock,
    )


def cards_in_order(ids: list[int]) -> list:
    """The products of ``ids`` shaped for product cards, in the order of ``ids``."""
    if not ids:
        return []
    return _in_order(ids, product_cards(Product.objects.filter(pk__in=ids)))


def search_listing(
    filters: ProductFilters,
    *,
    groups: list,
    page: int = 1,
    per_page: int = 12,
    facets: bool = True,
    card_cache: CardCache | None = None,
    version: int | None = None,
) -> Listing:
    """One page of a listing: its products' cards, how many match in all, and the facet counts.

    With ``card_cache``, cards cached since their listing row last changed are not loaded (``search.cards``);
    with the catalogue ``version``, the backend may reuse the facet counts computed under it."""
    backend_filters = filters.for_backend(groups=groups)
    if backend_filters is None:
        return Listing(products=[], total=0, facets=Facets())
    result = get_backend().search(
        filters.query,
        backend_filters,
        filters.sort_key,
        PageRequest(number=page, size=per_page),
        facets=facets,
        version=version,
    )
    if card_cache is not None:
        products = card_cache.cards(result.ids, result.stamps, load=cards_in_order)
    else:
        products = cards_in_order(result.ids)
    return Listing(products=products, total=result.total, facets=labelled_facets(result.facets, groups=groups))


def featured_products(
    *, min_stars: int = 4, limit: int = 8, card_cache: CardCache | None = None, version: int | None = None
) -> list:
    """The home page's products: listed ones of at least ``min_stars``, most stars first, then newest.

    Read from the listing rows in the cards' own query (no count, no separate page of ids): the rows' own
    index picks the ``limit`` ids inside it, so the products are joined to their rows for those few only
    (ordering every listed product by its row cost tens of milliseconds at 10,000).

    With ``card_cache``, that query also reads each row's stamp (``search.cards``) and the cards' related
    rows are read only for the products whose card is not cached. With the listing ``version`` too, the
    ids and stamps are kept under it and the day (every write to a listing row raises it, and a lapse
    comes with a new day), so a page that finds them and its cards runs no query for its products."""
    rows = listed_rows().filter(stars__gte=min_stars).order_by(*ORDERINGS[STARS]).values("product_id")[:limit]
    ordering = ("-search_text__stars", "-search_text__date_created", "-pk")
    if card_cache is None or not card_cache.enabled:
        return list(product_cards(Product.objects.filter(pk__in=rows)).order_by(*ordering))
    key = f"featured:{version}:{timezone.localdate():%Y%m%d}:{min_stars}:{limit}"
    stamps = cache.get(key) if version is not None else None
    loaded = {}
    if stamps is None:
        products = product_cards(Product.objects.filter(pk__in=rows), prefetch=False).annotate(
            card_stamp=F("search_text__updated_at")
        )
        loaded = {product.pk: product for product in products.order_by(*ordering)}
        stamps = {pk: product.card_stamp for pk, product in loaded.items()}
        if version is not None:
            cache.set(key, stamps, settings.CARD_CACHE_SECONDS)

    def load(missing: list[int]) -> list:
        if all(pk in loaded for pk in missing):
            return load_cards([loaded[pk] for pk in missing])
        return cards_in_order(missing)

    return card_cache.cards(list(stamps), stamps, load=load)


def related_products(product, *, limit: int = 8) -> list:
    """Listed products from the same producer or the same product group, the producer's own first, then most
    stars, then newest; never ``product`` itself. "Group" is the product's sub-group (its categories).

    The ids are picked from the listing rows in the cards' own query (as ``featured_products``): only listed
    products (public, certificate valid today) appear, and no certificate subquery runs per candidate."""
    own = Q(producer_id=product.producer_id) if product.producer_id else Q(pk__in=[])
    same_group = Q(category_path__in=product.categories.values("path"))
    from_producer = Case(When(own, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = (
        listed_rows()
        .filter(own | same_group)
        .exclude(product_id=product.pk)
        .annotate(from_producer=from_producer)
        .order_by("-from_producer", *ORDERINGS[STARS])
        .values("product_id")[:limit]
    )
    first = Case(When(own, then=Value(1)), default=Value(0), output_field=IntegerField())
    ordered = product_cards(Product.objects.filter(pk__in=rows)).order_by(
        first.desc(), "-search_text__stars", "-search_text__date_created", "-pk"
    )
    return list(ordered)


def find_products(filters: ProductFilters, *, groups: list) -> list:
    """Every listed product matching ``filters``, sorted and shaped for product cards."""
    return search_listing(filters, groups=groups, per_page=ALL, facets=False).products


def facet_counts(filters: ProductFilters, *, groups: list) -> Facets:
    """How many products each group, star level and district would show, given the other filters."""
    return search_listing(filters, groups=groups, per_page=0).facets


def _in_order(ids: list[int], products) -> list:
    by_pk = {product.pk: product for product in products}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def suggestions(query: str, *, limit: int = 8) -> list[dict]:
    """Products completing what the shopper is typing, for the search box: title, page and stars."""
    ids = get_backend().suggest(query, limit=limit) if terms(query) else []
    if not ids:
        return []
    products = (
        Product.objects.filter(pk__in=ids).only("pk", "title", "slug").annotate(current_stars=current_stars_subquery())
    )
    return [
        {"title": product.title, "url": product.get_absolute_url(), "stars": product.current_stars}
        for product in _in_order(ids, products)
    ]


def lapsed_matches(query: str, *, limit: int = 10) -> list:
    """Products matching ``query`` that are no longer on sale (lapsed certificate), to say why nothing was found."""
    ids = get_backend().lapsed(query, limit=limit) if terms(query) else []
    if not ids:
        return []
    return _in_order(ids, Product.objects.filter(pk__in=ids).only("pk", "title", "slug"))


VOCABULARY_KEY = "search:vocabulary"
VOCABULARY_SECONDS = 600


def vocabulary() -> frozenset[str]:
    """The words of listed products' folded titles, read once per ten minutes (and per cache).

    Only words of letters: a number ("500", "2024", "500ml") is not misspelt, and numbers would make the
    vocabulary grow with the catalogue instead of with the language (the bench's 100,000 titles hold
    87,000 different words, all but about a hundred of them numbers), and every search that finds nothing
    compares its words with each."""
    words = cache.get(VOCABULARY_KEY)
    if words is None:
        words = set()
        for title in listed_rows().values_list("title", flat=True).iterator(chunk_size=5000):
            words.update(word for word in title.split() if word.isalpha())
        words = frozenset(words)
        cache.set(VOCABULARY_KEY, words, VOCABULARY_SECONDS)
    return words


def suggest_query(query: str) -> str:
    """A near spelling of a query that found nothing ("nuoc mamm" -> "nuoc mam"), or "".

    Each unknown word is replaced by the closest word of the listed products'
    titles; the suggestion is only offered when it finds something.
    """
    words = terms(query)
    if not words:
        return ""
    known_words = vocabulary()
    corrected = []
    for word in words:
        if any(known.startswith(word) for known in known_words):
            corrected.append(word)
            continue
        close = difflib.get_close_matches(word, known_words, n=1, cutoff=0.75)
        corrected.append(close[0] if close else word)
    suggestion = " ".join(corrected)
    if suggestion == " ".join(words):
        return ""
    found = get_backend().search(suggestion, SearchFilters(), RELEVANCE, PageRequest(size=0), facets=False)
    if not found.total:
        return ""
    return suggestion


def sales_points(
    *, query: str = "", kind: str = "", district: str = "", near: tuple[float, float] | None = None
) -> list:
    """Open sales points for the map and its list, found by the search backend (Elasticsearch's sales point
    index, else the database): in its order, each with ``products_in_stock`` and, given ``near``, ``distance``."""
    from outlets.selectors import map_outlets

    ids = get_backend().find_outlets(query, kind=kind, district=district, near=near)
    if not ids:
        return []
    return _in_order(ids, map_outlets(near=near).filter(pk__in=ids))
