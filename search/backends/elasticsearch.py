"""Search with Elasticsearch (``SEARCH_BACKEND=elasticsearch``, ``ELASTICSEARCH_URL``).

Elasticsearch holds the same folded documents as ``ProductSearchText`` (built
by ``search.indexing``) and answers the text match with ranked ids; filters,
facets and pages are the database backend's (``DatabaseBackend.search`` calls
``match``), so both backends list products the same way.

Only portable features are used (the standard analyzer on text already folded
by ``search.text``, ``bool_prefix`` and ``match_phrase`` queries, bulk), so an
OpenSearch-compatible server answers too. The Elasticsearch 8 client sends
``application/vnd.elasticsearch+json; compatible-with=8`` as Accept and
Content-Type; servers that are not Elasticsearch 8 (OpenSearch, the in-memory
osmem-server the tests use) refuse it. ``ELASTICSEARCH_COMPAT_HEADERS=false``
sends plain ``application/json`` instead; Elasticsearch 8 accepts both, and
the default (true) keeps the client's own headers.
"""

import logging
import re

from django.db.models import Case, IntegerField, QuerySet, Value, When
from elastic_transport import Urllib3HttpNode

from search.backends.database import DatabaseBackend
from search.text import fold, terms

logger = logging.getLogger(__name__)

MAX_HITS = 1000
MAPPINGS = {
    "properties": {
        "title": {"type": "text", "analyzer": "standard"},
        "text": {"type": "text", "analyzer": "standard"},
    }
}


# "application/vnd.elasticsearch+json; compatible-with=8" -> "application/json" (x-ndjson for bulk alike)
_COMPAT_MIMETYPE = re.compile(r"application/vnd\.elasticsearch\+([\w.-]+)(?:;\s*compatible-with=\d+)?")


class PlainJsonNode(Urllib3HttpNode):
    """An HTTP connection that sends plain JSON media types instead of Elasticsearch 8's compatibility ones."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if headers.get(name):
                    headers[name] = _COMPAT_MIMETYPE.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


class ElasticsearchBackend(DatabaseBackend):
    def __init__(self, url: str = "", index: str = "ocop-products", compat_headers: bool = True):
        from django.core.exceptions import ImproperlyConfigured
        from elasticsearch import Elasticsearch

        if not url:
            raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL.")
        self.client = Elasticsearch(url) if compat_headers else Elasticsearch(url, node_class=PlainJsonNode)
        self.index_name = index

    def match(self, products: QuerySet, query: str) -> QuerySet:
        if not terms(query):
            return products.annotate(search_rank=Value(0, output_field=IntegerField()))
        from elasticsearch import ApiError, TransportError

        try:
            response = self._search(query)
        except (ApiError, TransportError):
            # The database rows hold the same documents: search goes on while Elasticsearch is down.
            logger.exception("Elasticsearch search failed; answering from the database")
            return DatabaseBackend().match(products, query)
        ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        if not ids:
            return products.none().annotate(search_rank=Value(0, output_field=IntegerField()))
        rank = Case(
            *(When(pk=pk, then=Value(len(ids) - position)) for position, pk in enumerate(ids)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return products.filter(pk__in=ids).annotate(search_rank=rank)

    def _search(self, query: str):
        return self.client.search(
            index=self.index_name,
            query={
                "bool": {
                    "must": {
                        # The last term may be a word's beginning, as in the database backend.
                        "multi_match": {
                            "query": fold(query),
                            "type": "bool_prefix",
                            "fields": ["title^3", "text"],
                            "operator": "and",
                        }
                    },
                    "should": {"match_phrase": {"title": {"query": fold(query), "boost": 5}}},
                }
            },
            size=MAX_HITS,
            source=False,
        )

    def index(self, product_ids) -> None:
        from elasticsearch.helpers import bulk

        from search.models import ProductSearchText

        rows = ProductSearchText.objects.filter(product_id__in=list(product_ids)).values("product_id", "title", "text")
        documents = (
            {"_index": self.index_name, "_id": row["product_id"], "title": row["title"], "text": row["text"]}
            for row in rows
        )
        bulk(
            self.client,
            documents,
            refresh="wait_for",
        )

    def remove(self, product_ids) -> None:
        from elasticsearch.helpers import bulk

        bulk(
            self.client,
            ({"_op_type": "delete", "_index": self.index_name, "_id": pk} for pk in product_ids),
            raise_on_error=False,
            refresh="wait_for",
        )

    def sync(self, product_ids) -> None:
        """Re-sends every document when the index does not hold one per product (a new or lost index)."""
        from elasticsearch import ApiError, NotFoundError, TransportError

        product_ids = list(product_ids)
        try:
            count = self.client.count(index=self.index_name)["count"]
        except NotFoundError:
            count = None
        except (ApiError, TransportError):
            logger.warning("Elasticsearch unreachable: index not checked; run rebuild_search_index later")
            return
        if count != len(product_ids):
            self.reset()
            for start in range(0, len(product_ids), 500):
                self.index(product_ids[start : start + 500])

    def reset(self) -> None:
        self.client.options(ignore_status=404).indices.delete(index=self.index_name)
        self.client.indices.create(index=self.index_name, mappings=MAPPINGS)
