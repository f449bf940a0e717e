"""The admin's product chooser: catalogue products only, searched by name and filtered by former district."""

import pytest

from catalog.tests.factories import DistrictFactory, ProducerFactory, make_certified_product

pytestmark = pytest.mark.django_db


def test_the_editor_searches_products_by_name_in_the_chooser(editor_client, django_assert_max_num_queries):
    make_certified_product(title="Trà sâm Ngọc Linh")
    make_certified_product(title="Nước mắm Cửa Khe")
    hidden = make_certified_product(title="Trà ẩn")
    hidden.is_public = False
    hidden.save()

    with django_assert_max_num_queries(25):
        response = editor_client.get("/cms-admin/product-chooser/results/?q=Tr%C3%A0")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Trà sâm Ngọc Linh" in page
    assert "Nước mắm Cửa Khe" not in page
    assert "Trà ẩn" not in page


def test_the_chooser_filters_by_former_district(editor_client):
    dai_loc = DistrictFactory(name="Đại Lộc")
    make_certified_product(title="Bánh tráng Đại Lộc", producer=ProducerFactory(district=dai_loc))
    make_certified_product(title="Rượu Hội An")

    page = editor_client.get(f"/cms-admin/product-chooser/results/?district={dai_loc.pk}").content.decode()

    assert "Bánh tráng Đại Lộc" in page
    assert "Rượu Hội An" not in page


def test_a_customer_cannot_open_the_product_chooser(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(username="khach", password="pw-12345678"))

    assert client.get("/cms-admin/product-chooser/").status_code in (302, 403)
