import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog import ocop
from catalog.tests.factories import CertificateFactory, ProductFactory, days_ago

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stars", "score", "ok"),
    [
        (3, "50", True),
        (3, "69.9", True),
        (3, "49.9", False),
        (3, "70", False),
        (4, "70", True),
        (4, "89.99", True),
        (4, "90", False),
        (4, "69", False),
        (5, "90", True),
        (5, "100", True),
        (5, "89", False),
    ],
)
def test_score_must_sit_inside_the_stars_band(stars, score, ok):
    certificate = CertificateFactory.build(product=ProductFactory(), stars=stars, score=Decimal(score), level="central")
    if ok:
        certificate.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            certificate.full_clean()
        assert "score" in error.value.message_dict


def test_score_outside_band_is_refused_by_the_database_too():
    certificate = CertificateFactory()
    certificate.score = Decimal("95")
    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.save()


def test_decision_date_in_the_future_is_refused():
    certificate = CertificateFactory.build(product=ProductFactory(), decision_date=days_ago(-1))
    with pytest.raises(ValidationError) as error:
        certificate.full_clean()
    assert "decision_date" in error.value.message_dict


def test_five_stars_are_certified_only_centrally():
    certificate = CertificateFactory.build(product=ProductFactory(), stars=5, score=Decimal("95"), level="province")
    with pytest.raises(ValidationError) as error:
        certificate.full_clean()
    assert "level" in error.value.message_dict


def test_duplicate_decision_number_for_the_same_product_is_refused():
    first = CertificateFactory(decision_number="12/QĐ-UBND")
    duplicate = CertificateFactory.build(product=first.product, decision_number="12/QĐ-UBND")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    # another product may carry the same decision (one decision certifies many products)
    CertificateFactory.build(product=ProductFactory(), decision_number="12/QĐ-UBND").full_clean()


def test_a_rejected_certificate_leaves_its_decision_number_free_in_the_database():
    rejected = CertificateFactory(decision_number="99/QĐ-UBND", status="rejected")
    again = CertificateFactory(product=rejected.product, decision_number="99/QĐ-UBND", status="pending")
    assert again.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(product=rejected.product, decision_number="99/QĐ-UBND", status="verified")


def test_certificate_lapses_36_months_after_the_decision_on_the_exact_day():
    certificate = CertificateFactory(decision_date=datetime.date(2022, 3, 15))
    assert certificate.valid_until == datetime.date(2025, 3, 15)
    assert certificate.is_valid_on(datetime.date(2025, 3, 14))
    assert not certificate.is_valid_on(datetime.date(2025, 3, 15))


def test_expiry_of_a_29_february_decision_falls_on_28_february():
    assert ocop.certificate_expiry(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)


def test_renewal_becomes_current_and_history_is_kept():
    product = ProductFactory()
    old = CertificateFactory(product=product, stars=3, score=Decimal("65"), decision_date=days_ago(37 * 30))
    assert product.current_certificate is None
    assert product.certificate_lapsed
    renewal = CertificateFactory(
        product=product, stars=4, score=Decimal("78"), kind="renewal", decision_date=days_ago(10)
    )
    product = type(product).objects.get(pk=product.pk)
    assert product.current_certificate == renewal
    assert product.ocop_stars == 4
    assert list(product.certificates.all()) == [renewal, old]


def test_pending_certificate_gives_no_badge():
    product = ProductFactory()
    CertificateFactory(product=product, status="pending")
    assert product.current_certificate is None
    assert not product.certificate_lapsed


def test_product_slugs_keep_the_d_of_dong():
    product = ProductFactory(title="Bánh tráng Đại Lộc")
    assert product.slug == "banh-trang-dai-loc"


def nfd(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", text)


def test_every_text_field_of_the_catalogue_is_stored_in_nfc():
    """One mechanism (NfcTextMixin.save) for every model: no form or service needs to normalise."""
    from oscar.core.loading import get_model

    from catalog.tests.factories import ProducerFactory

    producer = ProducerFactory(commune=nfd("Xã Trà Giác"), address=nfd(" Thôn 1 "), story=nfd("Câu chuyện"))
    product = ProductFactory(producer=producer, title=nfd("Sâm Ngọc Linh"), title_en=nfd("Ngọc Linh ginseng"))
    certificate = CertificateFactory(product=product, decision_number=nfd("1234/QĐ-UBND"), note=nfd("Ghi chú"))
    category = get_model("catalogue", "Category").add_root(name=nfd("Thủ công"), name_en=nfd("Crafts ở đây"))
    image = product.images.create(original="products/a.jpg", caption=nfd("Ảnh gói"))

    producer.refresh_from_db()
    product.refresh_from_db()
    certificate.refresh_from_db()
    category.refresh_from_db()
    image.refresh_from_db()
    assert (producer.commune, producer.address, producer.story) == ("Xã Trà Giác", "Thôn 1", "Câu chuyện")
    assert (product.title, product.title_en) == ("Sâm Ngọc Linh", "Ngọc Linh ginseng")
    assert (certificate.decision_number, certificate.note) == ("1234/QĐ-UBND", "Ghi chú")
    assert (category.name, category.name_en) == ("Thủ công", "Crafts ở đây")
    assert image.caption == "Ảnh gói"
