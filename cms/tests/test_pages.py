"""The Wagtail home page: hero, introduction and featured certified products."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import make_certified_product
from cms.models import HomePage

pytestmark = pytest.mark.django_db


def test_an_empty_shop_has_a_vietnamese_home_page_at_the_root(client, home):
    response = client.get("/")

    assert response.status_code == 200
    assert isinstance(home, HomePage)
    page = response.content.decode()
    assert "Sản phẩm OCOP chính hiệu của Quảng Nam" in page
    assert "Sở Công Thương" in page
    assert 'href="/catalogue/"' in page


def test_the_hero_button_goes_where_the_editor_links_it(client, home):
    home.hero_cta_text = "Xem Tết OCOP"
    home.hero_cta_link = "/khuyen-mai/tet-ocop/"
    home.full_clean()
    home.save_revision().publish()

    page = client.get("/").content.decode()

    assert '<a class="btn btn-primary btn-lg" href="/khuyen-mai/tet-ocop/">' in page


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "ftp://example.vn/", "khuyen-mai"])
def test_the_hero_button_refuses_a_link_that_is_not_a_site_path_or_web_address(home, link):
    from django.core.exceptions import ValidationError

    home.hero_cta_link = link
    with pytest.raises(ValidationError) as refused:
        home.full_clean()
    assert "hero_cta_link" in refused.value.message_dict


def test_the_home_page_features_certified_products_with_their_badge(client, home):
    five = make_certified_product(stars=5, title="Bánh dừa nướng thử")
    four = make_certified_product(stars=4, title="Nước mắm thử")
    three = make_certified_product(stars=3, title="Chổi đót thử")
    lapsed = make_certified_product(stars=5, lapsed=True, title="Trà sâm hết hạn")

    response = client.get("/")

    page = response.content.decode()
    assert five.title in page
    assert four.title in page
    assert three.title not in page  # the home page features 4★ and above
    assert lapsed.title not in page
    assert "OCOP 5 sao" in page
    assert "OCOP 4 sao" in page


def test_the_editor_chooses_how_many_stars_a_featured_product_needs(client, home):
    make_certified_product(stars=4, title="Nước mắm thử")
    make_certified_product(stars=5, title="Bánh dừa nướng thử")
    home.featured_min_stars = 5
    home.save_revision().publish()

    page = client.get("/").content.decode()

    assert "Bánh dừa nướng thử" in page
    assert "Nước mắm thử" not in page


def home_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_query_count_does_not_grow_with_featured_products(client, home, django_assert_max_num_queries):
    home.featured_count = 8
    home.save()
    for index in range(4):
        make_certified_product(stars=5, title=f"Sản phẩm thử {index}")
    with_four = home_page_queries(client)
    assert with_four <= 20
    for index in range(4, 8):
        make_certified_product(stars=4, title=f"Sản phẩm thử {index}")

    with django_assert_max_num_queries(with_four):
        response = client.get("/")

    assert response.content.decode().count('class="product_pod') == 8


def test_the_home_page_is_edited_in_the_wagtail_admin(admin_client, home):
    response = admin_client.get(f"/cms-admin/pages/{home.pk}/edit/")

    assert response.status_code == 200
    page = response.content.decode()
    for field in ("hero_title", "hero_text", "introduction", "featured_min_stars", "featured_count", "hero_title_en"):
        assert f'name="{field}"' in page


def test_the_wagtail_admin_loads_no_avatar_from_gravatar(admin_client, home, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):  # measured 19
        dashboard = admin_client.get("/cms-admin/")
    editor = admin_client.get(f"/cms-admin/pages/{home.pk}/edit/")

    assert dashboard.status_code == editor.status_code == 200
    assert "gravatar" not in dashboard.content.decode().lower()
    assert "gravatar" not in editor.content.decode().lower()


def test_the_english_home_page_shows_the_english_hero_and_introduction(
    client, home, settings, django_assert_max_num_queries
):
    settings.LANGUAGE_CODE = "en"

    with django_assert_max_num_queries(20):
        response = client.get("/")

    page = response.content.decode()
    assert "Genuine OCOP products of Quảng Nam" in page
    assert "Buy directly from cooperatives" in page
    assert "See all products" in page
    assert "The One Commune One Product (OCOP) programme" in page
    assert "Featured OCOP products" in page
    for vietnamese in ("Sản phẩm OCOP chính hiệu", "Mua trực tiếp", "Xem tất cả sản phẩm", "Chương trình Mỗi xã"):
        assert vietnamese not in page


def test_an_english_field_left_empty_shows_the_vietnamese_text(client, home, settings):
    home.hero_title_en = ""
    home.save_revision().publish()
    settings.LANGUAGE_CODE = "en"

    page = client.get("/").content.decode()

    assert "Sản phẩm OCOP chính hiệu của Quảng Nam" in page
    assert "Buy directly from cooperatives" in page


def test_the_vietnamese_home_page_ignores_the_english_fields(client, home):
    page = client.get("/").content.decode()

    assert "Sản phẩm OCOP chính hiệu của Quảng Nam" in page
    assert "Genuine OCOP products of Quảng Nam" not in page
