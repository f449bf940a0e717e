import pytest
from django.core.management import call_command

from catalog.tests.factories import DistrictFactory, ProducerFactory
from search.models import ProductSearchText
from search.tests.factories import listed_product, subgroup

pytestmark = pytest.mark.django_db


def test_saving_a_product_writes_its_folded_title_and_text():
    producer = ProducerFactory(partner__name="HTX Nông nghiệp Đại Lộc", district=DistrictFactory(name="Đại Lộc"))
    product = listed_product(title="Nước mắm Cửa Đại", title_en="Cua Dai fish sauce", producer=producer)

    row = ProductSearchText.objects.get(product=product)
    assert row.title == " nuoc mam cua dai "
    assert "cua dai fish sauce" in row.text
    assert "htx nong nghiep dai loc" in row.text
    assert "dai loc" in row.text


def test_filing_a_product_under_a_subgroup_makes_group_and_subgroup_searchable():
    category = subgroup("beverage")
    product = listed_product(title="Rượu Hồng Đào")

    product.categories.add(category)

    text = ProductSearchText.objects.get(product=product).text
    assert "do uong" in text  # the group: Đồ uống
    assert "do uong co con" in text  # the sub-group: Đồ uống có cồn


def test_renaming_a_producer_reindexes_its_products():
    product = listed_product(title="Trà thảo mộc")
    partner = product.producer.partner

    partner.name = "Công ty Sâm Ngọc Linh"
    partner.save()

    assert "cong ty sam ngoc linh" in ProductSearchText.objects.get(product=product).text


def test_rebuild_command_restores_missing_rows():
    first = listed_product(title="Bánh tráng Đại Lộc")
    second = listed_product(title="Mì Quảng Phú Chiêm")
    ProductSearchText.objects.all().delete()

    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))

    assert set(ProductSearchText.objects.values_list("product_id", "title")) == {
        (first.pk, " banh trang dai loc "),
        (second.pk, " mi quang phu chiem "),
    }


def test_migrate_indexes_products_that_have_no_row_yet():
    product = listed_product(title="Gạo hữu cơ")
    ProductSearchText.objects.all().delete()

    call_command("migrate", "search", verbosity=0)

    assert ProductSearchText.objects.get(product=product).title == " gao huu co "
