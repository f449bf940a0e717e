"""E-mail producers 30 days before an OCOP certificate lapses, and again on the day.

Fit for a daily cron job: each notice is recorded (CertificateNotice, unique per
certificate and kind), so running twice a day, or again after a failure, sends
nothing twice; a day missed by cron is caught up within the window. Lapsed
products leave sale by themselves (shop.partner.strategy), nothing to do here.

    python manage.py notify_certificate_expiry [--date 2025-06-01] [--dry-run]
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import ocop, services
from mail import send_templated_mail

OcopCertificate = get_model("catalogue", "OcopCertificate")
CertificateNotice = get_model("catalogue", "CertificateNotice")

CATCH_UP_DAYS = 7  # a lapse notice is still sent if cron was down for up to a week


def due_notices(day: datetime.date) -> list[tuple]:
    """(certificate, kind) pairs due on ``day`` and not sent yet."""
    renewed = OcopCertificate.objects.filter(
        product=OuterRef("product"), status=OcopCertificate.Status.VERIFIED, valid_until__gt=OuterRef("valid_until")
    )
    base = (
        OcopCertificate.objects.filter(status=OcopCertificate.Status.VERIFIED, product__producer__isnull=False)
        .exclude(Exists(renewed))
        .select_related("product__producer__partner")
        .order_by("valid_until", "pk")
    )
    soon_limit = day + datetime.timedelta(days=ocop.EXPIRY_NOTICE_DAYS)
    due = []
    for kind, certificates in (
        (CertificateNotice.Kind.SOON, base.filter(valid_until__gt=day, valid_until__lte=soon_limit)),
        (
            CertificateNotice.Kind.LAPSED,
            base.filter(valid_until__lte=day, valid_until__gt=day - datetime.timedelta(days=CATCH_UP_DAYS)),
        ),
    ):
        sent = CertificateNotice.objects.filter(certificate=OuterRef("pk"), kind=kind)
        due.extend((certificate, kind) for certificate in certificates.exclude(Exists(sent)))
    return due


class Command(BaseCommand):
    help = "E-mail producers about OCOP certificates lapsing in 30 days or today (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this day (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="List the notices without sending them.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: {error}") from error
        sent = 0
        for certificate, kind in due_notices(day):
            producer = certificate.product.producer
            recipients = services.producer_recipients(producer)
            label = f"{certificate.product.title} ({certificate.decision_number}, {kind})"
            if options["dry_run"]:
                self.stdout.write(f"would notify {', '.join(sorted(set(filter(None, recipients))))}: {label}")
                continue
            # The notice row and the e-mail succeed or fail together: a failed send is retried next run.
            with transaction.atomic():
                notice, created = CertificateNotice.objects.get_or_create(
                    certificate=certificate, kind=kind, defaults={"sent_to": ", ".join(sorted(set(recipients)))}
                )
                if not created:
                    continue
                send_templated_mail(
                    template="catalog/emails/certificate_expiry",
                    context={
                        "certificate": certificate,
                        "lapsed": kind == CertificateNotice.Kind.LAPSED,
                        "days": (certificate.valid_until - day).days,
                    },
                    recipients=recipients,
                )
            sent += 1
            self.stdout.write(f"notified: {label}")
        self.stdout.write(self.style.SUCCESS(f"{sent} notice(s) sent for {day:%Y-%m-%d}."))
