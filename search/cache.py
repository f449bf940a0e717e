"""The catalogue version: raised after every committed change that a cached page may show.

Page caches (``shop.page_cache``) put the version in their keys, so a price change,
a stock change or a lapsed certificate shows at once: the pages cached before
it are never read again.

The number lives in the database, the one place every process sees (a
local-memory cache is per process), and with a local-memory cache every read
asks the database. A cache shared by every process (Redis, ``shop.cache``, which
offers ``raise_to``) also holds it, so a page served from the cache runs no
query: each change raises the database's number and then the shared copy, and
the copy only ever goes up, whichever writer gets there first. The copy lives
``SHARED_VERSION_SECONDS``; a process that finds none reads the database and
puts it back. So if Redis could not be reached at the moment of a change, the
pages cached before it may be served for at most that long afterwards.
"""

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from search.models import CatalogueVersion

SHARED_VERSION_KEY = "catalogue-version"
SHARED_VERSION_SECONDS = 5


def _stored_version() -> int:
    # Plain SQL: the ORM's query building cost three times the query itself on every cached page.
    table = connection.ops.quote_name(CatalogueVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE id = 1")  # the table name is ours, no user input
        row = cursor.fetchone()
    return (row[0] if row else 0) or 0


def _share(number: int) -> None:
    raise_to = getattr(cache, "raise_to", None)
    if raise_to is not None:
        raise_to(SHARED_VERSION_KEY, number, SHARED_VERSION_SECONDS)


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


def request_catalogue_version(request) -> int:
    """The catalogue version, read once per request however many fragments of the page are keyed by it."""
    number = getattr(request, "_catalogue_version", None)
    if number is None:
        number = catalogue_version()
        if request is not None:
            request._catalogue_version = number
    return number


def _bump() -> None:
    if not CatalogueVersion.objects.filter(pk=1).update(number=F("number") + 1):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"number": 1})
    # Read after the commit: this change's number or a later writer's, either one newer than every page
    # cached before the change.
    _share(_stored_version())


def catalogue_changed() -> None:
    """Raise the version once the current transaction commits (at once outside one)."""
    transaction.on_commit(_bump, robust=True)
