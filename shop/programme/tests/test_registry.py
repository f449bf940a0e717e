"""The public certificate registry: pages, open data without private fields, QR codes that open the right page."""

import csv
import io
import json

import jsonschema
import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from catalog import registry
from catalog.tests.factories import CertificateFactory, ProducerFactory, days_ago, make_certified_product

pytestmark = pytest.mark.django_db

PRIVATE_VALUES = ("0905 111 222", "htx.bimat@example.vn", "4000999888", "Ghi chú nội bộ", "certificates/2025/scan.pdf")


@pytest.fixture
def producer():
    return ProducerFactory(
        commune="Xã Trà Giác",
        phone="0905 111 222",
        email="htx.bimat@example.vn",
        registration_number="4000999888",
        address="Thôn 3",
    )


@pytest.fixture
def certified(producer):
    product = make_certified_product(producer=producer, title="Sâm Ngọc Linh Trà Giác", stars=4)
    certificate = product.certificates.get()
    certificate.decision_number = "1234/QĐ-UBND"
    certificate.note = "Ghi chú nội bộ"
    certificate.scan = "certificates/2025/scan.pdf"
    certificate.save()
    return product


REGISTRY_MAX_QUERIES = 12


def registry_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("programme:registry")).status_code == 200
    return len(queries)


def test_the_registry_lists_verified_certificates_only_with_their_status(
    client, certified, django_assert_max_num_queries
):
    CertificateFactory(product=certified, status="pending", decision_number="9/CHO", decision_date=days_ago(1))
    CertificateFactory(product=certified, status="rejected", decision_number="8/SAI", decision_date=days_ago(2))

    with django_assert_max_num_queries(REGISTRY_MAX_QUERIES):
        page = client.get(reverse("programme:registry")).content.decode()

    assert "1234/QĐ-UBND" in page and "Sâm Ngọc Linh Trà Giác" in page
    assert "9/CHO" not in page and "8/SAI" not in page
    assert 'data-status="valid"' in page


def test_the_registry_queries_do_not_grow_with_certificates(client):
    make_certified_product()
    registry_queries(client)  # warm caches (site, reference data)
    one = registry_queries(client)
    for _ in range(12):
        make_certified_product()
    assert registry_queries(client) == one <= REGISTRY_MAX_QUERIES


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"q": "1234/QĐ"}, True),
        ({"q": "sâm ngọc linh"}, True),
        ({"commune": "Trà Giác"}, True),
        ({"stars": "4"}, True),
        ({"stars": "5"}, False),
        ({"year": "1999"}, False),
    ],
)
def test_the_registry_is_searchable(client, certified, params, found):
    page = client.get(reverse("programme:registry"), params).content.decode()
    assert ("1234/QĐ-UBND" in page) is found


def test_a_renewed_certificate_names_its_renewal_and_a_lapsed_one_says_so(client):
    product = make_certified_product(lapsed=True)
    old = product.certificates.get()
    renewal = CertificateFactory(product=product, decision_number="77/QĐ-UBND", decision_date=days_ago(10))
    lapsed = make_certified_product(lapsed=True).certificates.get()

    old_page = client.get(reverse("programme:certificate", args=[old.pk])).content.decode()
    lapsed_page = client.get(reverse("programme:certificate", args=[lapsed.pk])).content.decode()
    renewal_page = client.get(reverse("programme:certificate", args=[renewal.pk])).content.decode()

    assert 'data-status="renewed"' in old_page and "77/QĐ-UBND" in old_page
    assert 'data-status="lapsed"' in lapsed_page
    assert 'data-status="valid"' in renewal_page


def test_the_json_export_validates_against_its_schema_and_holds_only_public_fields(client, certified):
    response = client.get(reverse("programme:registry_json"))

    data = response.json()
    jsonschema.validate(data, registry.PAGE_SCHEMA)
    assert data["count"] == 1
    [record] = data["results"]
    assert (
        tuple(record)
        == registry.PUBLIC_FIELDS
        == (
            "id",
            "product_id",
            "product",
            "producer",
            "producer_kind",
            "former_district",
            "commune",
            "stars",
            "score",
            "decision_number",
            "decision_date",
            "level",
            "kind",
            "valid_until",
            "status",
            "renewed_by",
        )
    )
    certificate = certified.certificates.get()
    assert record["valid_until"] == certificate.last_valid_day.isoformat()
    assert not any(value in response.content.decode() for value in PRIVATE_VALUES)
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]


def test_the_csv_export_has_the_same_fields_and_rows_that_fit_the_schema(client, certified):
    response = client.get(reverse("programme:registry_csv"))

    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == registry.PUBLIC_FIELDS
    for row in rows:
        typed = {**row, "id": int(row["id"]), "product_id": int(row["product_id"]), "stars": int(row["stars"])}
        typed["score"] = row["score"] or None
        jsonschema.validate(typed, registry.RECORD_SCHEMA)
    assert not any(value in text for value in PRIVATE_VALUES)
    assert "max-age=3600" in response["Cache-Control"]


def test_the_exports_are_paginated(client, monkeypatch):
    monkeypatch.setattr(registry, "EXPORT_PAGE_SIZE", 2)
    for _ in range(3):
        make_certified_product()

    first = client.get(reverse("programme:registry_json")).json()
    second = client.get(first["next"]).json()

    assert (first["count"], first["pages"], len(first["results"])) == (3, 2, 2)
    assert second["next"] is None and len(second["results"]) == 1
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    assert client.get(reverse("programme:registry_json"), {"page": 9}).status_code == 404


def test_the_schema_is_published(client):
    schema = json.loads(client.get(reverse("programme:registry_schema")).content)
    assert schema["properties"]["results"]["items"]["required"] == list(registry.PUBLIC_FIELDS)


def decode(png: bytes) -> str:
    [result] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return result.text


def test_scanning_a_products_qr_code_opens_a_page_that_says_it_is_valid_today(client, certified):
    response = client.get(reverse("programme:product_qr", args=[certified.pk, "png"]))
    assert response["Content-Type"] == "image/png"

    url = decode(response.content)

    assert url == f"http://testserver/chung-nhan/san-pham/{certified.pk}/"
    page = client.get(url).content.decode()
    assert "valid today" in page or "còn hiệu lực hôm nay" in page
    assert "OCOP 4★" in page


def test_a_lapsed_products_qr_page_says_it_is_not_valid(client):
    product = make_certified_product(lapsed=True)
    url = decode(client.get(reverse("programme:product_qr", args=[product.pk, "png"])).content)

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "has no valid OCOP certificate today" in page


def test_a_certificates_qr_code_comes_as_svg_too(client, certified):
    certificate = certified.certificates.get()
    svg = client.get(reverse("programme:certificate_qr", args=[certificate.pk, "svg"]))
    png = client.get(reverse("programme:certificate_qr", args=[certificate.pk, "png"]))

    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    assert decode(png.content) == f"http://testserver/chung-nhan/{certificate.pk}/"


def test_no_qr_code_for_a_pending_certificate_or_a_hidden_product_without_a_verified_one(client, certified):
    pending = CertificateFactory(product=certified, status="pending", decision_number="5/CHO")
    hidden = make_certified_product(is_public=False)
    hidden.certificates.update(status="pending")

    assert client.get(reverse("programme:certificate_qr", args=[pending.pk, "png"])).status_code == 404
    assert client.get(reverse("programme:product_qr", args=[hidden.pk, "svg"])).status_code == 404
    assert client.get(reverse("programme:product", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("programme:certificate", args=[pending.pk])).status_code == 404


def test_a_product_off_sale_keeps_its_registry_page_and_qr_code_while_it_has_a_verified_certificate(client):
    """Its certificates are public records and its label's QR code must still answer (demo history, withdrawn)."""
    off_sale = make_certified_product(is_public=False, title="Nón lá Phú Ninh")

    page = client.get(reverse("programme:product", args=[off_sale.pk]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Nón lá Phú Ninh" in text and "Not sold in the shop" in text and "See the product in the shop" not in text
    assert client.get(reverse("programme:product_qr", args=[off_sale.pk, "svg"])).status_code == 200
