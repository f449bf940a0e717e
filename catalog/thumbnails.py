"""Thumbnails are made outside the upload request: a queue table and the ``make_thumbnails`` worker.

Decoding a large picture and writing its four shop sizes (``catalog.images.SHOP_THUMBNAILS``)
took seconds per image; an upload request only queues the image's name, in the same
transaction that saves it. The worker (docker-compose's ``thumbnails`` service) makes them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connection, transaction

from catalog.images import make_thumbnails
from catalog.models import ThumbnailJob

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a file Pillow cannot read fails every time: stop after a few tries, keep the row to look at


def enqueue(names: Iterable[str]) -> None:
    ThumbnailJob.objects.bulk_create([ThumbnailJob(name=name) for name in names if name], ignore_conflicts=True)


@dataclass
class Result:
    made: int = 0
    failed: int = 0
    pending: int = 0


def drain(*, batch_size: int = 20) -> Result:
    """Make the thumbnails of up to ``batch_size`` queued images; each done job is deleted."""
    result = Result()
    with transaction.atomic():
        jobs = ThumbnailJob.objects.filter(attempts__lt=MAX_ATTEMPTS).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            jobs = jobs.select_for_update(skip_locked=True)  # two workers never take the same job
        for job in jobs[:batch_size]:
            if not default_storage.exists(job.name):  # the image was removed before its turn
                job.delete()
                continue
            try:
                if not all(thumbnail.exists() for thumbnail in make_thumbnails(job.name)):
                    raise ValueError("the image could not be read")  # sorl logs why, and returns no file
            except Exception as error:  # noqa: BLE001  (a bad file must not stop the queue)
                logger.warning("Thumbnails of %s failed: %s", job.name, error)
                job.attempts += 1
                job.last_error = str(error)[:1000]
                job.save(update_fields=["attempts", "last_error"])
                result.failed += 1
            else:
                job.delete()
                result.made += 1
    result.pending = ThumbnailJob.objects.filter(attempts__lt=MAX_ATTEMPTS).count()
    return result
