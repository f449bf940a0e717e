"""Search backends: each turns a query into matching products, ranked.

``settings.SEARCH_BACKEND`` picks one: "database" (works everywhere, reads
``ProductSearchText``) or "elasticsearch" (needs ``ELASTICSEARCH_URL``). Both
fold the query with ``search.text.fold``, the one folding helper.
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "database": "search.backends.database.DatabaseBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchBackend",
}


DEFAULT_INDEX = "ocop-products"


@cache
def _load(name: str, url: str, index: str, compat_headers: bool):
    from django.utils.module_loading import import_string

    try:
        path = BACKENDS[name]
    except KeyError:
        raise ImproperlyConfigured(f"SEARCH_BACKEND must be one of {sorted(BACKENDS)}, not {name!r}") from None
    if name == "database":
        return import_string(path)()
    return import_string(path)(url=url, index=index, compat_headers=compat_headers)


def get_backend():
    """The configured backend, one per settings combination (tests switch settings)."""
    return _load(
        settings.SEARCH_BACKEND,
        getattr(settings, "ELASTICSEARCH_URL", ""),
        getattr(settings, "ELASTICSEARCH_INDEX", DEFAULT_INDEX),
        getattr(settings, "ELASTICSEARCH_COMPAT_HEADERS", True),
    )
