"""Writes the listing rows (``search.models.ProductSearchText``): folded text and listing columns, in bulk.

One function builds a product's row (``row_for``) and one writes rows in bulk
(``index_product_ids``, an upsert per batch), used both when a product changes and
for the full rebuild, so the two can never disagree. When Elasticsearch is
configured, the same transaction writes the products to the search outbox
(``search.outbox``), which ``manage.py search_sync`` sends.
Every write bumps the catalogue version after the commit, which retires the
cached pages that may show the old row (``search.cache``).
"""

import datetime
import sys
import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from outlets import stock
from search import cache, outbox
from search.models import ROW_LAYOUT, ProductSearchText
from search.text import index_words

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
OcopCertificate = get_model("catalogue", "OcopCertificate")

ROW_FIELDS = [
    "title",
    "text",
    "is_listed",
    "stars",
    "valid_from",
    "valid_until",
    "price",
    "in_stock",
    "category_path",
    "group_path",
    "district",
    "producer",
    "rating",
    "date_created",
    "layout",
    "updated_at",
]
BATCH_SIZE = 5000


def product_facts(ids: Iterable[int]) -> list[dict]:
    """What the rows of products ``ids`` are built from, as plain values: four queries, no model instances
    (building 100,000 model instances, each with its relations, would take most of a rebuild)."""
    ids = list(ids)
    products = list(
        Product.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "pk",
            "title",
            "title_en",
            "upc",
            "description",
            "description_en",
            "is_public",
            "parent_id",
            "rating",
            "date_created",
            "producer_id",
            "producer__district_id",
            "producer__district__name",
            "producer__commune",
            "producer__partner__name",
        )
    )
    by_pk = {facts["pk"]: facts | {"categories": [], "certificates": [], "records": []} for facts in products}
    for product_id, path, name in ProductCategory.objects.filter(product_id__in=ids).values_list(
        "product_id", "category__path", "category__name"
    ):
        by_pk[product_id]["categories"].append((path, name))
    for certificate in OcopCertificate.objects.filter(
        product_id__in=ids, status=OcopCertificate.Status.VERIFIED
    ).values("product_id", "pk", "stars", "decision_date", "valid_until"):
        by_pk[certificate["product_id"]]["certificates"].append(certificate)
    # The stock owner's rule: the first of a product's candidate records sells it.
    records = stock.selling_candidates().filter(product_id__in=ids)
    for record in records.values("product_id", "price", net=stock.net_stock()):
        by_pk[record["product_id"]]["records"].append(record)
    return list(by_pk.values())


def listing_certificate(certificates: list[dict], today: datetime.date) -> dict | None:
    """The current certificate (the latest verified one valid today), else the latest verified one, whose
    stored dates then say it is not valid today."""
    latest = lambda certificate: (certificate["decision_date"], certificate["pk"])  # noqa: E731
    valid = [c for c in certificates if c["decision_date"] <= today < c["valid_until"]]
    return max(valid or certificates, key=latest, default=None)


def searchable_parts(facts: dict, names: dict[str, str]) -> dict[str, str]:
    """The product's searchable text as written, by part: the one rule for what a search reads.

    Both the listing row (``document_fields``, folded here) and the Elasticsearch
    document (``search.documents``, folded by its analyzers) are built from it.
    ``facts`` has the keys of ``product_facts``; ``names`` maps a category path to its name.
    """
    category_names = []
    for path, name in facts["categories"]:
        # A product filed under a sub-group is found by its group's name too.
        for depth in range(1, len(path) // Category.steplen):
            if ancestor := names.get(path[: depth * Category.steplen]):
                category_names.append(ancestor)
        category_names.append(name)
    return {
        "title": facts["title"],
        "title_en": facts["title_en"] or "",
        "upc": facts["upc"] or "",
        "description": strip_tags(facts["description"] or ""),
        "description_en": strip_tags(facts["description_en"] or ""),
        "producer": facts["producer__partner__name"] or "",
        "district": facts["producer__district__name"] or "",
        "commune": facts["producer__commune"] or "",
        "categories": " ".join(category_names),
    }


def outlet_parts(outlet) -> dict[str, str]:
    """A sales point's searchable text as written, by part: what both backends search (the Elasticsearch
    document, and the database fallback folding it with ``search.text``). Its former district loaded."""
    from django.utils import translation

    with translation.override("vi"):  # the kind as shoppers name it, whatever the page's language
        kind = str(outlet.get_kind_display())
    return {
        "name": outlet.name,
        "kind": kind,
        "street": outlet.street,
        "commune": outlet.ward_name,
        "province": outlet.province_name,
        "district": outlet.former_district.name,
    }


def document_fields(facts: dict, names: dict[str, str]) -> dict[str, str]:
    """The listing row's folded title and text."""
    text = " ".join(part for part in searchable_parts(facts, names).values() if part)
    return {"title": index_words(facts["title"]), "text": index_words(text)}


def row_values(facts: dict, names: dict[str, str], today: datetime.date) -> dict:
    """The listing row of a product, from its ``product_facts``, as column values (no model instance: a
    rebuild writes 100,000 of them)."""
    certificate = listing_certificate(facts["certificates"], today)
    record = facts["records"][0] if facts["records"] else None
    path = min((path for path, _name in facts["categories"]), default="")
    return {
        "product_id": facts["pk"],
        **document_fields(facts, names),
        "is_listed": facts["is_public"] and facts["parent_id"] is None,
        "stars": certificate["stars"] if certificate else None,
        "valid_from": certificate["decision_date"] if certificate else None,
        "valid_until": certificate["valid_until"] if certificate else None,
        "price": record["price"] if record else None,
        "in_stock": bool(record) and record["net"] > 0,
        "category_path": path,
        "group_path": path[: Category.steplen],
        "district_id": facts["producer__district_id"],
        "producer_id": facts["producer_id"],
        "rating": facts["rating"],
        "date_created": facts["date_created"],
        "layout": ROW_LAYOUT,
    }


def row_for(facts: dict, names: dict[str, str], today: datetime.date) -> ProductSearchText:
    """The listing row of a product, from its ``product_facts``."""
    return ProductSearchText(**row_values(facts, names, today))


def category_names() -> dict[str, str]:
    return dict(Category.objects.values_list("path", "name"))


def index_product_ids(
    ids: Iterable[int], *, names: dict[str, str] | None = None, announce: bool = True, touch: bool = True
) -> int:
    """Writes (or rewrites) the rows of products ``ids``; returns how many were written.

    ``touch``: every row gets a new ``updated_at`` even when its columns did not change, since the
    product changed in a way its card may show (a slug, a capital letter, an option); the cached
    product cards (``search.cards``) are keyed by it. A rebuild passes False, so unchanged rows are
    not written."""
    facts = product_facts(ids)
    if not facts:
        return 0
    names = category_names() if names is None else names
    today = timezone.localdate()
    rows = [row_values(product, names, today) for product in facts]
    write_rows(rows, touch=touch)
    _written([row["product_id"] for row in rows], announce=announce)
    return len(rows)


def write_rows(rows: list[dict], *, touch: bool = True) -> None:
    """Upserts listing rows (``row_values``). On PostgreSQL the rows are streamed with COPY into a
    temporary table and merged with one INSERT ... ON CONFLICT that leaves unchanged rows alone (no index
    work for them); elsewhere Django's ``bulk_create`` upserts them."""
    if connection.vendor == "postgresql":
        _copy_upsert(rows, touch=touch)
        return
    ProductSearchText.objects.bulk_create(
        [ProductSearchText(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=ROW_FIELDS,
        batch_size=BATCH_SIZE,
    )


def _copy_upsert(rows: list[dict], *, touch: bool) -> None:
    table = ProductSearchText._meta.db_table
    columns = [ProductSearchText._meta.get_field(name).column for name in ROW_FIELDS]
    listed = ", ".join(["product_id", *columns])
    now = timezone.now()
    # ``updated_at`` is now: compared, it writes every row; left out, only rows whose columns changed.
    compared = columns if touch else [column for column in columns if column != "updated_at"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS search_row_stage (LIKE {table} INCLUDING DEFAULTS)")
        with cursor.cursor.copy(f"COPY search_row_stage ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row["product_id"], *(row.get(column, now) for column in columns)])
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM search_row_stage "
            f"ON CONFLICT (product_id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in columns)} "
            f"WHERE ({', '.join(f'{table}.{c}' for c in compared)}) "
            f"IS DISTINCT FROM ({', '.join(f'EXCLUDED.{c}' for c in compared)})"
        )
        cursor.execute("TRUNCATE search_row_stage")


def _written(ids: list[int], *, announce: bool = True) -> None:
    """The rows' prices just written from the stock records take the running campaigns' discounts;
    Elasticsearch follows through the outbox, in this same transaction (``search.outbox``); cached
    pages are retired once it commits."""
    campaign_prices(ids)
    if announce:
        outbox.enqueue(ids)
    cache.catalogue_changed()


def _selling(product_ids: set[int]) -> dict[int, dict]:
    """The selling record's price and free units of each of ``product_ids`` that has one (one query)."""
    selling = {}
    for record in (
        stock.selling_candidates()
        .filter(product_id__in=product_ids)
        .values("product_id", "price", net=stock.net_stock())
    ):
        selling.setdefault(record["product_id"], record)
    return selling


def stock_counts_changed(product_ids: Iterable[int]) -> None:
    """Stock counts changed by an allocation, a release, a shipment or a count (never a price): only the rows
    whose product ran out or came back are rewritten (``refresh_stock_columns``), and only they raise the
    listing version. A level going from 50 to 49 changes nothing a listing or a card shows (they say "in
    stock", not how many): it writes no row and raises the stock version alone, which only the product
    pages follow (they say how many are left). One query when nothing flips: the rows with their selling
    records' price and free units."""
    product_ids = set(product_ids)
    rows = (
        ProductSearchText.objects.filter(product_id__in=product_ids)
        .annotate(selling_price=stock.selling_price("product"), net=stock.selling_net_stock("product"))
        .values_list("product_id", "in_stock", "selling_price", "net")
    )
    shown, selling = {}, {}
    for pk, in_stock, price, net in rows:
        shown[pk] = in_stock
        if net is not None:  # the product has a selling record
            selling[pk] = {"price": price, "net": net}
    flipped = [pk for pk in product_ids if pk in shown and shown[pk] != (pk in selling and selling[pk]["net"] > 0)]
    if flipped:
        refresh_stock_columns(flipped, selling=selling)
    else:
        cache.stock_level_changed()


def refresh_stock_columns(product_ids: Iterable[int], *, selling: dict[int, dict] | None = None) -> None:
    """Only price and stock changed (a campaign, a sell-out): two queries instead of a row rebuild."""
    product_ids = set(product_ids)
    if selling is None:
        selling = _selling(product_ids)
    now = timezone.now()
    rows = [
        ProductSearchText(
            product_id=pk,
            price=selling[pk]["price"] if pk in selling else None,
            in_stock=pk in selling and selling[pk]["net"] > 0,
            updated_at=now,
        )
        for pk in sorted(product_ids)
    ]
    ProductSearchText.objects.bulk_update(rows, ["price", "in_stock", "updated_at"])
    _written(sorted(product_ids))


def touch_rows(product_ids: Iterable[int]) -> None:
    """Something a product card shows changed but no column of the row did (an image, an option): a new
    ``updated_at`` retires the cached cards (``search.cards``), and cached pages go once it commits. Nothing
    a listing counts or filters on changed: the listing version stays."""
    ProductSearchText.objects.filter(product_id__in=list(product_ids)).update(updated_at=timezone.now())
    cache.catalogue_changed(listings=False)


def progress_bar(done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    rate = done / max(time.perf_counter() - started, 1e-6)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} products  {rate:,.0f}/s ")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def rebuild_rows(ids: list[int], *, batch_size: int = BATCH_SIZE, progress=None) -> int:
    """Rewrites the rows of products ``ids`` in batches, one transaction each; ``progress(done, total, started)``."""
    names = category_names()
    started = time.perf_counter()
    total = 0
    for start in range(0, len(ids), batch_size):
        with transaction.atomic():
            total += index_product_ids(ids[start : start + batch_size], names=names, announce=False, touch=False)
        if progress:
            progress(total, len(ids), started)
    return total


def rebuild_index(*, batch_size: int = BATCH_SIZE, progress=None, rows_progress=None) -> int:
    """Rewrites every product's row and drops rows of deleted products; Elasticsearch, when it is the
    backend, gets a new index behind its alias (``search_index --rebuild``, ``progress(step)``)."""
    from search.backends import get_backend

    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    total = rebuild_rows(ids, batch_size=batch_size, progress=rows_progress)
    ProductSearchText.objects.exclude(product_id__in=Product.objects.values("pk")).delete()
    backend = get_backend()
    if hasattr(backend, "rebuild"):
        backend.rebuild(ids, batch_size=batch_size, progress=progress)
    return total


# --- Elasticsearch documents (search.documents) read products as model instances -------------------


def facts_of(product) -> dict:
    """A product instance (with its producer, district and categories loaded) as ``product_facts`` values,
    for ``searchable_parts``."""
    producer = product.producer
    district = producer.district if producer else None
    return {
        "title": product.title,
        "title_en": product.title_en,
        "upc": product.upc,
        "description": product.description,
        "description_en": product.description_en,
        "producer__partner__name": producer.name if producer else "",
        "producer__district__name": district.name if district else "",
        "producer__commune": producer.commune if producer else "",
        "categories": [(category.path, category.name) for category in product.categories.all()],
    }


def ancestor_names(products: Iterable) -> dict[str, str]:
    paths = set()
    for product in products:
        for category in product.categories.all():
            paths.update(category.path[: depth * Category.steplen] for depth in range(1, category.depth))
    if not paths:
        return {}
    return dict(Category.objects.filter(path__in=paths).values_list("path", "name"))


# --- campaign prices: the price column is what a buyer pays now ---------------------------------


class _Categories(list):
    def all(self):
        return self


class _Listed:
    """A listed product as ``RunningCampaigns.promotion_for`` reads it: its id and categories (a listed
    product is never a variant), from plain values."""

    parent_id = None

    def __init__(self, pk: int):
        self.pk = pk
        self.categories = _Categories()


def campaign_prices(product_ids: Iterable[int]) -> int:
    """Listed rows of ``product_ids`` whose product a running campaign discounts get the campaign price.

    Called right after their price was written from the stock record (the list price). The rule is
    the storefront's: ``cms.pricing.RunningCampaigns``, which the partner strategy asks for the price a
    product card shows. Without a running campaign: one query. Returns how many rows were repriced.
    """
    from cms.pricing import RunningCampaigns

    campaigns = RunningCampaigns()
    if not campaigns.offers:
        return 0
    rows = ProductSearchText.objects.filter(product_id__in=set(product_ids), price__isnull=False, is_listed=True)
    rows = {row.product_id: row for row in rows.only("product_id", "price")}
    products = {pk: _Listed(pk) for pk in rows}
    for product_id, path in ProductCategory.objects.filter(product_id__in=rows).values_list(
        "product_id", "category__path"
    ):
        products[product_id].categories.append(Category(path=path))
    repriced = []
    for product_id, row in rows.items():
        promotion = campaigns.promotion_for(products[product_id], row.price)
        if promotion:
            row.price = promotion.price
            row.updated_at = timezone.now()
            repriced.append(row)
    ProductSearchText.objects.bulk_update(repriced, ["price", "updated_at"], batch_size=BATCH_SIZE)
    return len(repriced)
