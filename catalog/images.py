"""Checks for files producers upload: product images and certificate scans.

An upload is judged by its bytes, never its name: Pillow must recognise a JPEG,
PNG or WebP; a PDF scan must parse as a PDF with at least one page (pypdf). Images are decoded
and re-encoded, which drops EXIF (GPS position, camera serial) and anything
hidden after the image data. The result gets a random file name, so the
uploaded name (``../../x.jpg``) never reaches the disk.

Validation happens in memory (or Django's temporary upload file) before any
model is saved: a refused file leaves nothing in MEDIA_ROOT.

Thumbnails of an accepted image are made once it is saved (``make_thumbnails``),
so the first visitor of a product page does not wait for a large picture to be
decoded.
"""

import io
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from oscar.core.thumbnails import get_thumbnailer
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 25_000_000
MAX_STORED_SIDE = 2560  # longest side of a stored product image or scan, in pixels
MAX_IMAGES_PER_UPLOAD = 10  # files in one request: each is decoded and re-encoded in it
MAX_IMAGES_PER_PRODUCT = 12
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SCAN_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png"}

# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; we refuse at
# the warning too (see _open), so the limit is ours: 25 megapixels.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _read(upload, *, label: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": label, "size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.") % {"name": label, "limit": filesizeformat(MAX_UPLOAD_BYTES)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("%(name)s is empty.") % {"name": label}, code="empty")
    return data


def _bomb_error(label: str) -> ValidationError:
    return ValidationError(
        _(
            "%(name)s is refused: it would expand to more than %(limit)s million pixels "
            "(a decompression bomb or an oversized picture)."
        )
        % {"name": label, "limit": MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _open(data: bytes, *, label: str, formats: dict[str, str]) -> Image.Image:
    """Open and fully check an image; raise a ValidationError naming the file."""
    not_image = ValidationError(
        _("%(name)s is not a JPEG, PNG or WebP image (whatever its name says).") % {"name": label}
        if formats is IMAGE_FORMATS
        else _("%(name)s is not a PDF, JPEG or PNG file (whatever its name says).") % {"name": label},
        code="not_an_image",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data))
            if probe.format not in formats:
                raise not_image
            if probe.width * probe.height > MAX_PIXELS:
                raise _bomb_error(label)
            probe.verify()
            # verify() leaves the image unusable: decode a fresh copy. A large JPEG is decoded at a
            # reduced scale straight away (draft), which is several times faster than decoding it whole.
            image = Image.open(io.BytesIO(data))
            if image.format == "JPEG":
                image.draft("RGB", (MAX_STORED_SIDE, MAX_STORED_SIDE))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _bomb_error(label) from None
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise not_image from None
    return image


def _reencode(image: Image.Image, fmt: str) -> bytes:
    image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
    # The shop never shows a picture wider than a phone screen's zoom: keeping 25 megapixels
    # only slows this request and every thumbnail made from it.
    image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE), Image.Resampling.LANCZOS)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if fmt in ("PNG", "WEBP") and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "WEBP": {"quality": 88}, "PNG": {"optimize": True}}[fmt]
    # No exif= / pnginfo= is passed: the new file carries no metadata.
    image.save(out, format=fmt, **options)
    return out.getvalue()


def clean_product_image(upload) -> ContentFile:
    """A safe copy of an uploaded product image, or a ValidationError with a clear message."""
    label = _("The file “%(name)s”") % {"name": getattr(upload, "name", "") or "?"}
    data = _read(upload, label=label)
    image = _open(data, label=label, formats=IMAGE_FORMATS)
    fmt = image.format
    return ContentFile(_reencode(image, fmt), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[fmt]}")


def _is_readable_pdf(data: bytes) -> bool:
    """A header, padding and ``%%EOF`` is not a scan: the file must parse and hold a page."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False


def clean_scan(upload) -> ContentFile:
    """A certificate scan: a PDF (kept as is), or a JPEG/PNG (re-encoded without EXIF)."""
    label = _("The file “%(name)s”") % {"name": getattr(upload, "name", "") or "?"}
    data = _read(upload, label=label)
    if data.startswith(b"%PDF-"):
        if not _is_readable_pdf(data):
            raise ValidationError(_("%(name)s is not a complete PDF file.") % {"name": label}, code="bad_pdf")
        return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf")
    image = _open(data, label=label, formats=SCAN_IMAGE_FORMATS)
    fmt = image.format
    return ContentFile(_reencode(image, fmt), name=f"{uuid.uuid4().hex}.{SCAN_IMAGE_FORMATS[fmt]}")


# The sizes the shop shows a product image at, with the options of Oscar's templates, so the
# templates find these thumbnails (sorl keys them by size and options) instead of making new ones.
SHOP_THUMBNAILS = (
    ("400x400", {"crop": "center", "upscale": False}),  # product card (oscar/catalogue/partials/product.html)
    ("800x800", {"upscale": False}),  # product page gallery (storefront/partials/gallery.html)
    ("120x120", {"crop": "center", "upscale": False}),  # the gallery's small pictures
    ("100x100", {"upscale": False}),  # basket
)


def make_thumbnails(field_file) -> list:
    """Make the shop's thumbnails of a saved image; returns them (sorl ImageFiles)."""
    thumbnailer = get_thumbnailer()
    return [thumbnailer.generate_thumbnail(field_file, size=size, **options) for size, options in SHOP_THUMBNAILS]
