"""Field limits hold before the database, on SQLite and PostgreSQL alike: a clear message, nothing stored."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.checkout.tests.factories import ADDRESS, ensure_vietnam
from shop.portal import csv_io

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

StockRecord = get_model("partner", "StockRecord")
HEADER = "sku,title,title_en,category,price_vnd,stock,weight_grams,description\n"


@pytest.fixture
def seller():
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Trà sâm", price=100000, stock=5)
    StockRecord.objects.filter(product=product).update(partner_sku="TS-01")
    return user, producer


def test_a_csv_cell_with_a_nul_character_is_refused_and_nothing_is_written(seller):
    user, producer = seller
    content = (HEADER + "TS-01,Trà\x00sâm,,,120000,7,,Ngọt\x00\n").encode()

    report = csv_io.import_products(producer=producer, content=content, dry_run=False)

    assert not report.applied
    assert sorted((error.row, error.column) for error in report.errors) == [(2, "description"), (2, "title")]
    assert "NUL character" in report.errors[0].message
    assert StockRecord.objects.get(partner_sku="TS-01").price == 100000


def test_a_csv_title_over_255_characters_is_refused_not_cut(seller):
    user, producer = seller
    content = (HEADER + f"TS-01,{'M' * 256},,,120000,7,,\n").encode()

    report = csv_io.import_products(producer=producer, content=content, dry_run=True)

    assert [(error.row, error.column) for error in report.errors] == [(2, "title")]
    assert "256 characters; at most 255" in report.errors[0].message


def test_a_306_character_guest_e_mail_is_refused_at_checkout(client):
    product = make_certified_product(stock=5)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    email = "a" * 291 + "@example.vn.com"  # 306 characters

    response = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})

    assert response.status_code == 200  # the form again, not the next step
    error = response.context["form"].errors["username"][0]
    assert "254" in error and "306" in error
    assert error in response.content.decode()


def test_a_100000_character_delivery_note_is_refused_and_the_address_kept(client):
    ensure_vietnam()
    product = make_certified_product(stock=5)
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})

    response = client.post(reverse("checkout:shipping-address"), {**ADDRESS, "notes": "x" * 100_000})

    assert response.status_code == 200  # the form again, not the next step
    assert "1000" in response.context["form"].errors["notes"][0]
    assert response.context["form"].errors["notes"][0] in response.content.decode()
    assert ADDRESS["line1"] in response.content.decode()  # what was typed is kept
