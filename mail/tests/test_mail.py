"""The project's one mail helper: what a recipient receives."""

import pytest
from django.core import mail
from django.utils import translation

from mail import send_message, send_templated_mail


def test_templated_mail_renders_a_one_line_subject_and_goes_once_to_each_address(settings):
    settings.SITE_URL = "https://cho-ocop.example.vn"
    application = type("Application", (), {"producer_name": "HTX Trà Quế", "contact_name": "Nguyễn Văn A"})()

    with translation.override("en"):
        sent = send_templated_mail(
            template="catalog/emails/application_rejected",
            context={"application": application, "reason": "Giấy chứng nhận đã hết hạn"},
            recipients=["a@example.vn", "", "a@example.vn", "b@example.vn"],
        )

    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["a@example.vn", "b@example.vn"]
    assert "\n" not in message.subject
    assert "Giấy chứng nhận đã hết hạn" in message.body
    assert "https://cho-ocop.example.vn/producer/apply/" in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_nothing_is_sent_without_an_address():
    assert send_templated_mail(template="catalog/emails/application_rejected", context={}, recipients=["", None]) == 0
    assert send_message(subject="x", body="y", recipients=[]) is None
    assert mail.outbox == []


@pytest.mark.parametrize("html", ["", "<p>Xin chào</p>"])
def test_an_html_version_travels_as_an_alternative(html):
    send_message(subject="Đơn hàng", body="Xin chào", html=html, recipients=["khach@example.vn"])

    [message] = mail.outbox
    assert message.body == "Xin chào"
    assert message.alternatives == ([("<p>Xin chào</p>", "text/html")] if html else [])
