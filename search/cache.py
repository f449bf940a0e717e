"""The catalogue version: raised after every committed change that a cached page may show; and the listing
version: raised only after a change that a listing shows or filters on.

Page caches (``shop.page_cache``) and the product page's fragments put the
catalogue version in their keys, so a price change, a stock change or a lapsed
certificate shows at once: the pages cached before it are never read again.
Facet counts (``search.backends.database``), the menu, the category tree and the
sidebar are keyed by the listing version, which a stock level going from 50 to
49 does not raise (a listing shows "in stock", not how many): on a shop taking
orders they are not counted and rendered afresh after every order. A change
that a listing shows raises both (``catalogue_changed``), one that only a
product page shows (a stock level, an offer's usage) the catalogue version alone
(``catalogue_changed(listings=False)``).

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
SHARED_VERSION_SECONDS = 5


def _stored_versions() -> tuple[int, int]:
    """The catalogue and the listing version, from the database."""
    # Plain SQL: the ORM's query building cost three times the query itself on every cached page.
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        # The table name is ours, no user input.
        cursor.execute(f"SELECT number, listing_number FROM {table} WHERE id = 1")
        row = cursor.fetchone()
    return ((row[0] or 0), (row[1] or 0)) if row else (0, 0)


def _stored_version() -> int:
    return _stored_versions()[0]


def _share(number: int, listing_number: int | None = None) -> None:
    raise_to = getattr(cache, "raise_to", None)
    if raise_to is not None:
        raise_to(SHARED_VERSION_KEY, number, SHARED_VERSION_SECONDS)
        if listing_number is not None:
            raise_to(SHARED_LISTING_VERSION_KEY, listing_number, SHARED_VERSION_SECONDS)


def catalogue_version() -> int:
    if getattr(cache, "raise_to", None) is None:
        return _stored_version()
    number = cache.get(SHARED_VERSION_KEY)
    if number is None:
        number = _stored_version()
        _share(number)
    return number


def catalogue_version_and(key: str):
    """The catalogue version and the cache's value at ``key``: from a shared cache in one round trip."""
    if getattr(cache, "raise_to", None) is None:
        return _stored_version(), cache.get(key)
    found = cache.get_many([SHARED_VERSION_KEY, key])
    number = found.get(SHARED_VERSION_KEY)
    if number is None:
        number = _stored_version()
        _share(number)
    return number, found.get(key)


def listing_version() -> int:
    """The number raised after every change a listing shows or filters on (facet counts, menus, the sidebar)."""
    if getattr(cache, "raise_to", None) is None:
        return _stored_versions()[1]
    number = cache.get(SHARED_LISTING_VERSION_KEY)
    if number is None:
        number, listing_number = _stored_versions()
        _share(number, listing_number)
        return listing_number
    return number


def _request_version(request, attribute: str, read) -> int:
    """The number at ``attribute`` of the request, read once per request. Without a shared cache the one query
    that reads it reads the other number too: both are kept on the request."""
    number = getattr(request, attribute, None)
    if number is not None:
        return number
    if request is None:
        return read()
    if getattr(cache, "raise_to", None) is None:
        numbers = dict(zip(("_catalogue_version", "_listing_version"), _stored_versions(), strict=True))
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


def _bump(*, listings: bool = True) -> None:
    raised = {"number": F("number") + 1}
    if listings:
        raised["listing_number"] = F("listing_number") + 1
    if not CatalogueVersion.objects.filter(pk=1).update(**raised):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"number": 1, "listing_number": 1})
    # Read after the commit: this change's numbers or a later writer's, either one newer than everything
    # cached before the change.
    number, listing_number = _stored_versions()
    _share(number, listing_number if listings else None)


def _bump_listings() -> None:
    _bump(listings=True)


def _bump_pages() -> None:
    _bump(listings=False)


def catalogue_changed(*, listings: bool = True) -> None:
    """Raise the version once the current transaction commits (at once outside one); the listing version too
    unless ``listings`` is False (the change shows on a product page but on no listing: a stock level)."""
    transaction.on_commit(_bump_listings if listings else _bump_pages, robust=True)
