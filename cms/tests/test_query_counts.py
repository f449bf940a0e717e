"""The home and campaign pages answer in a fixed number of queries, whatever the number of products they show.

Each page is measured with 10 and with 50 products under the same cap (Saleor's
"number of queries is constant" rule): the cards, their badges, campaign prices
and the rule-chosen lists are all loaded in bulk.
"""

import pytest

from catalog.tests.factories import DistrictFactory, make_certified_product
from cms.tests.factories import make_campaign, rule_block

pytestmark = pytest.mark.django_db

HOME_PAGE_QUERIES = 30
CAMPAIGN_PAGE_QUERIES = 40


@pytest.mark.parametrize("count", [10, 50])
def test_the_home_page_query_count_does_not_grow_with_its_products(client, home, count, django_assert_max_num_queries):
    products = [make_certified_product(stars=5, title=f"Sản phẩm nổi bật {index}") for index in range(count)]
    type(home).objects.filter(pk=home.pk).update(featured_count=count)  # the form allows 24; the page, any number
    make_campaign(title="Tết OCOP", products=products, percent=10)  # every card carries a campaign price
    make_campaign(title="Hè OCOP", products=products[:1], percent=5)
    client.get("/")  # warm the per-process caches (site root paths, content types)

    with django_assert_max_num_queries(HOME_PAGE_QUERIES):
        page = client.get("/").content.decode()

    assert page.count('class="product_pod') == count
    assert page.count("<del") >= count
    assert "Tết OCOP" in page and "Hè OCOP" in page


@pytest.mark.slow
@pytest.mark.parametrize("count", [10, 50])
def test_the_campaign_page_query_count_does_not_grow_with_its_product_lists(
    client, sections, count, django_assert_max_num_queries
):
    district = DistrictFactory(name="Tiên Phước (thử)")
    picked = [make_certified_product(title=f"Chọn tay {index}") for index in range(count)]
    for index in range(count):
        make_certified_product(title=f"Theo tiêu chí {index}", producer__district=district)
    campaign = make_campaign(products=picked, percent=10, body=[rule_block(district=district, limit=count)])
    client.get(campaign.url)

    with django_assert_max_num_queries(CAMPAIGN_PAGE_QUERIES):
        page = client.get(campaign.url).content.decode()

    assert page.count('class="product_pod') == 2 * count
    assert page.count("<del") >= 2 * count  # the rule's products carry the campaign price too
