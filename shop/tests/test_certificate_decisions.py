"""A certificate decided from the moderation queue, the Django admin or Oscar's dashboard
leaves the same audit row and sends the producer the same e-mail (catalog.moderation.decide)."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from catalog.tests.factories import CertificateFactory, ProducerFactory, days_ago
from shop.dashboard.catalogue.tests.test_views import filed_product, page_as_post

pytestmark = pytest.mark.django_db

ModerationDecision = get_model("catalogue", "ModerationDecision")
OcopCertificate = get_model("catalogue", "OcopCertificate")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        username="kiemduyet", email="kiemduyet@socongthuong.quangnam.gov.vn", password="mat-khau-dai-123"
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def pending_certificate():
    """A producer's 4★ certificate waiting for staff, on a product filed under a group."""
    product = filed_product()
    product.producer = ProducerFactory(email="htx.traque@example.vn")
    product.save()
    product.certificates.all().delete()
    return CertificateFactory(
        product=product,
        status="pending",
        stars=4,
        score="80",
        decision_number="1234/QĐ-UBND",
        decision_date=days_ago(20),
        level="province",
    )


def decide_in_queue(client, certificate, decision, reason=""):
    return client.post(
        reverse("moderation:decide", args=["certificate", certificate.pk]), {"decision": decision, "reason": reason}
    )


def decide_in_admin(client, certificate, decision, reason=""):
    data = {
        "product": certificate.product_id,
        "stars": certificate.stars,
        "score": certificate.score,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date.isoformat(),
        "level": certificate.level,
        "kind": certificate.kind,
        "status": "verified" if decision == "approved" else "rejected",
        "rejection_reason": reason,
        "note": "",
    }
    return client.post(reverse("admin:catalogue_ocopcertificate_change", args=[certificate.pk]), data)


def decide_in_dashboard(client, certificate, decision, reason=""):
    url = reverse("dashboard:catalogue-product", kwargs={"pk": certificate.product_id})
    data = page_as_post(client.get(url))
    assert data["certificates-0-id"] == str(certificate.pk)
    data["certificates-0-status"] = "verified" if decision == "approved" else "rejected"
    data["certificates-0-rejection_reason"] = reason
    return client.post(url, data)


SCREENS = [decide_in_queue, decide_in_admin, decide_in_dashboard]


@pytest.mark.parametrize("decide", SCREENS, ids=["queue", "admin", "dashboard"])
def test_verifying_a_certificate_logs_it_and_tells_the_producer_whichever_screen(
    decide, staff, staff_client, pending_certificate, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = decide(staff_client, pending_certificate, "approved")

    assert response.status_code == 302
    certificate = OcopCertificate.objects.get(pk=pending_certificate.pk)
    assert certificate.status == "verified" and certificate.reviewed_by == staff
    decision = ModerationDecision.objects.get()
    assert (decision.subject, decision.object_id, decision.decision, decision.decided_by) == (
        "certificate",
        certificate.pk,
        "approved",
        staff,
    )
    assert decision.object_label == "OCOP 4★ 1234/QĐ-UBND"
    [message] = mail.outbox
    assert message.to == ["htx.traque@example.vn"]
    assert certificate.product.title in message.subject
    assert "1234/QĐ-UBND" in message.body


@pytest.mark.parametrize("decide", SCREENS, ids=["queue", "admin", "dashboard"])
def test_rejecting_a_certificate_needs_a_reason_and_sends_it_whichever_screen(
    decide, staff_client, pending_certificate, django_capture_on_commit_callbacks
):
    with translation.override("en"):
        decide(staff_client, pending_certificate, "rejected", reason="")
    assert OcopCertificate.objects.get(pk=pending_certificate.pk).status == "pending"
    assert not ModerationDecision.objects.exists()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        decide(staff_client, pending_certificate, "rejected", reason="Ảnh quét bị mờ")

    certificate = OcopCertificate.objects.get(pk=pending_certificate.pk)
    assert (certificate.status, certificate.rejection_reason) == ("rejected", "Ảnh quét bị mờ")
    decision = ModerationDecision.objects.get()
    assert (decision.decision, decision.reason) == ("rejected", "Ảnh quét bị mờ")
    [message] = mail.outbox
    assert "Ảnh quét bị mờ" in message.body


def test_a_certificate_staff_add_as_verified_in_the_admin_is_logged_too(staff_client, pending_certificate):
    product = pending_certificate.product
    data = {
        "product": product.pk,
        "stars": 3,
        "score": "60",
        "decision_number": "99/QĐ-UBND",
        "decision_date": days_ago(5).isoformat(),
        "level": "district",
        "kind": "new",
        "status": "verified",
        "note": "",
    }

    staff_client.post(reverse("admin:catalogue_ocopcertificate_add"), data)

    added = OcopCertificate.objects.get(decision_number="99/QĐ-UBND")
    assert added.status == "verified"
    assert ModerationDecision.objects.get().object_id == added.pk
