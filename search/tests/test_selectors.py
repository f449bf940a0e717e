from decimal import Decimal

import pytest

from catalog.tests.factories import DistrictFactory, ProducerFactory, StockRecordFactory
from outlets import stock
from search.selectors import (
    ProductFilters,
    facet_counts,
    find_products,
    group_categories,
    suggest_query,
    vocabulary,
)
from search.tests.factories import group, listed_product, subgroup

pytestmark = pytest.mark.django_db


def titles(filters: ProductFilters) -> list[str]:
    return [product.title for product in find_products(filters, groups=group_categories())]


def test_query_without_tone_marks_finds_vietnamese_title():
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Trà sâm Ngọc Linh")

    assert titles(ProductFilters(query="nuoc mam")) == ["Nước mắm Cửa Đại"]
    assert titles(ProductFilters(query="NƯỚC MẮM")) == ["Nước mắm Cửa Đại"]


def test_terms_match_the_start_of_words_not_their_middle():
    listed_product(title="Nước mắm Cửa Đại")

    assert titles(ProductFilters(query="mam")) == ["Nước mắm Cửa Đại"]
    assert titles(ProductFilters(query="ma")) == ["Nước mắm Cửa Đại"]
    assert titles(ProductFilters(query="am")) == []


def test_every_word_of_the_query_must_match():
    listed_product(title="Trà sâm Ngọc Linh")
    listed_product(title="Trà xanh Tiên Phước")

    assert titles(ProductFilters(query="tra linh")) == ["Trà sâm Ngọc Linh"]


def test_products_with_the_phrase_in_their_title_rank_first():
    producer = ProducerFactory(partner__name="Cơ sở Mật ong rừng")
    listed_product(title="Rượu nếp than", producer=producer, stars=5)
    listed_product(title="Mật ong rừng Tây Giang", stars=3)

    assert titles(ProductFilters(query="mat ong")) == ["Mật ong rừng Tây Giang", "Rượu nếp than"]


def test_a_whole_word_in_the_title_ranks_above_a_word_that_only_starts_with_it():
    listed_product(title="Bánh tráng Đại Lộc", stars=5)
    listed_product(title="Trà đẳng sâm", stars=3)

    assert titles(ProductFilters(query="tra")) == ["Trà đẳng sâm", "Bánh tráng Đại Lộc"]


def test_lapsed_and_hidden_products_are_not_listed():
    listed_product(title="Bánh dừa nướng")
    listed_product(title="Bánh dừa lapsed", lapsed=True)
    listed_product(title="Bánh dừa hidden", is_public=False)

    assert titles(ProductFilters(query="banh dua")) == ["Bánh dừa nướng"]


def test_category_includes_its_subgroups_products():
    listed_product(title="Cà phê", category=subgroup("food"))
    listed_product(title="Rượu", category=subgroup("beverage"))

    assert titles(ProductFilters(category=group("food"))) == ["Cà phê"]
    assert titles(ProductFilters(group="beverage")) == ["Rượu"]


def test_stars_district_and_price_filters_combine():
    hoi_an = DistrictFactory(name="Hội An thử", slug="hoi-an-test")
    listed_product(title="A", stars=5, price=Decimal("300000"), producer=ProducerFactory(district=hoi_an))
    listed_product(title="B", stars=4, price=Decimal("90000"), producer=ProducerFactory(district=hoi_an))
    listed_product(title="C", stars=5, price=Decimal("120000"))

    assert titles(ProductFilters(stars=(5,), districts=("hoi-an-test",))) == ["A"]
    assert titles(ProductFilters(price_min=Decimal("100000"), price_max=Decimal("200000"))) == ["C"]


def test_sorting_by_price_and_by_name_ignores_tone_marks():
    listed_product(title="Ớt", price=Decimal("50000"))
    listed_product(title="Bánh", price=Decimal("70000"))
    listed_product(title="Đậu", price=Decimal("60000"))

    assert titles(ProductFilters(sort="price-asc")) == ["Ớt", "Đậu", "Bánh"]
    assert titles(ProductFilters(sort="price-desc")) == ["Bánh", "Đậu", "Ớt"]
    # Folded: banh < dau < ot (Đ sorts as D, Ớ as O)
    assert titles(ProductFilters(sort="title")) == ["Bánh", "Đậu", "Ớt"]


def test_facet_counts_follow_the_other_filters_but_not_their_own():
    listed_product(title="Trà 5", stars=5, category=subgroup("food"))
    listed_product(title="Trà 4", stars=4, category=subgroup("food"))
    listed_product(title="Rượu 5", stars=5, category=subgroup("beverage"))

    facets = facet_counts(ProductFilters(stars=(5,), group="food"), groups=group_categories())

    # Group counts keep the stars filter: only 5★ products.
    assert [(option.value, option.count) for option in facets.groups] == [("food", 1), ("beverage", 1)]
    # Star counts keep the group filter, ignore the stars filter.
    assert [(option.value, option.count) for option in facets.stars] == [("5", 1), ("4", 1)]


def test_a_misspelt_query_gets_the_nearest_spelling_that_finds_something():
    listed_product(title="Nước mắm Cửa Đại")
    listed_product(title="Hidden nước mắm", lapsed=True)

    assert suggest_query("nuoc mamm") == "nuoc mam"
    assert suggest_query("nước mắmm") == "nuoc mam"
    assert suggest_query("xyzzy") == ""
    assert suggest_query("nuoc mam") == ""  # nothing to correct


def test_numbers_stay_as_typed_and_out_of_the_spelling_vocabulary():
    listed_product(title="Bánh tráng 500g loại 2")

    assert vocabulary() == {"banh", "trang", "loai"}
    assert suggest_query("banh trangg 500g") == "banh trang 500g"


def test_in_stock_filter_drops_sold_out_and_fully_allocated_products():
    listed_product(title="Còn hàng", stock=5)
    listed_product(title="Hết hàng", stock=0)
    allocated = listed_product(title="Đã giữ hết", stock=3)
    stock.allocate([stock.Need(record_id=allocated.stockrecords.get().pk, quantity=3)])
    partly = listed_product(title="Còn một", stock=3)
    stock.allocate([stock.Need(record_id=partly.stockrecords.get().pk, quantity=2)])

    assert sorted(titles(ProductFilters(in_stock=True))) == ["Còn hàng", "Còn một"]
    assert len(titles(ProductFilters())) == 4


def test_in_stock_filter_reads_the_first_stock_record_the_shop_sells_from():
    product = listed_product(title="Kho đầu hết", stock=0)
    StockRecordFactory(product=product, num_in_stock=9)

    assert titles(ProductFilters(in_stock=True)) == []


def test_in_stock_count_keeps_the_other_filters_and_star_counts_keep_the_in_stock_filter():
    listed_product(title="5 còn", stars=5, stock=2)
    listed_product(title="5 hết", stars=5, stock=0)
    listed_product(title="4 còn", stars=4, stock=1)
    listed_product(title="3 hết", stars=3, stock=0)

    unfiltered = facet_counts(ProductFilters(), groups=group_categories())
    assert unfiltered.in_stock == 2
    assert [(option.value, option.count) for option in unfiltered.stars] == [("5", 2), ("4", 1), ("3", 1)]

    five_stars = facet_counts(ProductFilters(stars=(5,)), groups=group_categories())
    assert five_stars.in_stock == 1

    in_stock = facet_counts(ProductFilters(in_stock=True), groups=group_categories())
    assert in_stock.in_stock == 2  # its own count ignores whether it is ticked
    assert [(option.value, option.count) for option in in_stock.stars] == [("5", 1), ("4", 1)]
    assert sum(option.count for option in in_stock.districts) == 2
