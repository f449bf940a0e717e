"""Search with Elasticsearch (``SEARCH_BACKEND=elasticsearch``, ``ELASTICSEARCH_URL``).

Elasticsearch answers the whole listing question in one request: ranked hits,
filters, facet counts (aggregations, with the facet filters in ``post_filter`` so
a facet's own selection does not hide its other values), sorting and the page.
The database then fetches only the page's products.

Ranking, per query word (the best of): a whole word of the title (7), the
beginning of a title word (6), a title word one or two letters off (4, words of
4+ letters only), the producer (3.5 / 3 / 2), anything else (1.5 / 1 / 0.5);
then the phrase in the title (+5), and words typed with their tone marks that
match exactly (+1 in the title, +0.5 elsewhere). Ties: more stars, newer.

A shopper's request never waits long for the search server: the request-path
client times out after ``ELASTICSEARCH_TIMEOUT`` (0.3 s) with no retries, and a
circuit breaker sends every search to the database backend for
``ELASTICSEARCH_RETRY_AFTER`` seconds after a failure, logging it once. Writes
go through the outbox (``search.outbox``) and ``manage.py search_sync``, whose
client waits longer.

The index is an alias over a dated index: ``manage.py search_index --rebuild``
fills a new one and switches the alias, so search never goes empty.

The Elasticsearch 8 client sends ``application/vnd.elasticsearch+json;
compatible-with=8`` as Accept and Content-Type; servers that are not
Elasticsearch 8 (OpenSearch, the in-memory osmem-server the tests use) refuse
it. ``ELASTICSEARCH_COMPAT_HEADERS=false`` sends plain ``application/json``.
"""

import datetime
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from elastic_transport import Urllib3HttpNode
from elasticsearch_dsl import A, Index, Q, Search
from elasticsearch_dsl.query import Query

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
from search.backends.database import DatabaseBackend
from search.documents import OutletDocument, ProductDocument, build_documents, build_outlet_documents
from search.text import fold, word_pairs

logger = logging.getLogger(__name__)

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


class CircuitBreaker:
    """Open after a failure: callers skip the server for ``retry_after`` seconds, then one call tries again.

    The failure is logged once when the circuit opens, and once more when the server answers again.
    """

    def __init__(self, *, retry_after: float):
        self.retry_after = retry_after
        self.opened_at: float | None = None
        self.last_error = ""
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def allow(self) -> bool:
        with self._lock:
            if self.opened_at is None:
                return True
            if time.monotonic() - self.opened_at >= self.retry_after:
                self.opened_at = time.monotonic()  # one trial per period; the others keep skipping
                return True
            return False

    def succeeded(self) -> None:
        with self._lock:
            if self.opened_at is not None:
                logger.warning("Elasticsearch answers again: searching it again")
            self.opened_at = None
            self.last_error = ""

    def failed(self, error: Exception) -> None:
        with self._lock:
            if self.opened_at is None:
                logger.error(
                    "Elasticsearch failed (%s: %s): answering from the database for the next %s s",
                    type(error).__name__,
                    error,
                    self.retry_after,
                )
            self.opened_at = time.monotonic()
            self.last_error = f"{type(error).__name__}: {error}"[:300]


def _client(url: str, *, compat_headers: bool, timeout: float):
    from elasticsearch import Elasticsearch

    options = {"request_timeout": timeout, "max_retries": 0, "retry_on_timeout": False}
    if not compat_headers:
        options["node_class"] = PlainJsonNode
    return Elasticsearch(url, **options)


def _terms_filter(field: str, values) -> Query:
    return Q("terms", **{field: list(values)})


SORTS = {
    RELEVANCE: ["_score", {"stars": "desc"}, {"date_created": "desc"}, {"product_id": "desc"}],
    STARS: [{"stars": "desc"}, {"date_created": "desc"}, {"product_id": "desc"}],
    NEWEST: [{"date_created": "desc"}, {"product_id": "desc"}],
    PRICE_ASC: [{"price": {"order": "asc", "missing": "_last"}}, {"stars": "desc"}, {"product_id": "desc"}],
    PRICE_DESC: [{"price": {"order": "desc", "missing": "_last"}}, {"stars": "desc"}, {"product_id": "desc"}],
    TITLE: [{"title_sort": "asc"}, {"product_id": "asc"}],
}

# Per query word: (field, whole word or beginning or typo, score). The best one counts.
WORD_SCORES = (
    ("title", 7, 6, 4),
    ("producer", 3.5, 3, 2),
    ("text", 1.5, 1, 0.5),
)
TONE_BONUS = {"title": 1, "text": 0.5}
PHRASE_BONUS = 5


def _fuzziness(word: str) -> int:
    """Typos are forgiven in words of 4+ letters: one letter, two from 7 letters on."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 7 else 2


OUTLET_WORD_SCORES = (("name", 7, 6, 4), ("text", 1.5, 1, 0.5))
OUTLET_TONE_BONUS = {"name": 1, "text": 0.5}


def text_query(
    query: str, *, fields=WORD_SCORES, tone_bonus=TONE_BONUS, phrase_field: str = "title.folded"
) -> Query | None:
    """Every word must begin (or, from 4 letters, nearly be) a word of the document's text; scored by where."""
    pairs = word_pairs(query)
    if not pairs:
        return None
    must = []
    should = []
    for typed, folded in pairs:
        options = []
        for field, whole, beginning, typo in fields:
            options.append(Q("constant_score", filter=Q("match", **{f"{field}.folded": folded}), boost=whole))
            options.append(Q("constant_score", filter=Q("match", **{f"{field}.prefix": folded}), boost=beginning))
            if fuzziness := _fuzziness(folded):
                fuzzy = {"query": folded, "fuzziness": fuzziness, "prefix_length": 1}
                options.append(Q("constant_score", filter=Q("match", **{f"{field}.folded": fuzzy}), boost=typo))
        must.append(Q("dis_max", queries=options))
        if typed != folded:  # typed with tone marks: the exact word ranks above its folded look-alikes
            for field, bonus in tone_bonus.items():
                should.append(Q("constant_score", filter=Q("match", **{field: typed}), boost=bonus))
    phrase = " ".join(folded for _, folded in pairs)
    if len(pairs) > 1:
        should.append(Q("constant_score", filter=Q("match_phrase", **{phrase_field: phrase}), boost=PHRASE_BONUS))
    return Q("bool", must=must, should=should)


def _listed_today(today: datetime.date) -> list[Query]:
    return [
        Q("term", public=True),
        Q("range", valid_from={"lte": today.isoformat()}),
        Q("range", valid_until={"gt": today.isoformat()}),
    ]


class ElasticsearchBackend:
    max_result_window = 10_000  # Elasticsearch's default index.max_result_window
    max_outlets = 2_000  # every sales point in one answer (the province plans a few hundred)

    def __init__(self, url: str = "", index: str = "ocop-products", compat_headers: bool = True):
        from django.core.exceptions import ImproperlyConfigured

        if not url:
            raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL.")
        self.url = url
        self.alias = index
        self.index_name = index  # what searches and writes address: the alias
        self.outlets_alias = f"{index}-outlets"  # the sales points' index, behind its own alias
        timeout = getattr(settings, "ELASTICSEARCH_TIMEOUT", 0.3)
        self.client = _client(url, compat_headers=compat_headers, timeout=timeout)
        self.worker_client = _client(
            url, compat_headers=compat_headers, timeout=getattr(settings, "ELASTICSEARCH_WORKER_TIMEOUT", 30)
        )
        self.breaker = CircuitBreaker(retry_after=getattr(settings, "ELASTICSEARCH_RETRY_AFTER", 30))
        self.database = DatabaseBackend()

    # --- reads, in the request path ------------------------------------------------------

    def _guarded(self, ask: Callable, fallback: Callable):
        """``ask()`` Elasticsearch unless the circuit is open; on any failure, ``fallback()`` (the database)."""
        from elasticsearch import ApiError, TransportError

        if not self.breaker.allow():
            return fallback()
        try:
            answer = ask()
        except ApiError as error:
            if isinstance(error.status_code, int) and 400 <= error.status_code < 500 and error.status_code != 404:
                # A request Elasticsearch refuses is this code's fault, not the server's: no circuit opens.
                logger.error("Elasticsearch refused a search (%s): answering from the database", error)
                return fallback()
            self.breaker.failed(error)
            return fallback()
        except TransportError as error:
            self.breaker.failed(error)
            return fallback()
        self.breaker.succeeded()
        return answer

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
        if page.offset + page.size > self.max_result_window:
            # Elasticsearch pages no deeper than index.max_result_window; the database can.
            return self.database.search(query, filters, sort, page, facets=facets, version=version)
        return self._guarded(
            lambda: self._search(query, filters, sort, page, facets=facets),
            lambda: self.database.search(query, filters, sort, page, facets=facets, version=version),
        )

    def suggest(self, query: str, *, limit: int = 8) -> list[int]:
        return self._guarded(lambda: self._suggest(query, limit), lambda: self.database.suggest(query, limit=limit))

    def lapsed(self, query: str, *, limit: int = 10) -> list[int]:
        return self._guarded(lambda: self._lapsed(query, limit), lambda: self.database.lapsed(query, limit=limit))

    def find_outlets(
        self, query: str = "", *, kind: str = "", district: str = "", near: tuple[float, float] | None = None
    ) -> list[int]:
        """Open sales points matching ``query`` (name, address, commune, district), nearest first when
        ``near`` is given, else by former district and name."""
        return self._guarded(
            lambda: self._find_outlets(query, kind=kind, district=district, near=near),
            lambda: self.database.find_outlets(query, kind=kind, district=district, near=near),
        )

    def _find_outlets(self, query: str, *, kind: str, district: str, near) -> list[int]:
        filters = [Q("term", is_open=True)]
        if kind:
            filters.append(Q("term", kind=kind))
        if district:
            filters.append(Q("term", district=district))
        matched = text_query(query, fields=OUTLET_WORD_SCORES, tone_bonus=OUTLET_TONE_BONUS, phrase_field="name.folded")
        if near is not None:
            order = [{"_geo_distance": {"location": {"lat": near[0], "lon": near[1]}, "order": "asc", "unit": "km"}}]
        else:
            order = [{"district_sort": "asc"}, {"name_sort": "asc"}]
        search = (
            Search(using=self.client, index=self.outlets_alias)
            .query(Q("bool", must=[matched] if matched else [], filter=filters))
            .sort(*order, {"outlet_id": "asc"})
            .source(False)
            .extra(size=self.max_outlets)
        )
        return [int(hit.meta.id) for hit in search.execute()]

    def _search(self, query: str, filters: SearchFilters, sort: str, page: PageRequest, *, facets: bool):
        today = timezone.localdate()
        base = _listed_today(today)
        if filters.category_path:
            base.append(Q("term", category_paths=filters.category_path))
        if filters.producer is not None:
            base.append(Q("term", producer_id=filters.producer))
        if filters.price_min is not None or filters.price_max is not None:
            bounds = {}
            if filters.price_min is not None:
                bounds["gte"] = int(filters.price_min)
            if filters.price_max is not None:
                bounds["lte"] = int(filters.price_max)
            base.append(Q("range", price=bounds))
        # Facet filters apply after the aggregations (post_filter), each facet skipping its own.
        facet_filters = {}
        if filters.group_path:
            facet_filters["group"] = Q("term", group_paths=filters.group_path)
        if filters.stars:
            facet_filters["stars"] = _terms_filter("stars", filters.stars)
        if filters.districts:
            facet_filters["districts"] = _terms_filter("district", filters.districts)
        if filters.in_stock:
            facet_filters["in_stock"] = Q("term", in_stock=True)

        def all_but(*names) -> Query:
            return Q("bool", filter=[q for name, q in facet_filters.items() if name not in names])

        matched = text_query(query)
        search = Search(using=self.client, index=self.alias).query(
            Q("bool", must=[matched] if matched else [], filter=base)
        )
        if facet_filters:
            search = search.post_filter(all_but())
        if facets:
            if not filters.category_path:
                search.aggs.bucket("groups", A("filter", all_but("group"))).bucket(
                    "values", A("terms", field="group_paths", size=100)
                )
            stars = search.aggs.bucket("stars", A("filter", all_but("stars", "in_stock"))).bucket(
                "values", A("terms", field="stars", size=10)
            )
            stars.bucket("in_stock", A("filter", Q("term", in_stock=True)))
            search.aggs.bucket("districts", A("filter", all_but("districts"))).bucket(
                "values", A("terms", field="district_facet", size=1000)
            )
        search = search.sort(*SORTS.get(sort, SORTS[STARS])).extra(
            from_=page.offset, size=page.size, track_total_hits=True
        )
        search = search.source(False)
        response = search.execute()
        ids = [int(hit.meta.id) for hit in response]
        counts = self._facet_counts(response.aggregations, filters) if facets else None
        return SearchResult(ids=ids, total=response.hits.total.value, facets=counts)

    @staticmethod
    def _facet_counts(aggregations, filters: SearchFilters) -> FacetCounts:
        counts = FacetCounts()
        if "groups" in aggregations:
            counts.groups = {bucket.key: bucket.doc_count for bucket in aggregations.groups["values"].buckets}
        for bucket in aggregations.stars["values"].buckets:
            stars, in_stock = int(bucket.key), bucket.in_stock.doc_count
            counts.stars[stars] = in_stock if filters.in_stock else bucket.doc_count
            if not filters.stars or stars in filters.stars:
                counts.in_stock += in_stock
        for bucket in aggregations.districts["values"].buckets:
            slug, _, name = bucket.key.partition("\t")
            counts.districts.append(DistrictCount(slug=slug, name=name, count=bucket.doc_count))
        return counts

    def _suggest(self, query: str, limit: int) -> list[int]:
        prefix = fold(query)
        if not prefix:
            return []
        search = (
            Search(using=self.client, index=self.alias)
            .suggest("products", prefix, completion={"field": "suggest", "size": limit * 4, "skip_duplicates": True})
            .source(["public", "valid_from", "valid_until"])
            .extra(size=0)
        )
        today = timezone.localdate().isoformat()
        ids = []
        for option in search.execute().suggest.products[0].options:
            source = option._source
            listed = source.public and source.valid_from and source.valid_from <= today < source.valid_until
            if listed and int(option._id) not in ids:
                ids.append(int(option._id))
        return ids[:limit]

    def _lapsed(self, query: str, limit: int) -> list[int]:
        matched = text_query(query)
        if matched is None:
            return []
        today = timezone.localdate().isoformat()
        search = (
            Search(using=self.client, index=self.alias)
            .query(
                Q(
                    "bool",
                    must=[matched],
                    filter=[Q("term", public=True), Q("range", valid_until={"lte": today})],
                )
            )
            .sort(*SORTS[RELEVANCE])
            .source(False)
            .extra(size=limit)
        )
        return [int(hit.meta.id) for hit in search.execute()]

    def health(self) -> dict:
        """For /healthz/: whether Elasticsearch answers, asked at most once per breaker period when down."""
        if self.breaker.is_open and not self.breaker.allow():
            return {"ok": False, "backend": "elasticsearch", "circuit": "open", "error": self.breaker.last_error}
        try:
            self.client.cluster.health(index=self.alias)
        except Exception as error:  # noqa: BLE001  (any failure is "down")
            self.breaker.failed(error)
            return {"ok": False, "backend": "elasticsearch", "circuit": "open", "error": self.breaker.last_error}
        self.breaker.succeeded()
        return {"ok": True, "backend": "elasticsearch", "circuit": "closed"}

    # --- writes, from the outbox worker and the management commands ----------------------

    def new_index(self, document=ProductDocument, alias: str | None = None) -> Index:
        name = f"{alias or self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        index = Index(name, using=self.worker_client)
        index.document(document)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.create()
        return index

    def _bulk(self, actions: Iterable[dict]) -> set[int]:
        """Sends ``actions``; returns the product ids Elasticsearch refused (a missing document to delete is fine)."""
        from elasticsearch.helpers import streaming_bulk

        failed = set()
        for ok, item in streaming_bulk(
            self.worker_client, actions, raise_on_error=False, raise_on_exception=True, max_retries=0
        ):
            operation, result = next(iter(item.items()))
            if not ok and not (operation == "delete" and result.get("status") == 404):
                failed.add(int(result["_id"]))
        return failed

    def write(self, product_ids: Iterable[int], *, index: str | None = None) -> set[int]:
        """Indexes the public products of ``product_ids`` and removes the others; returns the ids that failed."""
        return self._write(*build_documents(product_ids), index or self.alias)

    def write_outlets(self, outlet_ids: Iterable[int], *, index: str | None = None) -> set[int]:
        """Indexes the sales points ``outlet_ids`` (open or closed) and removes deleted ones; returns the failed ids."""
        return self._write(*build_outlet_documents(outlet_ids), index or self.outlets_alias)

    def _write(self, documents: list, removed: list[int], target: str) -> set[int]:
        actions = [document.to_dict(include_meta=True) | {"_index": target} for document in documents]
        actions += [{"_op_type": "delete", "_index": target, "_id": pk} for pk in removed]
        if not actions:
            return set()
        failed = self._bulk(actions)
        self.worker_client.indices.refresh(index=target)
        return failed

    def index(self, product_ids) -> None:
        failed = self.write(product_ids)
        if failed:
            raise RuntimeError(f"Elasticsearch refused products {sorted(failed)}")

    def remove(self, product_ids) -> None:
        self._bulk({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in product_ids)
        self.worker_client.indices.refresh(index=self.alias)

    def _indices_behind_alias(self, alias: str | None = None) -> list[str]:
        from elasticsearch import NotFoundError

        try:
            return list(self.worker_client.indices.get_alias(name=alias or self.alias))
        except NotFoundError:
            return []

    def switch_alias(self, new_index: str, alias: str | None = None) -> None:
        """Points the alias at ``new_index`` in one step and deletes the indexes it pointed at."""
        alias = alias or self.alias
        old = self._indices_behind_alias(alias)
        actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": alias}})
        if self.worker_client.indices.exists(index=alias) and not old:
            # A plain index under the alias's name (an older install): it must go before the alias can exist.
            self.worker_client.indices.delete(index=alias)
        self.worker_client.indices.update_aliases(actions=actions)
        for name in old:
            self.worker_client.options(ignore_status=404).indices.delete(index=name)

    def rebuild(
        self, product_ids: list[int], *, batch_size: int = 500, progress: Callable[[int], None] | None = None
    ) -> int:
        """Fills a new index with every product, then switches the alias to it; returns the documents written."""
        index = self.new_index()
        written = 0
        for start in range(0, len(product_ids), batch_size):
            batch = product_ids[start : start + batch_size]
            failed = self.write(batch, index=index._name)
            if failed:
                self.worker_client.options(ignore_status=404).indices.delete(index=index._name)
                raise RuntimeError(f"Elasticsearch refused products {sorted(failed)[:20]}; the alias was not switched")
            written += len(batch)
            if progress:
                progress(len(batch))
        self.switch_alias(index._name)
        self.rebuild_outlets()
        return written

    def rebuild_outlets(self) -> int:
        """Fills a new sales points index, then switches its alias to it; returns the documents written."""
        from outlets.models import Outlet

        index = self.new_index(OutletDocument, self.outlets_alias)
        ids = list(Outlet.objects.order_by("pk").values_list("pk", flat=True))
        failed = self.write_outlets(ids, index=index._name)
        if failed:
            self.worker_client.options(ignore_status=404).indices.delete(index=index._name)
            raise RuntimeError(f"Elasticsearch refused sales points {sorted(failed)[:20]}; the alias was not switched")
        self.switch_alias(index._name, self.outlets_alias)
        return len(ids)

    def reset(self) -> None:
        """Empty indexes behind the aliases."""
        self.switch_alias(self.new_index()._name)
        self.switch_alias(self.new_index(OutletDocument, self.outlets_alias)._name, self.outlets_alias)

    def drop(self) -> None:
        for alias in (self.alias, self.outlets_alias):
            for name in self._indices_behind_alias(alias):
                self.worker_client.options(ignore_status=404).indices.delete(index=name)

    def sync(self, product_ids) -> None:
        """After ``migrate``: fills the index when it does not exist or holds a different number of products."""
        from elasticsearch import ApiError, NotFoundError, TransportError

        from catalog.selectors import browsable_products

        product_ids = list(product_ids)
        try:
            count = self.worker_client.count(index=self.alias)["count"]
        except NotFoundError:
            count = None
        except (ApiError, TransportError):
            logger.warning("Elasticsearch unreachable: index not checked; run `manage.py search_index --rebuild` later")
            return
        public = list(browsable_products().filter(pk__in=product_ids).values_list("pk", flat=True))
        if count != len(public):
            self.rebuild(sorted(public))  # the sales points too
            return
        from outlets.models import Outlet

        try:
            outlets = self.worker_client.count(index=self.outlets_alias)["count"]
        except NotFoundError:
            outlets = None
        except (ApiError, TransportError):
            return
        if outlets != Outlet.objects.count():
            self.rebuild_outlets()
