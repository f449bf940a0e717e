"""The search backend contract: ``search(query, filters, sort, page) -> SearchResult(ids, total, facets)``.

A backend answers the whole listing question itself (which products match, how
many, which of them are on the asked page, in which order, and the facet
counts), so the database only fetches the page's products for their cards.
Everything here is plain data: a backend needs no Django model or category to
read a request, and the listing pages (``search.selectors``) see nothing else.

Facet counts follow every filter but their own, so ticking 5★ still shows how
many 4★ products there are.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

RELEVANCE = "relevance"
STARS = "stars"
NEWEST = "newest"
PRICE_ASC = "price-asc"
PRICE_DESC = "price-desc"
TITLE = "title"
SORTS = (RELEVANCE, STARS, NEWEST, PRICE_ASC, PRICE_DESC, TITLE)


@dataclass(frozen=True)
class SearchFilters:
    """What narrows a listing; empty fields do not filter."""

    category_path: str = ""  # a category's tree path: its products and its descendants'
    group_path: str = ""  # a root category's path; the group facet ignores it
    stars: tuple[int, ...] = ()
    districts: tuple[str, ...] = ()  # former-district slugs
    producer: int | None = None  # a Producer's pk
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool = False  # only products that can be bought now


@dataclass(frozen=True)
class PageRequest:
    number: int = 1  # from 1
    size: int = 12

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


@dataclass(frozen=True)
class DistrictCount:
    slug: str
    name: str
    count: int


@dataclass
class FacetCounts:
    """Counts per facet value, each given every filter but its own."""

    groups: dict[str, int] = field(default_factory=dict)  # root category path -> count; empty inside a category
    stars: dict[int, int] = field(default_factory=dict)
    districts: list[DistrictCount] = field(default_factory=list)
    in_stock: int = 0  # products in stock, given the other filters (stars included)


@dataclass
class SearchResult:
    ids: list[int]  # the page's products, in order
    total: int  # every match, on all pages
    facets: FacetCounts | None = None  # None when not asked for
    # When each page product's listing row was last rewritten (the database backend): keys its cached card.
    stamps: dict[int, object] | None = None


class SearchBackend(Protocol):
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
        """Listed (public, certified today) products matching ``query`` and ``filters``, sorted by ``sort``
        (one of ``SORTS``); facet counts only when ``facets`` is true. ``version``, the catalogue version
        (``search.cache``) when the caller has read it, lets a backend reuse facet counts computed under it."""

    def suggest(self, query: str, *, limit: int = 8) -> list[int]:
        """Listed products completing what the shopper is typing, best first."""

    def lapsed(self, query: str, *, limit: int = 10) -> list[int]:
        """Public products matching ``query`` whose certificate lapsed: why a search found nothing."""

    def find_outlets(
        self, query: str = "", *, kind: str = "", district: str = "", near: tuple[float, float] | None = None
    ) -> list[int]:
        """Open sales points matching ``query`` and the filters: nearest first when ``near`` is given, else by
        former district and name."""

    def index(self, product_ids) -> None: ...

    def remove(self, product_ids) -> None: ...

    def sync(self, product_ids) -> None: ...

    def reset(self) -> None: ...
