"""The catalogue version: raised after every committed change that a cached page may show.

Page caches (``shop.page_cache``) put the version in their keys, so a price change,
a stock change or a lapsed certificate shows at once: the pages cached before
it are never read again. The number lives in the database, so every worker
process sees the same one (a local-memory cache is per process).
"""

from django.db import transaction
from django.db.models import F

from search.models import CatalogueVersion


def catalogue_version() -> int:
    number = CatalogueVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return number or 0


def _bump() -> None:
    if not CatalogueVersion.objects.filter(pk=1).update(number=F("number") + 1):
        CatalogueVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def catalogue_changed() -> None:
    """Raise the version once the current transaction commits (at once outside one)."""
    transaction.on_commit(_bump, robust=True)
