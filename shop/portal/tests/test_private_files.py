"""Certificate and application scans: stored outside MEDIA_ROOT, read only through the portal's checked views."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import storage
from catalog.tests.factories import CertificateFactory, DistrictFactory
from catalog.tests.helpers import (
    image_bytes,
    make_user,
    media_files,
    pdf_bytes,
    private_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OcopCertificate = get_model("catalogue", "OcopCertificate")
ProducerApplication = get_model("catalogue", "ProducerApplication")
ProductImage = get_model("catalogue", "ProductImage")


def submit_certificate(client, product, scan):
    response = client.post(
        reverse("portal:certificate_create", args=[product.pk]),
        {
            "stars": "4",
            "score": "78",
            "decision_number": "245/QĐ-UBND",
            "decision_date": "2024-05-02",
            "level": "province",
            "kind": "new",
            "scan_file": scan,
        },
    )
    assert response.status_code == 302
    return OcopCertificate.objects.filter(product=product).latest("pk")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_submitted_scan_is_stored_outside_media_root(client, settings, uncertified_seller):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("quyet-dinh.pdf", pdf_bytes(), "application/pdf"))
    assert private_files(settings) == [certificate.scan.name]
    assert media_files(settings) == []
    assert (settings.PRIVATE_MEDIA_ROOT / certificate.scan.name).read_bytes() == pdf_bytes()
    assert not str(settings.PRIVATE_MEDIA_ROOT).startswith(str(settings.MEDIA_ROOT))


def test_owner_opens_a_pdf_scan_inline_with_private_no_sniff_headers(client, uncertified_seller):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("quyet-dinh.pdf", pdf_bytes(), "application/pdf"))
    page = client.get(reverse("portal:product_edit", args=[product.pk])).content.decode()
    link = reverse("portal:certificate_scan", args=[certificate.pk])
    assert f'href="{link}"' in page

    response = client.get(link)
    assert response.status_code == 200
    assert body_of(response) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="ocop-certificate-{certificate.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert set(response["Cache-Control"].replace(" ", "").split(",")) >= {"private", "no-store"}


def test_a_picture_scan_is_served_as_the_picture_it_is(client, uncertified_seller):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("anh-quyet-dinh.png", image_bytes("PNG"), "image/png"))
    response = client.get(reverse("portal:certificate_scan", args=[certificate.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")


def test_a_certificate_without_a_scan_or_whose_file_is_gone_is_a_404(client, settings, uncertified_seller):
    _user, product = uncertified_seller
    without = CertificateFactory(product=product, decision_number="1/QĐ")
    assert client.get(reverse("portal:certificate_scan", args=[without.pk])).status_code == 404
    without.delete()
    gone = submit_certificate(client, product, upload("qd.pdf", pdf_bytes(), "application/pdf"))
    (settings.PRIVATE_MEDIA_ROOT / gone.scan.name).unlink()
    assert client.get(reverse("portal:certificate_scan", args=[gone.pk])).status_code == 404


@pytest.mark.urls("shop.portal.tests.urls_serving_media")
def test_the_media_url_does_not_serve_a_scan(client, settings, uncertified_seller):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("qd.pdf", pdf_bytes(), "application/pdf"))
    image = ProductImage.objects.create(product=product, original=ContentFile(image_bytes(), name="anh.jpg"))
    client.logout()
    # The media URL works (a product image is served) ...
    assert client.get(f"{settings.MEDIA_URL}{image.original.name}").status_code == 200
    # ... but the scan is not under it, by its name or by climbing out of MEDIA_ROOT.
    assert client.get(f"{settings.MEDIA_URL}{certificate.scan.name}").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}../private-media/{certificate.scan.name}").status_code in (400, 404)
    assert not certificate.scan.url.startswith(settings.MEDIA_URL)


def pending_application() -> ProducerApplication:
    application = ProducerApplication(
        producer_name="HTX Trà Sâm",
        kind="cooperative",
        registration_number="4000123456",
        district=DistrictFactory(),
        commune="Xã Trà Linh",
        contact_name="Hồ Văn Sâm",
        phone="0905123456",
        email="htx@example.vn",
    )
    application.certificate_scan.save("giay.pdf", ContentFile(pdf_bytes()), save=False)
    application.save()
    return application


def test_staff_open_application_and_certificate_scans_from_the_queue(client, uncertified_seller):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("qd.pdf", pdf_bytes(), "application/pdf"))
    application = pending_application()
    client.force_login(make_user("kiemduyet@so.vn", is_staff=True))
    page = client.get(reverse("moderation:queue")).content.decode()
    for scan, download_name in (
        (application.certificate_scan, f"application-{application.pk}.pdf"),
        (certificate.scan, f"ocop-certificate-{certificate.pk}.pdf"),
    ):
        assert f'href="{scan.url}"' in page
        response = client.get(scan.url)
        assert response.status_code == 200 and body_of(response) == pdf_bytes()
        assert download_name in response["Content-Disposition"]
        assert "private" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"


def test_application_scans_are_not_for_producers_or_customers(client, uncertified_seller):
    application = pending_application()
    url = application.certificate_scan.url
    for user in (uncertified_seller[0], make_user("khach@example.vn")):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("customer:login"))


@pytest.mark.parametrize(
    "name", ["certificates/2025/01/not-a-scan.pdf", "../media/anh.jpg", "../../etc/passwd", "stray.pdf"]
)
def test_staff_file_view_serves_only_names_a_scan_holds(client, settings, name):
    storage.private_storage().save("stray.pdf", ContentFile(pdf_bytes()))  # on disk, but no record holds it
    client.force_login(make_user("kiemduyet@so.vn", is_staff=True))
    assert client.get(reverse("moderation:private_file", kwargs={"name": name})).status_code == 404


def test_deleting_a_certificate_or_an_application_deletes_its_scan(
    client, settings, uncertified_seller, django_capture_on_commit_callbacks
):
    _user, product = uncertified_seller
    certificate = submit_certificate(client, product, upload("qd.pdf", pdf_bytes(), "application/pdf"))
    application = pending_application()
    assert len(private_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        certificate.delete()
    assert private_files(settings) == [application.certificate_scan.name]
    with django_capture_on_commit_callbacks(execute=True):
        application.delete()
    assert private_files(settings) == []
