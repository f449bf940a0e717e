"""Test helpers for the catalogue: producer users, image and scan files.

Tests of the front doors (shop/portal, shop/order, e2e) use them too; a catalogue test never imports shop.
"""

import functools
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.tests.factories import ProducerFactory

User = get_user_model()

# A description a producer might type to run a script on the product page.
SCRIPT_PAYLOAD = "Ngon.<img src=x onerror=\"document.title='XSS-FIRED'\"><script>document.title='XSS-FIRED'</script>"


def make_user(email: str, **kwargs):
    return User.objects.create_user(username=email.split("@")[0], email=email, password="mat-khau-123", **kwargs)


def producer_user(email: str = "nongdan@example.vn", producer=None):
    """A user who works for ``producer`` (a new one if not given); returns (user, producer)."""
    producer = producer or ProducerFactory()
    user = make_user(email)
    producer.partner.users.add(user)
    return user, producer


def image_bytes(fmt: str = "JPEG", size=(40, 30), color=(200, 30, 30), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    options = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **options)
    return out.getvalue()


def upload(name: str = "anh.jpg", data: bytes | None = None, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else image_bytes(), content_type=content_type)


@functools.cache
def pdf_bytes() -> bytes:
    """A real one-page PDF (an A4 page, blank); the same bytes on every call."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bomb_png(width: int = 12_000, height: int = 12_000) -> bytes:
    """A tiny PNG that decodes to width*height pixels (144 megapixels by default)."""
    out = io.BytesIO()
    Image.new("1", (width, height), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _files_under(root) -> list[str]:
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def media_files(settings) -> list[str]:
    """Files under MEDIA_ROOT (public: the media URL serves them)."""
    return _files_under(settings.MEDIA_ROOT)


def private_files(settings) -> list[str]:
    """Files under PRIVATE_MEDIA_ROOT (scans: only access-checked views read them)."""
    return _files_under(settings.PRIVATE_MEDIA_ROOT)
