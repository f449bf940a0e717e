"""Builds the folded search text of products and stores it in ``ProductSearchText``.

The database backend searches these rows; when Elasticsearch is configured the
same documents are sent to it after the transaction commits.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from search import outbox
from search.models import ProductSearchText
from search.text import index_words

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def indexable_products():
    """Products with everything their search document reads, in a fixed number of queries."""
    return Product.objects.select_related("producer__partner", "producer__district").prefetch_related("categories")


def document_parts(product, ancestors: dict[str, str]) -> dict[str, str]:
    """The product's searchable text as written, by part. ``ancestors`` maps a category path to its name."""
    producer = product.producer
    category_names = []
    for category in product.categories.all():
        # A product filed under a sub-group is found by its group's name too.
        for depth in range(1, category.depth):
            name = ancestors.get(category.path[: depth * Category.steplen])
            if name:
                category_names.append(name)
        category_names.append(category.name)
    return {
        "title": product.title,
        "title_en": product.title_en,
        "upc": product.upc or "",
        "description": strip_tags(product.description or ""),
        "description_en": strip_tags(product.description_en or ""),
        "producer": producer.name if producer else "",
        "district": producer.district.name if producer else "",
        "commune": producer.commune if producer else "",
        "categories": " ".join(category_names),
    }


def document_fields(product, ancestors: dict[str, str]) -> dict[str, str]:
    """The product's searchable text, folded, as the database backend searches it."""
    parts = document_parts(product, ancestors)
    return {"title": index_words(product.title), "text": index_words(" ".join(part for part in parts.values() if part))}


def ancestor_names(products: Iterable) -> dict[str, str]:
    paths = set()
    for product in products:
        for category in product.categories.all():
            paths.update(category.path[: depth * Category.steplen] for depth in range(1, category.depth))
    if not paths:
        return {}
    return dict(Category.objects.filter(path__in=paths).values_list("path", "name"))


def index_products(products: Iterable, *, announce: bool = True) -> int:
    """Writes (or rewrites) the search rows of ``products``; returns how many were written."""
    products = list(products)
    if not products:
        return 0
    ancestors = ancestor_names(products)
    with transaction.atomic():
        for product in products:
            ProductSearchText.objects.update_or_create(
                product_id=product.pk, defaults=document_fields(product, ancestors)
            )
        # Elasticsearch follows through the outbox, in this same transaction (see search.outbox).
        if announce:
            outbox.enqueue(product.pk for product in products)
    return len(products)


def index_product_ids(ids: Iterable[int], *, announce: bool = True) -> int:
    return index_products(indexable_products().filter(pk__in=list(ids)), announce=announce)


def rebuild_index(*, batch_size: int = 500, progress=None) -> int:
    """Re-indexes every product and drops rows of products that no longer exist; Elasticsearch, when it
    is the backend, gets a new index behind its alias (``search_index --rebuild``)."""
    from search.backends import get_backend

    total = 0
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        total += index_product_ids(ids[start : start + batch_size], announce=False)
    ProductSearchText.objects.exclude(product_id__in=Product.objects.values("pk")).delete()
    backend = get_backend()
    if hasattr(backend, "rebuild"):
        backend.rebuild(ids, batch_size=batch_size, progress=progress)
    return total
