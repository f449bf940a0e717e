"""Order e-mails through the mail queue (MAIL_QUEUE on): queued with the order, sent by the worker."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from mail import queue
from mail.models import MailJob
from shop.checkout.tests.factories import basket_with, submission
from shop.order import emails, services

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_queue_on(settings):
    settings.MAIL_QUEUE = True


def test_placing_an_order_sends_nothing_and_queues_its_confirmation_which_the_worker_sends(
    django_capture_on_commit_callbacks,
):
    product = make_certified_product(price=Decimal("150000"), stock=5, title="Trà Quế Hội An")

    with django_capture_on_commit_callbacks(execute=True):
        order = services.place_order(**submission(basket_with((product, 2))))

    assert mail.outbox == []
    job = MailJob.objects.get()
    assert (job.kind, job.payload, job.sent_at) == (emails.ORDER_CONFIRMATION, {"order": order.pk}, None)

    call_command("send_mail_queue", "--once")

    [message] = mail.outbox
    assert message.to == ["khach@example.vn"]
    assert order.number in message.subject
    assert "Trà Quế Hội An" in message.body
    job.refresh_from_db()
    assert job.sent_at is not None


def test_a_confirmation_that_fails_to_send_is_sent_on_a_later_run(monkeypatch, django_capture_on_commit_callbacks):
    order = services.place_order(**submission(basket_with((make_certified_product(stock=5), 1))))
    send = emails.send_order_confirmation

    def mail_server_down(order):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(emails, "send_order_confirmation", mail_server_down)
    assert queue.drain().failed == 1
    monkeypatch.setattr(emails, "send_order_confirmation", send)
    MailJob.objects.update(next_try=MailJob.objects.get().created)  # its next try has come

    assert queue.drain().sent == 1
    [message] = mail.outbox
    assert order.number in message.subject


def test_an_order_rolled_back_after_it_was_placed_leaves_no_mail_job():
    product = make_certified_product(stock=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.place_order(**submission(basket_with((product, 1))))
        raise RuntimeError("the request failed after the order was written")

    assert not Order.objects.exists()
    assert not MailJob.objects.exists()


def test_every_order_mail_kind_has_a_handler_the_worker_runs():
    order = services.place_order(**submission(basket_with((make_certified_product(stock=5), 1))))
    get_user_model().objects.create_user("staff", "staff@example.vn", "x", is_staff=True)
    queue.send_later(emails.PAYMENT_RECEIVED_MAIL, order=order.pk)
    queue.send_later(emails.LATE_PAYMENT_REFUNDED, order=order.pk, amount="150000.00")
    queue.send_later(emails.PAYMENT_MISMATCH, order=order.pk, received="1 VND", expected="150000.00")

    assert queue.drain() == queue.Result(sent=4, failed=0, pending=0)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "khach@example.vn",
        "khach@example.vn",
        "khach@example.vn",
        "staff@example.vn",
    ]
