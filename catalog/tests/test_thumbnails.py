"""The thumbnail queue (catalog/thumbnails.py): the worker makes what uploads queued, and survives bad files."""

import pytest
from django.core.files.storage import default_storage
from oscar.core.loading import get_model

from catalog import images, thumbnails
from catalog.tests.helpers import image_bytes, media_files, upload

pytestmark = pytest.mark.django_db

ThumbnailJob = get_model("catalogue", "ThumbnailJob")


def test_the_worker_makes_every_shop_size_and_empties_the_queue(settings):
    name = default_storage.save("images/products/anh.jpg", upload("anh.jpg", image_bytes(size=(900, 700))))
    thumbnails.enqueue([name, name])  # queued twice: made once

    result = thumbnails.drain()

    assert (result.made, result.failed, result.pending) == (1, 0, 0)
    assert len([f for f in media_files(settings) if f.startswith("cache/")]) == len(images.SHOP_THUMBNAILS)


def test_an_image_removed_before_its_turn_is_dropped_from_the_queue():
    thumbnails.enqueue(["images/products/da-xoa.jpg"])

    assert thumbnails.drain().made == 0
    assert not ThumbnailJob.objects.exists()


def test_an_unreadable_file_is_retried_a_few_times_then_left_for_staff_to_look_at(settings):
    name = default_storage.save("images/products/hong.jpg", upload("hong.jpg", b"not an image"))
    thumbnails.enqueue([name])

    for _attempt in range(thumbnails.MAX_ATTEMPTS + 1):
        thumbnails.drain()

    job = ThumbnailJob.objects.get()
    assert job.attempts == thumbnails.MAX_ATTEMPTS and job.last_error
    assert thumbnails.drain().pending == 0
