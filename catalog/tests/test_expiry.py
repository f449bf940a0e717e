"""The daily certificate expiry e-mails: 30 days before, on the day, never twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from catalog import ocop
from catalog.tests.factories import CertificateFactory, make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def certificate_lapsing_on(day: datetime.date, **kwargs):
    """A verified certificate whose first invalid day is ``day``."""
    decision = ocop.add_months(day, -ocop.CERTIFICATE_VALIDITY_MONTHS)
    user, producer = producer_user(kwargs.pop("email", "htx@example.vn"))
    product = make_certified_product(producer=producer, title="Trà sâm")
    product.certificates.all().delete()
    certificate = CertificateFactory(product=product, decision_date=decision, decision_number="12/QĐ-UBND", **kwargs)
    assert certificate.valid_until == day
    return certificate, user


def run(day):
    call_command("notify_certificate_expiry", "--date", day.isoformat(), stdout=io.StringIO())


def test_producer_is_told_30_days_before_and_on_the_day_once_each():
    today = timezone.localdate()
    certificate, user = certificate_lapsing_on(today + datetime.timedelta(days=30))
    run(today - datetime.timedelta(days=1))
    assert mail.outbox == []
    run(today)
    run(today)  # cron ran twice: still one e-mail
    assert len(mail.outbox) == 1
    assert "lapses in 30 days" in mail.outbox[0].subject and "Trà sâm" in mail.outbox[0].subject
    assert user.email in mail.outbox[0].to
    run(today + datetime.timedelta(days=10))
    assert len(mail.outbox) == 1
    run(today + datetime.timedelta(days=30))
    run(today + datetime.timedelta(days=30))
    assert len(mail.outbox) == 2
    assert "lapsed today" in mail.outbox[1].subject
    assert certificate.notices.count() == 2


def test_a_missed_cron_day_is_caught_up():
    today = timezone.localdate()
    certificate_lapsing_on(today + datetime.timedelta(days=29))
    run(today)
    assert "lapses in 29 days" in mail.outbox[0].subject


def test_a_renewed_certificate_is_not_announced_and_pending_ones_are_ignored():
    today = timezone.localdate()
    certificate, _user = certificate_lapsing_on(today + datetime.timedelta(days=30))
    CertificateFactory(
        product=certificate.product, decision_date=today - datetime.timedelta(days=5), decision_number="99/QĐ-TTg"
    )
    certificate_lapsing_on(today + datetime.timedelta(days=30), email="other@example.vn", status="pending")
    run(today)
    assert mail.outbox == []


def test_dry_run_sends_nothing_and_records_nothing():
    today = timezone.localdate()
    certificate, _user = certificate_lapsing_on(today)
    out = io.StringIO()
    call_command("notify_certificate_expiry", "--date", today.isoformat(), "--dry-run", stdout=out)
    assert "would notify" in out.getvalue()
    assert mail.outbox == [] and not certificate.notices.exists()


def test_lapsed_product_leaves_sale_by_itself():
    from oscar.core.loading import get_class

    product = make_certified_product(lapsed=True)
    info = get_class("partner.strategy", "Selector")().strategy().fetch_for_product(product)
    assert not info.availability.is_available_to_buy
