"""With Elasticsearch configured but unreachable, the shop still saves products and still finds them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from search.models import ProductSearchText
from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db

CLOSED_PORT = "http://127.0.0.1:9"  # discard port: nothing listens, connections are refused


@pytest.fixture
def unreachable_elasticsearch(settings):
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.ELASTICSEARCH_INDEX = "ocop-products-unreachable"


def test_saving_a_product_while_elasticsearch_is_down_keeps_the_product_and_its_row(
    unreachable_elasticsearch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = listed_product(title="Nước mắm Cửa Đại")

    assert ProductSearchText.objects.get(product=product).title == " nuoc mam cua dai "


def test_search_answers_from_the_database_while_elasticsearch_is_down(unreachable_elasticsearch, client):
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Trà sâm")

    response = client.get(reverse("search:search"), {"q": "nuoc mam"})

    assert response.status_code == 200
    assert [product.title for product in response.context["products"]] == ["Nước mắm Cửa Đại"]


def test_migrate_while_elasticsearch_is_down_still_indexes_into_the_database(unreachable_elasticsearch):
    product = listed_product(title="Gạo hữu cơ")
    ProductSearchText.objects.all().delete()

    call_command("migrate", "search", verbosity=0)

    assert ProductSearchText.objects.get(product=product).title == " gao huu co "
