import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from catalog.tests.factories import CertificateFactory, DistrictFactory, ProducerFactory, days_ago
from search.cache import catalogue_version
from search.indexing import rebuild_index
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


def test_a_products_listing_row_holds_its_certificate_price_stock_group_and_district():
    district = DistrictFactory(name="Hội An", slug="hoi-an-thu")
    product = listed_product(
        title="Nước mắm Cửa Đại", stars=5, price=Decimal("85000"), stock=3, producer=ProducerFactory(district=district)
    )
    product.categories.add(subgroup("food"))

    row = ProductSearchText.objects.get(product=product)
    certificate = product.certificates.get()
    assert (row.is_listed, row.stars, row.valid_from, row.valid_until) == (
        True,
        5,
        certificate.decision_date,
        certificate.valid_until,
    )
    assert (row.price, row.in_stock) == (Decimal("85000"), True)
    assert (row.group_path, row.category_path) == (subgroup("food").path[:4], subgroup("food").path)
    assert (row.district_id, row.producer_id) == (district.pk, product.producer_id)


def test_a_renewal_a_price_change_and_a_sell_out_rewrite_the_row():
    product = listed_product(title="Trà thảo mộc", stars=3, lapsed=True)
    assert ProductSearchText.objects.get(product=product).valid_until < timezone.localdate()

    CertificateFactory(product=product, stars=4, decision_date=days_ago(10))
    record = product.stockrecords.get()
    record.price = Decimal("99000")
    record.num_allocated = record.num_in_stock
    record.save()

    row = ProductSearchText.objects.get(product=product)
    assert (row.stars, row.valid_from, row.price, row.in_stock) == (4, days_ago(10), Decimal("99000"), False)


def test_deleting_a_certificate_takes_the_product_out_of_the_listing_dates(django_capture_on_commit_callbacks):
    product = listed_product(title="Gạo lứt")
    with django_capture_on_commit_callbacks(execute=True):
        product.certificates.get().delete()

    row = ProductSearchText.objects.get(product=product)
    assert (row.stars, row.valid_from, row.valid_until) == (None, None, None)


def test_rebuild_reads_a_constant_number_of_queries_whatever_the_number_of_products(
    django_assert_max_num_queries,
):
    for index in range(12):
        listed_product(title=f"Bánh tráng {index}")
    ProductSearchText.objects.all().delete()

    # PostgreSQL adds three for its COPY path (the staging table, the merge, emptying the staging table).
    with django_assert_max_num_queries(12 if connection.vendor == "sqlite" else 15):
        assert rebuild_index() == 12

    assert ProductSearchText.objects.filter(is_listed=True, stars=4).count() == 12


def test_a_change_raises_the_catalogue_version_once_it_commits(django_capture_on_commit_callbacks):
    product = listed_product(title="Mật ong rừng")
    before = catalogue_version()

    with django_capture_on_commit_callbacks(execute=True):
        record = product.stockrecords.get()
        record.price = Decimal("120000")
        record.save()
        assert catalogue_version() == before  # not before the commit

    assert catalogue_version() > before


def test_the_search_document_and_the_listing_row_search_the_same_text():
    """One function builds the searchable text: the document's, folded, is the listing row's."""
    from search.documents import build_documents
    from search.text import index_words

    district = DistrictFactory(name="Đại Lộc")
    producer = ProducerFactory(partner__name="HTX Đại Lộc", district=district, commune="Ái Nghĩa")
    product = listed_product(
        title="Rượu Hồng Đào",
        title_en="Hong Dao wine",
        description="<p>Ủ <b>men lá</b></p>",
        producer=producer,
        category=subgroup("beverage"),
    )

    (document,), removed = build_documents([product.pk])

    row = ProductSearchText.objects.get(product=product)
    assert removed == []
    assert index_words(document.text) == row.text
    assert "do uong co con" in row.text and "men la" in row.text and "ai nghia" in row.text


@pytest.mark.postgres
def test_a_rebuild_on_postgresql_rewrites_changed_rows_and_leaves_the_others_alone():
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    kept = listed_product(title="Nón lá Gò Nổi")
    changed = listed_product(title="Chiếu cói Duy Xuyên")
    ProductSearchText.objects.filter(product=kept).update(updated_at=three_days_ago)
    ProductSearchText.objects.filter(product=changed).update(title=" cu ", stars=None, updated_at=three_days_ago)

    assert rebuild_index() == 2

    rows = {row.product_id: row for row in ProductSearchText.objects.all()}
    assert rows[kept.pk].updated_at == three_days_ago  # nothing changed: not written, no index work
    assert (rows[changed.pk].title, rows[changed.pk].stars) == (" chieu coi duy xuyen ", 4)
    assert rows[changed.pk].updated_at > three_days_ago
