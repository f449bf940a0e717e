from django.db import models
from django.utils import timezone


class MailJob(models.Model):
    """An e-mail to send outside the request that caused it (``mail.queue``; docs/operations.md).

    Written in the transaction of the change it tells about, so a committed order always has its
    confirmation job and a rolled-back one has none. The ``send_mail_queue`` worker runs the
    handler registered for ``kind`` with ``payload`` in ``language``, then stamps ``sent_at``; a
    failure is tried again at ``next_try`` (later each time), up to ``mail.queue.MAX_ATTEMPTS``.
    """

    kind = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=16, blank=True)  # the buyer's language when it was queued
    created = models.DateTimeField(default=timezone.now)
    next_try = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # The worker's question, "what is due?", reads only the unsent rows.
            models.Index(fields=["next_try"], condition=models.Q(sent_at__isnull=True), name="mail_job_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.payload}"
