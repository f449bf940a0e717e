"""A certificate's "valid until" is one date, the last day it holds, on every page and e-mail that shows it.

Decision 1234/QĐ-UBND of 15/03/2025: valid for 36 months, so valid until 14/03/2028
(inclusive); it has lapsed on 15/03/2028. No page may show 15/03/2028 as "valid until".
"""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from catalog import moderation
from catalog.tests.factories import CertificateFactory, ProducerFactory, StockRecordFactory
from shop.dashboard.catalogue.tests.test_views import filed_product

pytestmark = pytest.mark.django_db

OcopCertificate = get_model("catalogue", "OcopCertificate")

DECIDED = datetime.date(2025, 3, 15)
VALID_UNTIL = "14/03/2028"
LAPSES_ON = "15/03/2028"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def producer():
    return ProducerFactory(email="htx.traque@example.vn")


@pytest.fixture
def certified(producer):
    """A product on sale with the verified certificate 1234/QĐ-UBND of 15/03/2025."""
    product = filed_product()
    product.producer = producer
    product.save()
    product.certificates.all().delete()
    product.stockrecords.all().delete()
    StockRecordFactory(product=product, partner=producer.partner)
    CertificateFactory(
        product=product, stars=4, score="80", decision_number="1234/QĐ-UBND", decision_date=DECIDED, level="province"
    )
    return product


@pytest.fixture
def pending(producer):
    """Another of the producer's products whose certificate of the same day waits for staff."""
    product = filed_product()
    product.producer = producer
    product.save()
    product.certificates.all().delete()
    return CertificateFactory(
        product=product, status="pending", stars=4, decision_number="1234/QĐ-UBND", decision_date=DECIDED
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        username="kiemduyet", email="kiemduyet@socongthuong.quangnam.gov.vn", password="mat-khau-dai-123"
    )


def test_the_model_stores_the_lapse_day_and_gives_the_last_valid_day(certified):
    certificate = certified.certificates.get()
    assert certificate.valid_until == datetime.date(2028, 3, 15)
    assert certificate.last_valid_day == datetime.date(2028, 3, 14)
    assert certificate.is_valid_on(datetime.date(2028, 3, 14))
    assert not certificate.is_valid_on(datetime.date(2028, 3, 15))


def test_the_public_product_page_shows_the_last_valid_day(client, certified, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        page = text_of(client.get(certified.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi"))
    assert f"Hiệu lực đến {VALID_UNTIL}" in page
    assert LAPSES_ON not in page


def test_the_producer_portal_certificate_list_shows_the_last_valid_day(
    client, certified, producer, django_assert_max_num_queries
):
    user = get_user_model().objects.create_user(username="nongdan", email="nongdan@example.vn", password="x")
    producer.partner.users.add(user)
    client.force_login(user)
    with django_assert_max_num_queries(40):
        page = text_of(client.get(reverse("portal:product_edit", args=[certified.pk])))
    assert VALID_UNTIL in page
    assert LAPSES_ON not in page


def test_the_moderation_queue_shows_the_last_valid_day(client, staff, pending, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(40):
        page = text_of(client.get(reverse("moderation:queue")))
    assert "1234/QĐ-UBND" in page
    assert VALID_UNTIL in page
    assert LAPSES_ON not in page


def test_the_admin_shows_the_last_valid_day(client, staff, certified, django_assert_max_num_queries):
    client.force_login(staff)
    certificate = certified.certificates.get()
    with django_assert_max_num_queries(40):
        listing = text_of(client.get(reverse("admin:catalogue_ocopcertificate_changelist")))
    change = text_of(client.get(reverse("admin:catalogue_ocopcertificate_change", args=[certificate.pk])))
    for page in (listing, change):
        assert VALID_UNTIL in page
        assert LAPSES_ON not in page


def test_the_dashboard_product_page_shows_the_last_valid_day(client, staff, certified):
    client.force_login(staff)
    page = text_of(client.get(reverse("dashboard:catalogue-product", kwargs={"pk": certified.pk})))
    assert VALID_UNTIL in page
    assert LAPSES_ON not in page


def test_the_verification_e_mail_gives_the_last_valid_day(staff, pending, django_capture_on_commit_callbacks):
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        moderation.decide(subject="certificate", target=pending, decision="approved", by=staff)
    [message] = mail.outbox
    assert VALID_UNTIL in message.body and LAPSES_ON not in message.body


@pytest.mark.parametrize("today", ["2028-02-20", "2028-03-15"], ids=["30 days before", "on the day it lapses"])
def test_the_expiry_e_mails_give_the_last_valid_day(certified, today):
    with translation.override("vi"):
        call_command("notify_certificate_expiry", date=today, stdout=io.StringIO())
    [message] = mail.outbox
    assert VALID_UNTIL in message.body
    assert LAPSES_ON not in message.body
