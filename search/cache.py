"""The catalogue version: raised after every committed change that a cached page may show but a stock level;
the listing version: raised only after a change that a listing shows or filters on; and the stock version:
raised after a stock level changed and nothing else.

Page caches (``shop.page_cache``) put the catalogue version in their keys, and product pages and their
fragments the stock version too, so a price change, a stock change or a lapsed certificate shows at once:
the pages cached before it are never read again. Facet counts (``search.backends.database``), the menu, the
category tree and the sidebar are keyed by the listing version, which a stock level going from 50 to 49 does
not raise (a listing shows "in stock", not how many). A change that a listing shows raises the catalogue
and the listing version (``catalogue_changed``), one that only pages show (an image, an offer) the catalogue
version alone (``catalogue_changed(listings=False)``), a stock level the stock version alone
(``stock_level_changed``): on a shop taking orders the home page, the listings and the searches stay cached
through every order that leaves stock on the shelf, and only the product pages, which say how many are
left, are rendered afresh.

The numbers live in the database, the one place every process sees (a
local-memory cache is per process), and with a local-memory cache every read
asks the database. A cache shared by every process (Redis, ``shop.cache``, which
offers ``raise_to``) also holds them, so a page served from the cache runs no
query: each change raises the database's numbers and then the shared copies, and
a copy only ever goes up, whichever writer gets there first. A copy lives
``SHARED_VERSION_SECONDS``; a process that finds none reads the database and
puts it back. So if Redis could not be reached at the moment of a change, the
pages cached before it may be served for at most that long afterwards.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from search.models import CatalogueVersion

SHARED_VERSION_KEY = "catalogue-version"
SHARED_LISTING_VERSION_KEY = "listing-version"
SHARED_STOCK_VERSION_KEY = "stock-version"
SHARED_VERSION_SECONDS = 5
# Each shared copy's column in the database, in the order they are read.
COLUMNS = {
    SHARED_VERSION_KEY: "number",
    SHARED_LISTING_VERSION_KEY: "listing_number",
    SHARED_STOCK_VERSION_KEY: "stock_number",
}
# What each kind of change raises.
RAISED = {"listings": ("number", "listing_number"), "pages": ("number",), "stock": ("stock_number",)}


def _stored_versions() -> dict[str, int]:
    """Every number, from the database (one query), by the key of its shared copy."""
    # Plain SQL: the ORM's query building cost three times the query itself on every cached page.
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        # The table and column names are ours, no user input.
        cursor.execute(f"SELECT {', '.join(COLUMNS.values())} FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return {key: (row[index] or 0) if row else 0 for index, key in enumerate(COLUMNS)}


def _stored_version() -> int:
    return _stored_versions()[SHARED_VERSION_KEY]


def _share(numbers: dict[str, int]) -> None:
    raise_to = getattr(cache, "raise_to", None)
    if raise_to is not None:
        for key, number in numbers.items():
            raise_to(key, number, SHARED_VERSION_SECONDS)


def _read(keys: tuple[str, ...], value_key: str | None = None) -> tuple[dict[str, int], object]:
    """The numbers at ``keys`` and the cache's value at ``value_key``: from a shared cache in one round trip,
    the database giving (and sharing again) any number the cache no longer holds; without a shared cache
    the numbers come from the database."""
    if getattr(cache, "raise_to", None) is None:
        stored = _stored_versions()
        return {key: stored[key] for key in keys}, (cache.get(value_key) if value_key else None)
    found = cache.get_many([*keys, value_key] if value_key else list(keys))
    numbers = {key: found.get(key) for key in keys}
    missing = [key for key, number in numbers.items() if number is None]
    if missing:
        stored = _stored_versions()
        numbers.update({key: stored[key] for key in missing})
        _share({key: stored[key] for key in missing})
    return numbers, found.get(value_key) if value_key else None


def catalogue_version() -> int:
    return _read((SHARED_VERSION_KEY,))[0][SHARED_VERSION_KEY]


def product_page_versions() -> tuple[int, int]:
    """The catalogue and the stock version: what a product page (it says how many are left) follows."""
    numbers, _ = _read((SHARED_VERSION_KEY, SHARED_STOCK_VERSION_KEY))
    return numbers[SHARED_VERSION_KEY], numbers[SHARED_STOCK_VERSION_KEY]


def catalogue_version_and(key: str, *, stock_levels: bool = False) -> tuple[str, object]:
    """The version a cached page follows and the cache's value at ``key``: from a shared cache in one round
    trip. With ``stock_levels`` (a product page) the version is the catalogue and the stock version together."""
    keys = (SHARED_VERSION_KEY, SHARED_STOCK_VERSION_KEY) if stock_levels else (SHARED_VERSION_KEY,)
    numbers, value = _read(keys, key)
    return ".".join(str(numbers[name]) for name in keys), value


def listing_version() -> int:
    """The number raised after every change a listing shows or filters on (facet counts, menus, the sidebar)."""
    return _read((SHARED_LISTING_VERSION_KEY,))[0][SHARED_LISTING_VERSION_KEY]


def _request_version(request, attribute: str, read) -> int:
    """The number at ``attribute`` of the request, read once per request. Without a shared cache the one query
    that reads it reads the other number too: both are kept on the request."""
    number = getattr(request, attribute, None)
    if number is not None:
        return number
    if request is None:
        return read()
    if getattr(cache, "raise_to", None) is None:
        stored = _stored_versions()
        numbers = {
            "_catalogue_version": stored[SHARED_VERSION_KEY],
            "_listing_version": stored[SHARED_LISTING_VERSION_KEY],
        }
        for name, value in numbers.items():
            if getattr(request, name, None) is None:
                setattr(request, name, value)
    else:
        setattr(request, attribute, read())
    return getattr(request, attribute)


def request_catalogue_version(request) -> int:
    """The catalogue version, read once per request however many fragments of the page are keyed by it."""
    return _request_version(request, "_catalogue_version", catalogue_version)


def request_listing_version(request) -> int:
    """The listing version, read once per request however many fragments of the page are keyed by it."""
    return _request_version(request, "_listing_version", listing_version)


def kept(key, compute):
    """``compute()``, kept in the cache under ``key`` for ``FRAGMENT_CACHE_SECONDS`` (0: computed every time).
    The key must hold the version the value follows, so a change makes the next read compute afresh; it may
    be a function giving the key, called only when the cache is on (so the version is read only then)."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = key() if callable(key) else key
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value


def _bump(kind: str = "listings") -> None:
    """Raise the numbers that ``kind`` of change raises (``RAISED``), in the database, then their shared copies."""
    columns = RAISED[kind]
    if not CatalogueVersion.objects.filter(pk=1).update(**{column: F(column) + 1 for column in columns}):
        CatalogueVersion.objects.get_or_create(
            pk=1, defaults={column: int(column in columns) for column in COLUMNS.values()}
        )
    # Read after the commit: this change's numbers or a later writer's, either one newer than everything
    # cached before the change.
    stored = _stored_versions()
    _share({key: stored[key] for key, column in COLUMNS.items() if column in columns})


def _bump_listings() -> None:
    _bump("listings")


def _bump_pages() -> None:
    _bump("pages")


def _bump_stock() -> None:
    _bump("stock")


def catalogue_changed(*, listings: bool = True) -> None:
    """Raise the version once the current transaction commits (at once outside one); the listing version too
    unless ``listings`` is False (the change shows on pages but on no listing: an image, an offer)."""
    transaction.on_commit(_bump_listings if listings else _bump_pages, robust=True)


def stock_level_changed() -> None:
    """A stock level changed and nothing a listing shows (the product did not run out or come back): once the
    current transaction commits, the stock version alone is raised, which only product pages follow."""
    transaction.on_commit(_bump_stock, robust=True)
