"""Suggestions as the shopper types, and the page that explains an empty search, on the database backend
(test_elasticsearch.py has the same on Elasticsearch)."""

import pytest
from django.urls import reverse

from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db


def test_suggest_returns_json_of_listed_products_completing_the_words(client, django_assert_max_num_queries):
    best = listed_product(title="Mật ong rừng Tây Giang", stars=5)
    listed_product(title="Mật ong Phước Lộc", stars=3)
    listed_product(title="Mật ong cũ", lapsed=True)
    listed_product(title="Nước mắm Cửa Khe")

    with django_assert_max_num_queries(3):
        response = client.get(reverse("search:suggest"), {"q": "mat o"})

    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "mat o"
    assert data["suggestions"][0] == {"title": best.title, "url": best.get_absolute_url(), "stars": 5}
    assert [s["title"] for s in data["suggestions"]] == ["Mật ong rừng Tây Giang", "Mật ong Phước Lộc"]


def test_suggest_with_nothing_typed_or_a_bad_character_answers_an_empty_list(client):
    listed_product(title="Mật ong")

    assert client.get(reverse("search:suggest")).json()["suggestions"] == []
    assert client.get(reverse("search:suggest"), {"q": "m\x00"}).json()["suggestions"] == []


def test_every_page_loads_the_suggestion_script_for_the_search_box(client):
    html = client.get(reverse("catalogue:index")).content.decode()

    assert 'src="/static/search/suggest.js"' in html
    assert f'data-url="{reverse("search:suggest")}"' in html


def test_a_search_that_only_finds_lapsed_products_says_so_and_links_them(client, django_assert_max_num_queries):
    lapsed = listed_product(title="Rượu Hồng Đào cũ", lapsed=True)
    listed_product(title="Trà xanh")

    with django_assert_max_num_queries(20):
        response = client.get(reverse("search:search"), {"q": "hong dao"})

    html = response.content.decode()
    assert "1 sản phẩm khớp với “hong dao” nhưng đã ngừng bán: giấy chứng nhận OCOP đã hết hạn." in html
    block = html.split("data-lapsed-products")[1].split("</div>")[0]
    assert f'href="{lapsed.get_absolute_url()}"' in block and "ngừng bán" in block


def test_a_search_that_finds_nothing_at_all_lists_no_lapsed_products(client):
    listed_product(title="Trà xanh")

    html = client.get(reverse("search:search"), {"q": "sau rieng"}).content.decode()

    assert "data-lapsed-products" not in html
