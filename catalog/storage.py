"""Private files: certificate scans and producer applications' scans.

They are business documents, so they live outside MEDIA_ROOT, in
``settings.PRIVATE_MEDIA_ROOT``, which no static or media URL serves. They are
read only through views that check who asks (``shop.portal.views``): the
owning producer's users in the portal, marketplace staff in the moderation
queue.

Fields use ``storage=private_storage`` (the function, not an instance), so a
migration records a reference to it rather than a path of the machine that
wrote the migration.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage rooted at PRIVATE_MEDIA_ROOT (read from settings on each use, so tests can move it)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        """The staff-only download view: anything that shows ``field.url`` (the admin) links to a checked view."""
        return reverse("moderation:private_file", kwargs={"name": name})


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _private_storage


# Scans are PDFs (kept as sent) or JPEG/PNG pictures (re-encoded by catalog.images).
INLINE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


def content_type_of(name: str) -> tuple[str, bool]:
    """(content type, shown inline?) for a stored scan; anything unexpected is a download of opaque bytes."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in INLINE_TYPES:
        return INLINE_TYPES[suffix], True
    return "application/octet-stream", False


def delete_private_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: private_storage().delete(name))
