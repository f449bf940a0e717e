"""A producer's description never carries a script, from the portal's form to the product page and the queue."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import moderation
from catalog.richtext import clean_description
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import SCRIPT_PAYLOAD as PAYLOAD
from catalog.tests.helpers import make_user, producer_user

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


def assert_no_script(html: str) -> None:
    """Neither the image with its handler nor the script element reaches the page as markup."""
    assert "onerror" not in html
    assert not re.search(r"<img[^>]*src=.?x", html)
    assert not re.search(r"<script>[^<]*XSS-FIRED", html)


def test_producers_script_never_runs_on_the_product_page_before_or_after_approval(client):
    user, producer = producer_user()
    client.force_login(user)
    subgroup = Category.objects.filter(depth=2).order_by("path").first()
    client.post(
        reverse("portal:product_create"),
        {
            "title": "Mật ong rừng",
            "description": PAYLOAD,
            "description_en": PAYLOAD,
            "category": subgroup.pk,
            "price": "185000",
            "stock": "12",
        },
    )
    product = Product.objects.get(producer=producer)
    assert (product.description, product.description_en) == ("Ngon.", "Ngon.")
    # A row stored before the rule (or typed by staff in the dashboard) is shown safely too.
    Product.objects.filter(pk=product.pk).update(description=PAYLOAD, description_en=PAYLOAD)

    reviewer = make_user("kiemduyet@socongthuong.vn", is_staff=True)
    staff = Client()
    staff.force_login(reviewer)
    preview = staff.get(product.get_absolute_url())
    assert preview.status_code == 200
    assert_no_script(preview.content.decode())
    assert "Ngon." in preview.content.decode()
    queue = staff.get(reverse("moderation:queue"))
    assert_no_script(queue.content.decode())

    moderation.decide(subject="product", decision="approved", target=product, by=reviewer)
    for language in ("vi", "en"):
        visitor = Client(HTTP_ACCEPT_LANGUAGE=language)
        visitor.cookies["django_language"] = language
        page = visitor.get(product.get_absolute_url())
        assert page.status_code == 200
        assert_no_script(page.content.decode())
        assert "<p>Ngon.</p>" in page.content.decode()


def test_the_edit_form_shows_an_ampersand_as_typed_and_saving_unchanged_proposes_nothing(client):
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Cá mắm")
    Product.objects.filter(pk=product.pk).update(moderation="approved", description=clean_description("Cá & mắm"))
    client.force_login(user)
    url = reverse("portal:product_edit", args=[product.pk])

    page = client.get(url).content.decode()

    assert "Cá &amp; mắm</textarea>" in page and "&amp;amp;" not in page
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in ("title", "title_en", "description", "description_en", "stock")}
    data.update(category=Category.objects.filter(depth=2).first().pk, price=form["price"].value(), weight_grams="")
    assert client.post(url, data).status_code == 302
    assert not product.revisions.exists()
