"""The Elasticsearch document of a product, defined with elasticsearch-dsl, and how it is built.

Text is analysed three ways:

- ``vi_toned``: lower case, tone marks kept ("mật" and "mắt" differ), so a
  shopper who typed the marks gets the exact word first;
- ``vi_folded``: ``lowercase`` + ``asciifolding`` ("Nước mắm" -> "nuoc mam",
  "Đại" -> "dai"), the same folding as ``search.text.fold`` on the database side;
- ``vi_prefix``: the folded words cut into their beginnings (``edge_ngram``),
  searched with ``vi_folded``, so "sam ngoc lin" finds "Sâm Ngọc Linh" as it is typed.

Every public product is indexed, lapsed ones too (the search filters on the
certificate dates, so a lapse needs no re-index and "found only lapsed
products" can be told); unpublished, unapproved and deleted products are not.
"""

import datetime
from collections.abc import Iterable

from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    GeoPoint,
    Integer,
    Keyword,
    Long,
    Text,
    analyzer,
    token_filter,
)
from oscar.core.loading import get_class, get_model

from catalog.selectors import browsable_products, verified_certificates_prefetch
from outlets import stock
from search.indexing import ancestor_names, facts_of, outlet_parts, searchable_parts
from search.text import fold

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

vi_toned = analyzer("vi_toned", tokenizer="standard", filter=["lowercase"])
vi_folded = analyzer("vi_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
vi_prefix = analyzer(
    "vi_prefix",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", token_filter("vi_edge", type="edge_ngram", min_gram=1, max_gram=20)],
)


def _text() -> Text:
    """A text field searched three ways: tone marks kept (the field), folded, and as-you-type."""
    return Text(
        analyzer=vi_toned,
        fields={
            "folded": Text(analyzer=vi_folded),
            "prefix": Text(analyzer=vi_prefix, search_analyzer=vi_folded),
        },
    )


class ProductDocument(Document):
    product_id = Long()
    title = _text()
    producer = _text()
    text = _text()  # everything searchable: titles, description, producer, places, groups
    title_sort = Keyword()  # folded title: A to Z whatever the tone marks
    public = Boolean()
    stars = Integer()  # of the certificate current (or next) when indexed
    valid_from = Date()
    valid_until = Date()  # first day it no longer holds
    group = Keyword()  # OCOP group codes
    subgroup = Keyword()
    category_paths = Keyword()  # every category and ancestor path: a category page's subtree
    group_paths = Keyword()  # root category paths: the group facet
    district = Keyword()  # former district slug
    district_facet = Keyword()  # "slug\tname", so the facet needs no database query for names
    producer_id = Integer()
    price = Long()  # VND, whole dong: what a buyer pays now, campaign discount included (``buyer_price``)
    in_stock = Boolean()
    date_created = Date()
    suggest = Completion(analyzer=vi_folded, search_analyzer=vi_folded, preserve_separators=True)


def _listing_certificate(certificates: list, today: datetime.date):
    """The certificate that decides listing: valid today, else the next one to start, else the last."""
    if not certificates:
        return None
    valid = [c for c in certificates if c.is_valid_on(today)]
    if valid:
        return max(valid, key=lambda c: (c.decision_date, c.pk))
    upcoming = [c for c in certificates if c.decision_date > today]
    if upcoming:
        return min(upcoming, key=lambda c: (c.decision_date, c.pk))
    return max(certificates, key=lambda c: (c.decision_date, c.pk))


def _suggest_inputs(title: str) -> list[str]:
    """The title from each of its words on, so "ong" completes "Mật ong rừng" too."""
    words = title.split()
    return [" ".join(words[start:]) for start in range(min(len(words), 6))]


def buyer_price(strategy, product) -> int | None:
    """What a buyer pays for ``product`` now, as the storefront's partner strategy prices it: the selling
    record's price, less the running campaign's discount (the price a product card shows)."""
    price = strategy.pricing_policy(product, strategy.select_stockrecord(product))
    if not price.exists:
        return None
    promotion = getattr(price, "promotion", None)
    return int(promotion.price if promotion else price.incl_tax)


def build_documents(product_ids: Iterable[int], *, today: datetime.date | None = None) -> tuple[list, list[int]]:
    """(documents to index, ids to delete) for ``product_ids``, in a fixed number of queries."""
    from django.utils import timezone

    today = today or timezone.localdate()
    ids = list(set(product_ids))
    public = set(browsable_products().filter(pk__in=ids).values_list("pk", flat=True))
    products = list(
        Product.objects.filter(pk__in=public)
        .select_related("producer__partner", "producer__district")
        .prefetch_related("categories", stock.prefetch_selling_records(), verified_certificates_prefetch())
    )
    ancestors = ancestor_names(products)
    # The storefront's pricing rule, for an anonymous buyer (campaigns loaded once for the whole batch).
    strategy = get_class("partner.strategy", "Selector")().strategy()
    documents = []
    for product in products:
        parts = searchable_parts(facts_of(product), ancestors)
        certificate = _listing_certificate(list(product.certificates.all()), today)
        record = stock.selling_record(product)
        paths = set()
        for category in product.categories.all():
            paths.update(category.path[: depth * Category.steplen] for depth in range(1, category.depth + 1))
        district = product.producer.district if product.producer else None
        documents.append(
            ProductDocument(
                meta={"id": product.pk},
                product_id=product.pk,
                title=product.title,
                producer=parts["producer"],
                text=" ".join(value for value in parts.values() if value),
                title_sort=fold(product.title),
                public=True,
                stars=certificate.stars if certificate else None,
                valid_from=certificate.decision_date if certificate else None,
                valid_until=certificate.valid_until if certificate else None,
                group=sorted({category.code for category in product.categories.all() if category.depth == 1}),
                subgroup=sorted({category.code for category in product.categories.all() if category.depth > 1}),
                category_paths=sorted(paths),
                group_paths=sorted({path[: Category.steplen] for path in paths}),
                district=district.slug if district else None,
                district_facet=f"{district.slug}\t{district.name}" if district else None,
                producer_id=product.producer_id,
                price=buyer_price(strategy, product),
                in_stock=bool(record and (record.num_in_stock or 0) - (record.num_allocated or 0) > 0),
                date_created=product.date_created,
                suggest={"input": _suggest_inputs(product.title), "weight": certificate.stars if certificate else 1},
            )
        )
    return documents, [pk for pk in ids if pk not in public]


# --- sales points -----------------------------------------------------------------------------


class OutletDocument(Document):
    """A sales point: found by its name and address as typed (with or without tone marks), filtered by
    kind and former district, nearest first by its location. Closed points are indexed and filtered out."""

    outlet_id = Long()
    name = _text()
    text = _text()  # name, kind, address (street, commune, province), former district
    name_sort = Keyword()  # folded name
    kind = Keyword()
    district = Keyword()  # former district slug
    district_sort = Keyword()  # folded former district name: the listing's order without a location
    commune = Keyword()  # ward/commune code
    location = GeoPoint()
    is_open = Boolean()


def build_outlet_documents(outlet_ids: Iterable[int]) -> tuple[list, list[int]]:
    """(documents to index, ids to delete) for sales points ``outlet_ids``, in one query."""
    from outlets.models import Outlet

    ids = {int(pk) for pk in outlet_ids}
    outlets = list(Outlet.objects.filter(pk__in=ids).select_related("former_district"))
    documents = []
    for outlet in outlets:
        documents.append(
            OutletDocument(
                meta={"id": outlet.pk},
                outlet_id=outlet.pk,
                name=outlet.name,
                text=" ".join(value for value in outlet_parts(outlet).values() if value),
                name_sort=fold(outlet.name),
                kind=outlet.kind,
                district=outlet.former_district.slug,
                district_sort=fold(outlet.former_district.name),
                commune=str(outlet.ward_code),
                location={"lat": float(outlet.latitude), "lon": float(outlet.longitude)},
                is_open=outlet.is_open,
            )
        )
    found = {outlet.pk for outlet in outlets}
    return documents, sorted(ids - found)
