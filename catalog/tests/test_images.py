import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from catalog import images
from catalog.tests.helpers import bomb_png, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted_and_get_a_random_name(fmt):
    cleaned = images.clean_product_image(upload("../../etc/x.jpg", image_bytes(fmt)))
    assert "/" not in cleaned.name and ".." not in cleaned.name
    assert Image.open(io.BytesIO(cleaned.read())).format == fmt


def test_a_text_file_renamed_jpg_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        images.clean_product_image(upload("anh.jpg", b"this is not an image at all"))
    assert "is not a JPEG, PNG or WebP image" in error.value.messages[0]
    assert "anh.jpg" in error.value.messages[0]


def test_a_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP"):
        images.clean_product_image(upload("anh.png", out.getvalue()))


def test_a_decompression_bomb_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        images.clean_product_image(upload("bom.png", bomb_png()))
    assert "decompression bomb" in error.value.messages[0]


def test_a_picture_just_over_25_megapixels_is_refused():
    with pytest.raises(ValidationError, match="25 million pixels"):
        images.clean_product_image(upload("lon.png", bomb_png(5001, 5000)))


def test_a_file_over_10_mb_is_refused_before_being_decoded():
    big = upload("lon.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="limit is 10"):
        images.clean_product_image(big)


def test_exif_data_is_stripped():
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # Make
    exif[0x8298] = "GPS ở nhà tôi"  # Copyright
    cleaned = images.clean_product_image(upload("exif.jpg", image_bytes("JPEG", exif=exif.tobytes())))
    assert not Image.open(io.BytesIO(cleaned.read())).getexif()


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(200, 200))
    with pytest.raises(ValidationError, match="not a JPEG, PNG or WebP"):
        images.clean_product_image(upload("cut.jpg", data[:200]))


def test_a_pdf_header_with_padding_and_an_end_marker_is_refused_as_a_scan():
    fake = b"%PDF-1.7\n" + b"\0" * (9 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError, match="not a complete PDF file"):
        images.clean_scan(upload("giay-chung-nhan.pdf", fake, "application/pdf"))


def test_a_pdf_without_pages_is_refused_as_a_scan():
    with pytest.raises(ValidationError, match="not a complete PDF file"):
        images.clean_scan(upload("rong.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))


def test_scan_accepts_pdf_and_refuses_a_webp():
    assert images.clean_scan(upload("qd.pdf", pdf_bytes(), "application/pdf")).name.endswith(".pdf")
    with pytest.raises(ValidationError, match="not a PDF, JPEG or PNG"):
        images.clean_scan(upload("qd.pdf", image_bytes("WEBP")))
