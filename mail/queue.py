"""A durable queue of e-mails: queued in the caller's transaction, sent by the ``send_mail_queue`` worker.

Rendering and sending a message (an order confirmation is several templates and an SMTP
round trip) is kept out of the request that caused it. A front door registers a handler
per kind of message (``register("order_confirmation", handler)``; ``mail`` never imports the
front doors) and calls ``send_later``: with ``settings.MAIL_QUEUE`` on it writes a
``MailJob`` row in the current transaction, so the job exists exactly when the change it
tells about was committed; off (the default, for ``make run`` with no worker) the handler
runs after the commit, in the request, as before.

The worker (``drain``) takes one due job at a time under a row lock (``SKIP LOCKED`` on
PostgreSQL: two workers never take the same job), runs its handler in the job's language
and stamps it sent in the same transaction. A failure is recorded and tried again later
(1, 2, 4 … minutes, at most an hour apart) up to ``MAX_ATTEMPTS``; the row then stays, with
its last error, for staff to look at. A worker killed between sending and committing sends
that one message again on its next run: at least once, never lost.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from mail.models import MailJob

logger = logging.getLogger("mail.queue")

MAX_ATTEMPTS = 10  # about four hours of retries with the backoff below
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=1)

Handler = Callable[[dict], None]
_handlers: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """``handler(payload)`` sends a message of ``kind``; ``payload`` is what ``send_later`` was given (JSON)."""
    _handlers[kind] = handler


def enabled() -> bool:
    return getattr(settings, "MAIL_QUEUE", False)


def send_later(kind: str, **payload) -> None:
    """Queue a message in the current transaction (``MAIL_QUEUE`` on), or send it after the commit (off)."""
    if kind not in _handlers:
        raise KeyError(f"no mail handler registered for {kind!r}")
    if enabled():
        MailJob.objects.create(kind=kind, payload=payload, language=translation.get_language() or "")
    else:
        transaction.on_commit(lambda: _handlers[kind](payload), robust=True)


def retry_delay(attempts: int) -> datetime.timedelta:
    """How long to wait after the ``attempts``-th failure."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def unsent():
    return MailJob.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


@dataclass
class Result:
    sent: int = 0
    failed: int = 0
    pending: int = 0


def _run(job: MailJob) -> None:
    with transaction.atomic(), translation.override(job.language or settings.LANGUAGE_CODE):
        _handlers[job.kind](job.payload)  # a savepoint: a handler's failed write does not break the claim


def send_one() -> bool | None:
    """Send the next due job. True: sent; False: failed (retried later); None: nothing is due."""
    with transaction.atomic():
        now = timezone.now()
        jobs = unsent().filter(next_try__lte=now).order_by("next_try", "pk")
        if connection.features.has_select_for_update_skip_locked:
            jobs = jobs.select_for_update(skip_locked=True)  # two workers never take the same job
        job = jobs.first()
        if job is None:
            return None
        job.attempts += 1
        try:
            _run(job)
        except Exception as error:  # noqa: BLE001  (one bad message must not stop the queue)
            job.last_error = f"{type(error).__name__}: {error}"[:2000]
            job.next_try = now + retry_delay(job.attempts)
            job.save(update_fields=["attempts", "last_error", "next_try"])
            level = logging.ERROR if job.attempts >= MAX_ATTEMPTS else logging.WARNING
            logger.log(level, "Mail job %s (%s) failed, attempt %s: %s", job.pk, job.kind, job.attempts, error)
            return False
        job.sent_at = timezone.now()
        job.save(update_fields=["attempts", "sent_at"])
        logger.info("Mail job %s (%s) sent", job.pk, job.kind)
        return True


def drain(*, batch_size: int = 50) -> Result:
    """Send up to ``batch_size`` due jobs, one transaction each (a crash resends at most one)."""
    result = Result()
    for _ in range(batch_size):
        outcome = send_one()
        if outcome is None:
            break
        if outcome:
            result.sent += 1
        else:
            result.failed += 1
    result.pending = unsent().filter(next_try__lte=timezone.now()).count()
    return result
