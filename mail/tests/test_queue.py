"""The mail queue (mail/queue.py): jobs written in the caller's transaction, sent by the worker, retried."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from mail import queue, send_message
from mail.models import MailJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting(monkeypatch, settings):
    """A registered kind that sends "Xin chào" (in the job's language) to the payload's address."""
    settings.MAIL_QUEUE = True
    attempts = {"fail": 0}

    def handler(payload):
        if attempts["fail"]:
            attempts["fail"] -= 1
            raise ConnectionRefusedError("the mail server is down")
        send_message(subject=gettext("Order"), body="Xin chào", recipients=[payload["to"]])

    monkeypatch.setitem(queue._handlers, "greeting", handler)
    return attempts


def test_with_the_queue_on_a_job_is_written_and_nothing_is_sent_until_the_worker_runs(
    greeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        queue.send_later("greeting", to="khach@example.vn")

    assert mail.outbox == []
    job = MailJob.objects.get()
    assert (job.kind, job.payload, job.language, job.sent_at) == ("greeting", {"to": "khach@example.vn"}, "en", None)

    call_command("send_mail_queue", "--once")

    [message] = mail.outbox
    assert message.to == ["khach@example.vn"] and message.subject == "Order"  # in the buyer's language
    job.refresh_from_db()
    assert job.sent_at is not None and job.attempts == 1
    call_command("send_mail_queue", "--once")
    assert len(mail.outbox) == 1  # a sent job is not sent again


def test_a_failed_send_is_kept_and_sent_at_its_next_try(greeting):
    greeting["fail"] = 1
    queue.send_later("greeting", to="khach@example.vn")

    assert queue.drain() == queue.Result(sent=0, failed=1, pending=0)
    job = MailJob.objects.get()
    assert job.sent_at is None and job.attempts == 1 and "mail server is down" in job.last_error
    assert job.next_try > timezone.now() + datetime.timedelta(seconds=50)  # not before its backoff
    assert mail.outbox == []

    MailJob.objects.update(next_try=timezone.now())  # a minute later
    assert queue.drain() == queue.Result(sent=1, failed=0, pending=0)
    assert len(mail.outbox) == 1
    job.refresh_from_db()
    assert job.sent_at is not None and job.attempts == 2


def test_the_wait_between_tries_doubles_up_to_an_hour_and_a_job_stops_after_its_last_try(greeting):
    assert [queue.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 7, 9)] == [1, 2, 4, 60, 60]
    greeting["fail"] = queue.MAX_ATTEMPTS + 1
    queue.send_later("greeting", to="khach@example.vn")
    for _ in range(queue.MAX_ATTEMPTS + 1):
        MailJob.objects.update(next_try=timezone.now())
        queue.drain()

    job = MailJob.objects.get()  # kept, with its error, for staff to look at
    assert job.attempts == queue.MAX_ATTEMPTS and job.sent_at is None and job.last_error
    assert mail.outbox == []


def test_a_rolled_back_transaction_leaves_no_job(greeting):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue.send_later("greeting", to="khach@example.vn")
        raise RuntimeError("the order could not be placed")

    assert not MailJob.objects.exists()


def test_with_the_queue_off_the_message_goes_after_the_commit_and_no_job_is_written(
    greeting, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_QUEUE = False
    with django_capture_on_commit_callbacks(execute=True):
        queue.send_later("greeting", to="khach@example.vn")

    assert len(mail.outbox) == 1
    assert not MailJob.objects.exists()


def test_an_unknown_kind_is_refused_at_once():
    with pytest.raises(KeyError):
        queue.send_later("no-such-kind", to="khach@example.vn")
