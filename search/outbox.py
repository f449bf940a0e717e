"""The search outbox: product changes recorded with the change, sent to Elasticsearch by a worker.

``enqueue`` runs inside the transaction that changed a product, its price, stock
or certificate (the receivers call it), so the change and the note that the
index must follow commit or roll back together. ``drain`` (``manage.py
search_sync``) sends the noted products in bulk and keeps what failed for a
later attempt; nothing in a shopper's or producer's request waits for
Elasticsearch.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from search.models import SearchOutbox

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300


def enabled() -> bool:
    """Only the Elasticsearch backend reads the outbox; the database backend's rows are written at once."""
    return settings.SEARCH_BACKEND == "elasticsearch"


def enqueue(product_ids, *, kind: str = SearchOutbox.Kind.PRODUCT) -> None:
    if not enabled():
        return
    rows = [SearchOutbox(kind=kind, product_id=pk) for pk in {int(pk) for pk in product_ids if pk is not None}]
    SearchOutbox.objects.bulk_create(rows)


def enqueue_outlets(outlet_ids) -> None:
    """Sales points whose document (name, address, place, open or closed) must be sent again."""
    enqueue(outlet_ids, kind=SearchOutbox.Kind.OUTLET)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))


@dataclass
class DrainResult:
    sent: int = 0  # products (and sales points) whose document was written or removed
    failed: int = 0  # those kept for another attempt
    pending: int = 0  # rows still waiting (failed ones included)


def drain(backend, *, batch_size: int = 500, max_batches: int | None = None) -> DrainResult:
    """Sends due outbox rows in batches until none is due (or ``max_batches``); failures wait and retry."""
    result = DrainResult()
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        now = timezone.now()
        with transaction.atomic():
            rows = list(
                SearchOutbox.objects.select_for_update(skip_locked=True)
                .filter(available_at__lte=now)
                .order_by("id")[:batch_size]
            )
            if not rows:
                break
            writers = {SearchOutbox.Kind.PRODUCT: backend.write, SearchOutbox.Kind.OUTLET: backend.write_outlets}
            ids = {(row.kind, row.product_id) for row in rows}
            failed, error = set(), "Elasticsearch refused the document"
            for kind, write in writers.items():
                kind_ids = {pk for row_kind, pk in ids if row_kind == kind}
                if not kind_ids:
                    continue
                try:
                    failed |= {(kind, pk) for pk in write(kind_ids)}
                except Exception as exc:  # noqa: BLE001  (any failure: keep the rows, try later)
                    failed |= {(kind, pk) for pk in kind_ids}
                    error = f"{type(exc).__name__}: {exc}"[:1000]
                    logger.warning("search_sync: %d %ss not sent, will retry: %s", len(kind_ids), kind, error)
            sent_rows = [row.pk for row in rows if (row.kind, row.product_id) not in failed]
            SearchOutbox.objects.filter(pk__in=sent_rows).delete()
            retried = [row for row in rows if (row.kind, row.product_id) in failed]
            for row in retried:
                row.attempts += 1
                row.available_at = now + backoff(row.attempts)
                row.last_error = error
            SearchOutbox.objects.bulk_update(retried, ["attempts", "available_at", "last_error"])
        result.sent += len(ids) - len(failed)
        result.failed += len(failed)
        if failed:
            break  # the server is refusing: wait for the next run instead of spinning
    result.pending = SearchOutbox.objects.count()
    return result


def enqueue_certificate_boundaries(since: datetime.date, until: datetime.date) -> int:
    """Products whose certificate started or ended after ``since`` up to ``until``: their stars may change.

    A lapse alone needs no new document (the search compares dates), but a renewal that
    takes over from an older certificate changes the stars shown and filtered on.
    """
    from django.db.models import Q
    from oscar.core.loading import get_model

    OcopCertificate = get_model("catalogue", "OcopCertificate")
    ids = set(
        OcopCertificate.objects.filter(
            Q(decision_date__gt=since, decision_date__lte=until) | Q(valid_until__gt=since, valid_until__lte=until)
        ).values_list("product_id", flat=True)
    )
    enqueue(ids)
    return len(ids)


def reprice_campaign_boundaries(since: datetime.datetime, until: datetime.datetime) -> int:
    """Reprices the products of the campaign offers that started or ended after ``since`` up to ``until``:
    their listing rows now, their Elasticsearch documents through the outbox.

    A campaign's window opening or closing by time alone writes no row, so no receiver
    hears it; the worker asks this on every run (``manage.py search_sync``, on either
    backend), and the prices it then writes are what a buyer pays from that moment.
    """
    from django.db.models import Q
    from oscar.core.loading import get_model

    from cms.pricing import covered_product_ids

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    offers = ConditionalOffer.objects.filter(
        Q(start_datetime__gt=since, start_datetime__lte=until) | Q(end_datetime__gt=since, end_datetime__lte=until),
        offer_type=ConditionalOffer.SITE,
    ).select_related("benefit__range")
    from search import indexing

    ids = set()
    for offer in offers:
        ids |= covered_product_ids(offer.benefit.range)
    if ids:
        indexing.refresh_stock_columns(ids)  # the rows' price, and the outbox
    return len(ids)
