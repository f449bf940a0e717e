"""Becoming a seller: the public application form, then the staff decision."""

import html
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import moderation
from catalog.tests.factories import DistrictFactory
from catalog.tests.helpers import make_user, media_files, pdf_bytes, private_files, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ModerationDecision = get_model("catalogue", "ModerationDecision")
Producer = get_model("catalogue", "Producer")
ProducerApplication = get_model("catalogue", "ProducerApplication")


def application_post(**overrides):
    data = {
        "producer_name": "HTX Nông nghiệp Trà Sâm",
        "kind": "cooperative",
        "registration_number": "4000 123 456",
        "district": DistrictFactory(name="Nam Trà My").pk,
        "commune": "Xã Trà Linh",
        "address": "Thôn 1",
        "contact_name": "Hồ Văn Sâm",
        "phone": "0905 123 456",
        "email": "htx.trasam@example.vn",
        "certificate_scan": upload("giay-chung-nhan.pdf", pdf_bytes(), "application/pdf"),
    }
    data.update(overrides)
    return data


def test_public_application_is_stored_pending_with_a_random_private_scan_name(client, settings):
    response = client.post(reverse("portal:apply"), application_post())
    assert response.status_code == 302
    application = ProducerApplication.objects.get()
    assert application.status == "pending"
    assert application.phone == "0905123456"
    assert application.registration_number == "4000123456"
    assert "giay-chung-nhan" not in application.certificate_scan.name
    assert private_files(settings) == [application.certificate_scan.name]
    assert media_files(settings) == []  # nothing under MEDIA_ROOT, which the media URL serves


@pytest.mark.parametrize("phone", ["12345", "0105123456", "+1 202 555 0100"])
def test_application_refuses_a_phone_that_is_not_vietnamese(client, phone, settings):
    response = client.post(reverse("portal:apply"), application_post(phone=phone), HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-field-error="phone"' in response.content.decode()
    assert not ProducerApplication.objects.exists()
    assert media_files(settings) == []


@pytest.mark.parametrize("phone", ["+84 905 123 456", "0235.3812.345", "0987654321"])
def test_application_accepts_vietnamese_mobile_and_landline_numbers(client, phone):
    client.post(reverse("portal:apply"), application_post(phone=phone))
    assert ProducerApplication.objects.get().phone.startswith("0")


def test_approval_creates_producer_and_first_user_who_sets_a_password(client, django_capture_on_commit_callbacks):
    client.post(reverse("portal:apply"), application_post())
    staff = make_user("staff@so.vn", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        producer = moderation.decide(
            subject="application", decision="approved", target=ProducerApplication.objects.get(), by=staff
        )
    assert producer.name == "HTX Nông nghiệp Trà Sâm" and producer.district.name == "Nam Trà My"
    user = producer.partner.users.get()
    assert user.email == "htx.trasam@example.vn" and not user.has_usable_password()
    assert not user.has_perm("partner.dashboard_access")
    assert ModerationDecision.objects.get().subject == "application"

    link = re.search(r"https?://\S+/password-reset/confirm/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    set_url = response.redirect_chain[-1][0]
    client.post(set_url, {"new_password1": "Sâm-Ngọc-Linh-2024", "new_password2": "Sâm-Ngọc-Linh-2024"})
    user.refresh_from_db()
    assert user.check_password("Sâm-Ngọc-Linh-2024")
    client.force_login(user)
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_rejection_is_emailed_with_its_reason(client, django_capture_on_commit_callbacks):
    client.post(reverse("portal:apply"), application_post())
    staff = make_user("staff@so.vn", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            subject="application",
            decision="rejected",
            target=ProducerApplication.objects.get(),
            by=staff,
            reason="Giấy chứng nhận đã hết hạn",
        )
    assert not Producer.objects.exists()
    assert "Giấy chứng nhận đã hết hạn" in mail.outbox[0].body
    assert mail.outbox[0].to == ["htx.trasam@example.vn"]


def test_a_rejected_applications_scan_is_deleted_and_an_approved_ones_kept(
    client, settings, django_capture_on_commit_callbacks
):
    staff = make_user("staff@so.vn", is_staff=True)
    client.post(reverse("portal:apply"), application_post())
    client.post(reverse("portal:apply"), application_post(registration_number="4000999999", email="b@example.vn"))
    rejected, approved = ProducerApplication.objects.order_by("pk")
    assert len(private_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            subject="application", decision="rejected", target=rejected, by=staff, reason="Giấy chứng nhận giả"
        )
        moderation.decide(subject="application", decision="approved", target=approved, by=staff)
    rejected.refresh_from_db()
    assert rejected.certificate_scan.name == ""
    assert private_files(settings) == [approved.certificate_scan.name]


def test_an_application_is_decided_once(client):
    client.post(reverse("portal:apply"), application_post())
    staff = make_user("staff@so.vn", is_staff=True)
    application = ProducerApplication.objects.get()
    moderation.decide(subject="application", decision="approved", target=application, by=staff)
    with pytest.raises(ValidationError):
        moderation.decide(subject="application", decision="rejected", target=application, by=staff, reason="đổi ý")


def test_an_application_with_a_fake_pdf_scan_is_refused_and_leaves_nothing_on_disk(client, settings):
    """Issue 8: a "PDF" that is a header, 9 MB of padding and an end marker was accepted and kept."""
    fake = b"%PDF-1.7\n" + b"\0" * (9 * 1024 * 1024) + b"\n%%EOF\n"
    data = application_post(certificate_scan=upload("giay-chung-nhan.pdf", fake, "application/pdf"))

    response = client.post(reverse("portal:apply"), data)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "không phải tệp PDF hoàn chỉnh" in page, re.findall(r"invalid-feedback[^>]*>([^<]*)", page)
    assert not ProducerApplication.objects.exists()
    assert private_files(settings) == [] and media_files(settings) == []


def test_the_application_form_prompts_in_words_and_capitalises_its_labels_in_vietnamese(client, settings):
    settings.LANGUAGE_CODE = "vi"

    page = html.unescape(client.get(reverse("portal:apply"), HTTP_ACCEPT_LANGUAGE="vi").content.decode())

    assert '<option value="" selected>Chọn loại hình</option>' in page
    assert '<option value="" selected>Chọn huyện (cũ)</option>' in page
    assert "---------" not in page
    assert "Bản quét giấy chứng nhận OCOP" in page and "bản quét giấy chứng nhận OCOP" not in page
