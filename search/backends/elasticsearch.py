"""Search with Elasticsearch (``SEARCH_BACKEND=elasticsearch``, ``ELASTICSEARCH_URL``).

Elasticsearch holds the same folded documents as ``ProductSearchText`` (built
by ``search.indexing``) and answers with ranked ids; filters, facets and pages
stay in the database, so both backends list products the same way.
"""

from django.db.models import Case, IntegerField, QuerySet, Value, When

from search.text import fold, terms

INDEX = "ocop-products"
MAX_HITS = 1000
MAPPINGS = {
    "properties": {
        "title": {"type": "text", "analyzer": "standard"},
        "text": {"type": "text", "analyzer": "standard"},
    }
}


class ElasticsearchBackend:
    def __init__(self, url: str = ""):
        from elasticsearch import Elasticsearch

        self.client = Elasticsearch(url)

    def match(self, products: QuerySet, query: str) -> QuerySet:
        if not terms(query):
            return products.annotate(search_rank=Value(0, output_field=IntegerField()))
        response = self.client.search(
            index=INDEX,
            query={
                "bool": {
                    "must": {"multi_match": {"query": fold(query), "fields": ["title^3", "text"], "operator": "and"}},
                    "should": {"match_phrase": {"title": {"query": fold(query), "boost": 5}}},
                }
            },
            size=MAX_HITS,
            source=False,
        )
        ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
        if not ids:
            return products.none().annotate(search_rank=Value(0, output_field=IntegerField()))
        rank = Case(
            *(When(pk=pk, then=Value(len(ids) - position)) for position, pk in enumerate(ids)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return products.filter(pk__in=ids).annotate(search_rank=rank)

    def index(self, product_ids) -> None:
        from elasticsearch.helpers import bulk

        from search.models import ProductSearchText

        rows = ProductSearchText.objects.filter(product_id__in=list(product_ids)).values("product_id", "title", "text")
        bulk(
            self.client,
            ({"_index": INDEX, "_id": row["product_id"], "title": row["title"], "text": row["text"]} for row in rows),
        )

    def remove(self, product_ids) -> None:
        from elasticsearch.helpers import bulk

        bulk(
            self.client,
            ({"_op_type": "delete", "_index": INDEX, "_id": pk} for pk in product_ids),
            raise_on_error=False,
        )

    def reset(self) -> None:
        self.client.options(ignore_status=404).indices.delete(index=INDEX)
        self.client.indices.create(index=INDEX, mappings=MAPPINGS)
