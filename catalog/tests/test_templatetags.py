import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalog.models import Product
from catalog.selectors import product_cards
from catalog.tests.factories import CertificateFactory, ProductFactory, days_ago, make_certified_product

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load ocop_tags %}" + source).render(Context(context))


def test_badge_shows_the_current_certificates_stars_with_a_text_alternative():
    product = make_certified_product(stars=4)

    with translation.override("vi"):
        html = render("{% ocop_badge product %}", product=product)

    assert "★★★★" in html
    assert "★★★★★" not in html
    assert "OCOP 4 sao" in html
    assert 'aria-hidden="true"' in html


def test_badge_text_is_english_on_english_pages():
    product = make_certified_product(stars=5)

    with translation.override("en"):
        html = render("{% ocop_badge product %}", product=product)

    assert "OCOP 5 stars" in html


def test_no_badge_for_a_lapsed_certificate():
    product = make_certified_product(stars=4, lapsed=True)

    assert render("{% ocop_badge product %}", product=product).strip() == ""


def test_no_badge_for_a_product_without_a_verified_certificate():
    product = ProductFactory()
    CertificateFactory(product=product, status="pending")

    assert render("{% ocop_badge product %}", product=product).strip() == ""


def test_badges_of_a_product_list_cost_no_query_per_product():
    for stars in (3, 4, 5, 4, 3):
        make_certified_product(stars=stars)
    products = list(product_cards(Product.objects.order_by("pk")))

    with CaptureQueriesContext(connection) as queries, translation.override("vi"):
        html = render("{% for p in products %}{% ocop_badge p %}{% endfor %}", products=products)

    assert len(queries) == 0
    assert html.count("ocop-badge__label") == 5


def test_title_is_english_when_browsing_in_english_and_an_english_title_is_set():
    product = make_certified_product(title="Trà đảng sâm", title_en="Codonopsis tea")

    with translation.override("en"):
        assert render("{{ product|ocop_title }}", product=product) == "Codonopsis tea"
    with translation.override("vi"):
        assert render("{{ product|ocop_title }}", product=product) == "Trà đảng sâm"


def test_title_stays_vietnamese_in_english_without_an_english_title():
    product = make_certified_product(title="Nước mắm Duy Trinh", title_en="")

    with translation.override("en"):
        assert render("{{ product|ocop_title }}", product=product) == "Nước mắm Duy Trinh"


def test_earlier_certificates_leave_out_the_current_one_and_unverified_ones():
    product = make_certified_product(stars=4)
    old = CertificateFactory(product=product, stars=3, score=60, decision_date=days_ago(1200))
    CertificateFactory(product=product, stars=5, score=95, status="rejected", decision_date=days_ago(10))

    earlier = render(
        "{% ocop_earlier_certificates product as earlier %}{% for c in earlier %}{{ c.pk }};{% endfor %}",
        product=Product.objects.get(pk=product.pk),
    )

    assert earlier == f"{old.pk};"
