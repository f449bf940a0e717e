"""CSV import with a dry run and no partial write; CSV export of products and sales."""

import csv
import io

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user, upload
from shop.order.tests.factories import place_order
from shop.portal import csv_io

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

HEADER = "sku,title,title_en,category,price_vnd,stock,weight_grams,description\n"


@pytest.fixture
def seller():
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Trà sâm", price=100000, stock=5)
    StockRecord.objects.filter(product=product).update(partner_sku="TS-01")
    return user, producer


def group_code():
    return Category.objects.filter(depth=2).order_by("path").first().code


def test_dry_run_reports_the_plan_and_writes_nothing(seller):
    user, producer = seller
    content = (HEADER + f"TS-01,,,,120.000,7,,\nMO-02,Mật ong,,{group_code()},185000,3,700,Ngọt\n").encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=True)
    assert report.ok and not report.applied
    assert [(row.sku, row.action) for row in report.rows] == [("TS-01", "update"), ("MO-02", "create")]
    assert StockRecord.objects.get(partner_sku="TS-01").price == 100000
    assert not Product.objects.filter(title="Mật ong").exists()


def test_import_updates_price_and_stock_and_creates_new_products_pending(seller):
    user, producer = seller
    content = (HEADER + f"TS-01,,,,120.000,7,,\nMO-02,Mật ong,,{group_code()},185000,3,700,Ngọt\n").encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=False)
    assert report.applied
    record = StockRecord.objects.get(partner_sku="TS-01")
    assert (record.price, record.num_in_stock) == (120000, 7)
    new = Product.objects.get(title="Mật ong")
    assert new.moderation == "pending" and not new.is_public and new.weight_grams == 700


def test_one_bad_row_writes_nothing_and_names_every_bad_row_and_column(seller):
    user, producer = seller
    content = (
        HEADER
        + "TS-01,,,,90000,9,,\n"
        + f"MO-02,Mật ong,,{group_code()},185000,3,,\n"
        + "XX-03,,,khong-co,12.5,-1,,\n"
        + "TS-01,,,,90000,9,,\n"
    ).encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=False)
    assert not report.applied
    assert sorted((e.row, e.column) for e in report.errors) == [
        (4, "category"),
        (4, "price_vnd"),
        (4, "stock"),
        (4, "title"),
        (5, "sku"),
    ]
    assert StockRecord.objects.get(partner_sku="TS-01").price == 100000
    assert not Product.objects.filter(title="Mật ong").exists()


def test_a_row_with_more_cells_than_the_header_is_refused_not_cut_short(seller):
    user, producer = seller
    content = (HEADER + f"MO-02,Mật ong,,{group_code()},185000,3,700,Mật ong rừng, nguyên chất\n").encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=False)
    assert not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(2, "")]
    assert "9 cells but the header has 8" in report.errors[0].message
    assert not Product.objects.filter(title="Mật ong").exists()


def test_missing_columns_and_wrong_encoding_are_reported(seller):
    user, producer = seller
    report = csv_io.import_products(producer=producer, content=b"sku,title\nA,B\n", dry_run=True)
    assert {e.column for e in report.errors} == {"price_vnd", "stock"}
    report = csv_io.import_products(producer=producer, content="sku;giá\n".encode("cp1258"), dry_run=True)
    assert "UTF-8" in report.errors[0].message


def test_import_page_shows_the_bad_row_and_writes_nothing(client, seller):
    user, producer = seller
    client.force_login(user)
    content = (HEADER + "TS-01,,,,abc,9,,\n").encode()
    response = client.post(
        reverse("portal:product_import"),
        {"file": upload("sp.csv", content, "text/csv"), "apply": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert 'data-row="2"' in body and "price_vnd" in body and "nothing was written" in body
    assert StockRecord.objects.get(partner_sku="TS-01").price == 100000


def test_import_page_applies_a_clean_file(client, seller):
    user, producer = seller
    client.force_login(user)
    response = client.post(
        reverse("portal:product_import"),
        {"file": upload("sp.csv", (HEADER + "TS-01,,,,95000,1,,\n").encode(), "text/csv"), "apply": "1"},
    )
    assert response.status_code == 302
    assert StockRecord.objects.get(partner_sku="TS-01").price == 95000


def test_export_round_trips_through_import(client, seller):
    user, producer = seller
    client.force_login(user)
    exported = client.get(reverse("portal:product_export")).content
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0]["sku"] == "TS-01" and rows[0]["title"] == "Trà sâm" and rows[0]["price_vnd"] == "100000"
    report = csv_io.import_products(producer=producer, content=exported, dry_run=True)
    assert report.ok and [row.action for row in report.rows] == ["update"]


def test_sales_page_shows_units_and_revenue_by_month_and_product_with_a_chart(
    client, seller, django_assert_max_num_queries
):
    user, producer = seller
    product = Product.objects.get(title="Trà sâm")
    place_order((product, 2))
    place_order(product)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("portal:sales"))
    body = response.content.decode()
    assert 'data-testid="sales-chart"' in body and "<rect" in body
    assert "300.000" in body  # 3 × 100.000 ₫
    exported = client.get(reverse("portal:sales_export")).content.decode("utf-8-sig").splitlines()
    assert exported[1].endswith(",TS-01,Trà sâm,3,300000")


def test_import_keeps_only_the_allowed_formatting_of_a_description(seller):
    user, producer = seller
    description = '"<p><strong>Ngọt</strong></p><img src=x onerror=""document.title=1""><script>x()</script>"'
    content = (HEADER + f"MO-02,Mật ong,,{group_code()},185000,3,700,{description}\n").encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=False)
    assert report.applied
    assert Product.objects.get(title="Mật ong").description == "<p><strong>Ngọt</strong></p>"


def test_export_quotes_cells_a_spreadsheet_would_run_as_formulas_and_import_reads_them_back(client, seller):
    user, producer = seller
    product = Product.objects.get(title="Trà sâm")
    Product.objects.filter(pk=product.pk).update(title='=HYPERLINK("http://x.example","Bấm")', description="-ít đường")
    StockRecord.objects.filter(product=product).update(partner_sku="+84-TS")
    client.force_login(user)

    exported = client.get(reverse("portal:product_export")).content
    row = next(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))

    assert row["title"] == '\'=HYPERLINK("http://x.example","Bấm")'
    assert (row["sku"], row["description"], row["price_vnd"]) == ("'+84-TS", "'-ít đường", "100000")
    report = csv_io.import_products(producer=producer, content=exported, dry_run=True)
    assert report.ok and [(row.sku, row.action) for row in report.rows] == [("+84-TS", "update")]


def test_import_strips_the_quote_the_export_put_before_a_formula_character(seller):
    user, producer = seller
    content = (HEADER + f"'@MO,'=1+1,'Bee's,{group_code()},185000,3,,'-ít đường\n").encode()
    report = csv_io.import_products(producer=producer, content=content, dry_run=False)
    assert report.applied
    product = Product.objects.get(producer=producer, title="=1+1")
    assert (product.title_en, product.description) == ("'Bee's", "-ít đường")
    assert product.stockrecords.get().partner_sku == "@MO"


def test_sales_export_quotes_a_title_that_looks_like_a_formula(client, seller):
    user, producer = seller
    product = Product.objects.get(title="Trà sâm")
    Product.objects.filter(pk=product.pk).update(title="=1+1")
    place_order(product)
    client.force_login(user)
    exported = client.get(reverse("portal:sales_export")).content.decode("utf-8-sig").splitlines()
    assert exported[1].endswith(",TS-01,'=1+1,1,100000")
