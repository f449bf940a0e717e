"""Product descriptions never carry a script: sanitised when producers write them and when any page shows them."""

import pytest
from django.template import Context, Template
from oscar.core.loading import get_model

from catalog import services
from catalog.richtext import clean_description
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import SCRIPT_PAYLOAD as PAYLOAD
from catalog.tests.helpers import producer_user

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

FORMATTED = "<p><strong>Đậm</strong> và <em>nghiêng</em></p><ul><li>Một</li><li>Hai</li></ul>"
DETAIL_MAX_QUERIES = 20  # as in test_views: the product page reads a fixed number of queries


def render(value: str) -> str:
    return Template("{% load ocop_html %}{{ value|ocop_safe_html }}").render(Context({"value": value}))


def test_stored_description_keeps_the_allowed_formatting_and_drops_the_rest():
    assert clean_description(PAYLOAD) == "Ngon."
    assert clean_description(FORMATTED) == FORMATTED
    assert clean_description('<p onclick="x()" style="color:red">Chè <a href="javascript:x()">xanh</a></p>') == (
        "<p>Chè xanh</p>"
    )
    assert clean_description("Cá & mắm < 5 kg") == "Cá &amp; mắm &lt; 5 kg"


def test_filter_gives_plain_text_paragraphs_and_line_breaks():
    assert render("Dòng một\ndòng hai\n\nĐoạn hai") == "<p>Dòng một<br>dòng hai</p>\n\n<p>Đoạn hai</p>"
    assert render("<p>Đã có đoạn</p>") == "<p>Đã có đoạn</p>"
    assert render("") == ""


def test_an_edit_of_a_product_on_sale_is_sanitised_in_the_proposal():
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Trà sâm")
    Product.objects.filter(pk=product.pk).update(moderation="approved")
    product.refresh_from_db()
    revision = services.update_product(
        product=product,
        producer=producer,
        by=user,
        title="Trà sâm",
        category=Category.objects.filter(depth=2).first(),
        price=100000,
        stock=5,
        description=PAYLOAD,
        description_en=FORMATTED,
    )
    assert (revision.description, revision.description_en) == ("Ngon.", FORMATTED)


def test_allowed_formatting_survives_on_the_product_page(client, django_assert_max_num_queries):
    product = make_certified_product(title="Chè xanh", description=FORMATTED)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        page = client.get(product.get_absolute_url()).content.decode()
    assert FORMATTED in page
