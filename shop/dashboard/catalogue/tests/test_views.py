"""Staff edit a product's OCOP certificates on Oscar's dashboard product page, with the admin's checks."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.tests.factories import CertificateFactory, make_certified_product

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")

# Measured 63 on a first visit: Oscar's category choices take one query per reference category
# (27 of them); the certificates take one query whatever their number (see the test below).
PRODUCT_PAGE_MAX_QUERIES = 63


@pytest.fixture
def staff_client(admin_client):
    return admin_client


def filed_product():
    """A certified product filed under a product group, as the dashboard requires to save it."""
    product = make_certified_product()
    product.categories.add(Category.objects.filter(depth=2).order_by("path").first())
    return product


def bound_values(form) -> dict:
    """What the browser would send back for an unchanged form."""
    data = {}
    for name in form.fields:
        if isinstance(form.fields[name], forms.FileField):
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        key = form.add_prefix(name)
        if form.fields[name].show_hidden_initial:  # a callable model default, e.g. the currency
            data[form.add_initial_prefix(name)] = str(value)
        if value is True:
            data[key] = "on"
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)
    return data


def page_as_post(response) -> dict:
    """The product page's forms as the browser would post them unchanged."""
    context = response.context
    data = bound_values(context["form"])
    for name in (
        "category_formset",
        "image_formset",
        "recommended_formset",
        "stockrecord_formset",
        "certificate_formset",
    ):
        formset = context[name]
        data.update(bound_values(formset.management_form))
        for form in formset.forms:
            data.update(bound_values(form))
    return data


def post_new_certificate(staff_client, product, **fields):
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    data = page_as_post(staff_client.get(url))
    prefix = "certificates"
    index = int(data[f"{prefix}-TOTAL_FORMS"]) - 1  # the extra, empty row
    row = {
        "stars": "4",
        "score": "80",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": str(timezone.localdate() - datetime.timedelta(days=10)),
        "level": "province",
        "kind": "renewal",
        "status": "verified",
        **fields,
    }
    data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return staff_client.post(url, data)


def certificate_errors(response) -> dict:
    return {
        name: [str(error) for error in errors]
        for form in response.context["certificate_formset"]
        for name, errors in form.errors.items()
    }


def product_page_queries(client, product) -> int:
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_staff_see_the_certificates_tab_on_the_product_page(staff_client, django_assert_max_num_queries):
    product = filed_product()
    certificate = product.certificates.get()

    with django_assert_max_num_queries(PRODUCT_PAGE_MAX_QUERIES):
        response = staff_client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#ocop_certificates"' in html
    assert f'value="{certificate.decision_number}"' in html


def test_the_product_page_queries_do_not_grow_with_certificates(staff_client):
    one = filed_product()
    three = filed_product()
    for number in ("1/QĐ-UBND-cu", "2/QĐ-UBND-cu"):
        CertificateFactory(product=three, decision_number=number)

    assert product_page_queries(staff_client, one) == product_page_queries(staff_client, three)


def test_a_valid_certificate_is_saved(staff_client):
    product = filed_product()

    response = post_new_certificate(staff_client, product, decision_number="77/QĐ-UBND", score="85")

    assert response.status_code == 302, certificate_errors(response)
    saved = product.certificates.get(decision_number="77/QĐ-UBND")
    assert (saved.stars, saved.score, saved.kind) == (4, Decimal("85"), "renewal")
    assert product.certificates.count() == 2
    assert saved.reviewed_by is not None and saved.reviewed_by.is_staff  # who verified it is on record
    assert saved.reviewed_at is not None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"stars": "4", "score": "95"}, "score", "Giấy chứng nhận 4★ cần điểm từ 70–89; 95 nằm ngoài khoảng đó."),
        (
            {"decision_date": str(timezone.localdate() + datetime.timedelta(days=3))},
            "decision_date",
            "Ngày quyết định không thể ở tương lai.",
        ),
    ],
)
def test_a_certificate_breaking_a_rule_is_refused_on_its_field(staff_client, fields, field, message):
    product = filed_product()

    response = post_new_certificate(staff_client, product, **fields)

    assert response.status_code == 200
    assert certificate_errors(response) == {field: [message]}
    assert message in response.content.decode()
    assert product.certificates.count() == 1


def test_a_decision_number_the_product_already_has_is_refused(staff_client):
    product = filed_product()
    existing = product.certificates.get()

    response = post_new_certificate(staff_client, product, decision_number=existing.decision_number)

    assert response.status_code == 200
    assert certificate_errors(response) == {
        "decision_number": [f"Sản phẩm này đã có giấy chứng nhận với số quyết định {existing.decision_number}."]
    }
    assert product.certificates.count() == 1
    assert OcopCertificate.objects.filter(decision_number=existing.decision_number).count() == 1


def test_the_certificate_row_shows_its_last_valid_day(staff_client):
    product = filed_product()
    certificate = product.certificates.get()
    last_day = certificate.valid_until - datetime.timedelta(days=1)

    html = staff_client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})).content.decode()

    assert last_day.strftime("%d/%m/%Y") in html


def test_a_producer_on_the_dashboard_gets_no_certificate_tab(client, django_user_model):
    product = filed_product()
    producer_user = django_user_model.objects.create_user(username="htx", password="x")
    producer_user.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    product.producer.partner.users.add(producer_user)
    client.force_login(producer_user)

    response = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": product.pk}))

    assert response.status_code == 200
    assert "certificate_formset" not in response.context
    assert 'href="#ocop_certificates"' not in response.content.decode()
