"""A producer submits an OCOP certificate: pending, no badge, until staff verify it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import moderation
from catalog.tests.factories import days_ago
from catalog.tests.helpers import image_bytes, make_user, media_files, pdf_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

OcopCertificate = get_model("catalogue", "OcopCertificate")


def certificate_post(**overrides):
    data = {
        "stars": "4",
        "score": "78",
        "decision_number": "245/QĐ-UBND",
        "decision_date": days_ago(20).isoformat(),
        "level": "province",
        "kind": "renewal",
        "scan_file": upload("qd.pdf", pdf_bytes(), "application/pdf"),
    }
    data.update(overrides)
    return data


def test_submitted_certificate_is_pending_without_badge_until_verified(client, uncertified_seller):
    user, product = uncertified_seller
    response = client.post(reverse("portal:certificate_create", args=[product.pk]), certificate_post())
    assert response.status_code == 302
    certificate = OcopCertificate.objects.get(product=product)
    assert certificate.status == "pending" and certificate.submitted_by == user
    assert certificate.scan.name.startswith("certificates/") and "qd" not in certificate.scan.name
    fresh = type(product).objects.get(pk=product.pk)
    assert fresh.ocop_stars is None
    page = client.get(reverse("portal:product_edit", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pending verification" in page
    moderation.decide(
        subject="certificate", decision="approved", target=certificate, by=make_user("s@so.vn", is_staff=True)
    )
    assert type(product).objects.get(pk=product.pk).ocop_stars == 4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"score": "95"}, "score"),
        ({"stars": "5", "score": "95", "level": "district"}, "level"),
        (
            {"decision_date": (timezone.localdate().replace(year=timezone.localdate().year + 1)).isoformat()},
            "decision_date",
        ),
        ({"scan_file": upload("qd.pdf", image_bytes("WEBP"))}, "scan_file"),
    ],
)
def test_certificate_form_gives_per_field_messages_and_writes_nothing(
    client, uncertified_seller, settings, overrides, field
):
    _user, product = uncertified_seller
    response = client.post(reverse("portal:certificate_create", args=[product.pk]), certificate_post(**overrides))
    assert f'data-field-error="{field}"' in response.content.decode()
    assert not OcopCertificate.objects.filter(product=product).exists()
    assert media_files(settings) == []


def test_a_producer_cannot_mark_its_own_certificate_verified(client, uncertified_seller):
    _user, product = uncertified_seller
    client.post(reverse("portal:certificate_create", args=[product.pk]), certificate_post(status="verified"))
    assert OcopCertificate.objects.get(product=product).status == "pending"


def test_a_decision_number_already_used_for_the_product_is_refused_on_its_field(client, uncertified_seller):
    _user, product = uncertified_seller
    client.post(reverse("portal:certificate_create", args=[product.pk]), certificate_post())
    response = client.post(reverse("portal:certificate_create", args=[product.pk]), certificate_post())
    assert 'data-field-error="decision_number"' in response.content.decode()
    assert OcopCertificate.objects.filter(product=product).count() == 1


def test_a_rejected_decision_number_can_be_submitted_again_but_not_a_third_time(client, uncertified_seller):
    _user, product = uncertified_seller
    staff = make_user("s@so.vn", is_staff=True)
    url = reverse("portal:certificate_create", args=[product.pk])
    client.post(url, certificate_post(decision_number="99/QĐ-UBND"))
    first = OcopCertificate.objects.get(product=product)
    moderation.decide(subject="certificate", decision="rejected", target=first, by=staff, reason="Ảnh quét bị mờ.")

    response = client.post(url, certificate_post(decision_number="99/QĐ-UBND"))

    assert response.status_code == 302
    resubmitted = OcopCertificate.objects.exclude(pk=first.pk).get(product=product)
    assert (resubmitted.decision_number, resubmitted.status) == ("99/QĐ-UBND", "pending")
    # Pending, then verified: the number is taken again.
    response = client.post(url, certificate_post(decision_number="99/QĐ-UBND"))
    assert 'data-field-error="decision_number"' in response.content.decode()
    moderation.decide(subject="certificate", decision="approved", target=resubmitted, by=staff)
    response = client.post(url, certificate_post(decision_number="99/QĐ-UBND"))
    assert 'data-field-error="decision_number"' in response.content.decode()
    assert list(OcopCertificate.objects.filter(product=product).order_by("pk").values_list("status", flat=True)) == [
        "rejected",
        "verified",
    ]
