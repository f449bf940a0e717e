"""The Django admin refuses bad certificates with a message on the field, and writes nothing."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog import ocop
from catalog.tests.factories import (
    CertificateFactory,
    ProducerFactory,
    ProductFactory,
    days_ago,
    make_certified_product,
)

pytestmark = pytest.mark.django_db

OcopCertificate = get_model("catalogue", "OcopCertificate")

LIST_MAX_QUERIES = 12


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="quantri", email="quantri@socongthuong.quangnam.gov.vn", password="mat-khau-dai-123"
    )
    client.force_login(admin)
    return client


def certificate_data(product, **overrides) -> dict:
    data = {
        "product": product.pk,
        "stars": 4,
        "score": "75",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": days_ago(30).isoformat(),
        "level": "province",
        "kind": "new",
        "status": "verified",
        "note": "",
    }
    data.update(overrides)
    return data


def field_errors(response, field: str) -> str:
    """The error text the admin shows in the form row of ``field`` (beside its label)."""
    html = response.content.decode()
    start = re.search(rf'<div class="form-row[^"]*\bfield-{field}\b', html)
    assert start, f"no form row for {field}"
    row = html[start.start() : html.find('<div class="form-row', start.end())]
    return " ".join(
        re.sub(r"<[^>]+>", " ", item).strip() for item in re.findall(r'<ul class="errorlist.*?</ul>', row, re.S)
    )


def form_data(response) -> dict:
    """What the browser would post back: the admin form and its inlines with their current values."""
    data: dict = {}

    def add(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value == "" or hasattr(value, "url") or (hasattr(value, "name") and not value):
            return
        if isinstance(value, bool):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        add(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for inline_form in formset.forms:
            for name in inline_form.fields:
                add(inline_form, name)
    return data


# --- Certificate admin -----------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"stars": 4, "score": "95"},
            "score",
            "Giấy chứng nhận 4★ cần điểm từ 70–89; 95 nằm ngoài khoảng đó.",
        ),
        (
            {"decision_date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "decision_date",
            "Ngày quyết định không thể ở tương lai.",
        ),
        (
            {"stars": 5, "score": "92", "level": "province"},
            "level",
            "Chỉ cấp Trung ương công nhận sản phẩm 5★.",
        ),
    ],
    ids=["score-outside-band", "future-decision", "five-stars-not-central"],
)
def test_certificate_add_refuses_bad_input_with_a_message_on_the_field(admin_client, overrides, field, message):
    product = ProductFactory()

    response = admin_client.post(reverse("admin:catalogue_ocopcertificate_add"), certificate_data(product, **overrides))

    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not OcopCertificate.objects.exists()


def test_certificate_add_refuses_a_duplicate_decision_number_on_that_field(admin_client):
    product = ProductFactory()
    CertificateFactory(product=product, decision_number="1234/QĐ-UBND", decision_date=days_ago(400))

    response = admin_client.post(
        reverse("admin:catalogue_ocopcertificate_add"), certificate_data(product, decision_number="1234/QĐ-UBND")
    )

    assert response.status_code == 200
    assert "Sản phẩm này đã có giấy chứng nhận với số quyết định 1234/QĐ-UBND." in field_errors(
        response, "decision_number"
    )
    # Said once, on the field: not again as a form-wide error.
    assert "Sản phẩm này đã có giấy chứng nhận với số quyết định này." not in response.content.decode()
    assert OcopCertificate.objects.count() == 1


def test_same_decision_number_is_fine_for_another_product(admin_client):
    CertificateFactory(decision_number="1234/QĐ-UBND")
    product = ProductFactory()

    response = admin_client.post(
        reverse("admin:catalogue_ocopcertificate_add"), certificate_data(product, decision_number="1234/QĐ-UBND")
    )

    assert response.status_code == 302
    certificate = OcopCertificate.objects.get(product=product)
    assert certificate.valid_until == ocop.certificate_expiry(certificate.decision_date)


def test_certificate_change_refuses_a_score_outside_the_band_and_keeps_the_row(admin_client):
    certificate = CertificateFactory(stars=3, score=Decimal("60"))
    url = reverse("admin:catalogue_ocopcertificate_change", args=[certificate.pk])
    data = form_data(admin_client.get(url))
    data["score"] = "85"

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Giấy chứng nhận 3★ cần điểm từ 50–69; 85 nằm ngoài khoảng đó." in field_errors(response, "score")
    certificate.refresh_from_db()
    assert certificate.score == Decimal("60")


def test_certificate_list_says_which_is_current_and_which_lapsed(admin_client, django_assert_max_num_queries):
    current = make_certified_product(stars=4, title="Chè Tiên Phước")
    lapsed = make_certified_product(stars=3, lapsed=True, title="Mắm cá cơm Hội An")
    superseded = CertificateFactory(product=current, stars=3, score=60, decision_date=days_ago(500))

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = admin_client.get(reverse("admin:catalogue_ocopcertificate_changelist"))

    rows = {
        certificate.pk: re.search(rf'value="{certificate.pk}".*?</tr>', response.content.decode(), re.S).group(0)
        for certificate in OcopCertificate.objects.all()
    }
    assert "đang hiệu lực" in rows[current.certificates.get(stars=4).pk]
    assert "đã hết hạn" in rows[lapsed.certificates.get().pk]
    assert "đã được thay thế" in rows[superseded.pk]


# --- Product admin with its certificates inline -----------------------------


def post_new_certificate_rows(admin_client, product, *rows: dict):
    """Post the product's change form as it stands, plus new certificate rows in its inline."""
    url = reverse("admin:catalogue_product_change", args=[product.pk])
    data = form_data(admin_client.get(url))
    existing = int(data["certificates-TOTAL_FORMS"])
    data["certificates-TOTAL_FORMS"] = str(existing + len(rows))
    for index, row in enumerate(rows, start=existing):
        fields = certificate_data(product, **row)
        del fields["product"]  # the inline's parent
        data.update({f"certificates-{index}-{name}": value for name, value in fields.items()})
    return admin_client.post(url, data)


def inline_errors(response, index: int) -> dict:
    return response.context["inline_admin_formsets"][0].formset.forms[index].errors


def test_product_inline_refuses_a_duplicate_decision_number_on_the_field(admin_client):
    product = make_certified_product(stars=4)
    number = product.certificates.get().decision_number
    message = f"Sản phẩm này đã có giấy chứng nhận với số quyết định {number}."

    response = post_new_certificate_rows(
        admin_client, product, {"score": "80", "decision_number": number, "kind": "renewal"}
    )

    assert response.status_code == 200
    assert inline_errors(response, 1)["decision_number"] == [message]
    assert message in response.content.decode()
    assert product.certificates.count() == 1


def test_product_inline_refuses_two_new_rows_with_one_decision_number(admin_client):
    product = ProductFactory()

    response = post_new_certificate_rows(
        admin_client,
        product,
        {"stars": 3, "score": "60", "decision_number": "77/QĐ-UBND"},
        {"stars": 4, "score": "80", "decision_number": "77/QĐ-UBND", "decision_date": days_ago(11).isoformat()},
    )

    assert response.status_code == 200
    assert inline_errors(response, 1)["decision_number"] == [
        "Sản phẩm này đã có giấy chứng nhận với số quyết định 77/QĐ-UBND."
    ]
    assert not product.certificates.exists()


def test_product_inline_refuses_a_score_outside_the_band(admin_client):
    product = ProductFactory()

    response = post_new_certificate_rows(admin_client, product, {"stars": 5, "score": "75", "level": "central"})

    assert response.status_code == 200
    assert inline_errors(response, 0)["score"] == ["Giấy chứng nhận 5★ cần điểm từ 90–100; 75 nằm ngoài khoảng đó."]
    assert not product.certificates.exists()


def test_product_inline_adds_a_valid_renewal(admin_client):
    product = make_certified_product(stars=4)

    response = post_new_certificate_rows(
        admin_client, product, {"score": "82", "decision_number": "555/QĐ-UBND", "kind": "renewal"}
    )

    assert response.status_code == 302
    renewal = product.certificates.get(decision_number="555/QĐ-UBND")
    assert renewal.kind == "renewal" and renewal.score == Decimal("82")


# --- Producers and districts -----------------------------------------------


def test_producer_list_filters_by_kind_and_district(admin_client, django_assert_max_num_queries):
    cooperative = ProducerFactory(partner__name="HTX Rau Trà Quế", kind="cooperative", district__name="Hội An")
    ProducerFactory(partner__name="Công ty Sâm Ngọc Linh", kind="enterprise", district__name="Nam Trà My")

    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = admin_client.get(
            reverse("admin:catalogue_producer_changelist"),
            {"kind__exact": "cooperative", "district__id__exact": cooperative.district_id},
        )

    html = response.content.decode()
    assert "HTX Rau Trà Quế" in html
    assert "Công ty Sâm Ngọc Linh" not in html


def test_producer_search_finds_by_name(admin_client):
    ProducerFactory(partner__name="HTX Rau Trà Quế")
    ProducerFactory(partner__name="Công ty Sâm Ngọc Linh")

    response = admin_client.get(reverse("admin:catalogue_producer_changelist"), {"q": "Trà Quế"})

    html = response.content.decode()
    assert "HTX Rau Trà Quế" in html
    assert "Công ty Sâm Ngọc Linh" not in html


def test_district_list_shows_districts(admin_client):
    response = admin_client.get(reverse("admin:catalogue_district_changelist"), {"q": "Hội An"})

    assert response.status_code == 200
    assert "Hội An" in response.content.decode()


def test_admin_records_who_verified_a_certificate(admin_client):
    product = ProductFactory()

    response = admin_client.post(
        reverse("admin:catalogue_ocopcertificate_add"), certificate_data(product, decision_number="77/QĐ-UBND")
    )

    assert response.status_code == 302
    certificate = OcopCertificate.objects.get(product=product, decision_number="77/QĐ-UBND")
    assert certificate.reviewed_by.email == "quantri@socongthuong.quangnam.gov.vn"
    assert certificate.reviewed_at is not None


def test_product_inline_records_who_verified_a_new_certificate(admin_client):
    product = make_certified_product(stars=4)

    post_new_certificate_rows(
        admin_client, product, {"score": "82", "decision_number": "556/QĐ-UBND", "kind": "renewal"}
    )

    renewal = product.certificates.get(decision_number="556/QĐ-UBND")
    assert renewal.reviewed_by.email == "quantri@socongthuong.quangnam.gov.vn"
