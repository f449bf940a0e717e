"""Campaign pages and their discount: an Oscar offer that lives only inside the window of a live page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from cms.models import CampaignPage
from cms.tests.factories import make_campaign

pytestmark = pytest.mark.django_db

ConditionalOffer = get_model("offer", "ConditionalOffer")
Category = get_model("catalogue", "Category")


def test_publishing_a_campaign_opens_an_offer_over_its_products_for_its_window(sections):
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    other = make_certified_product(title="Nước mắm")

    campaign = make_campaign(products=[tea], percent=10)

    offer = ConditionalOffer.objects.get()
    assert campaign.offer == offer
    assert offer.status == ConditionalOffer.OPEN
    assert (offer.start_datetime, offer.end_datetime) == (campaign.starts_at, campaign.ends_at)
    assert offer.benefit.proxy().name == "Giảm 10%"
    assert offer.benefit.range.contains_product(tea)
    assert not offer.benefit.range.contains_product(other)


def test_the_campaign_page_shows_its_products_with_badge_and_struck_price(client, sections):
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    lapsed = make_certified_product(title="Trà hết hạn", lapsed=True)
    campaign = make_campaign(products=[tea, lapsed], percent=10)

    page = client.get(campaign.url).content.decode()

    assert "Trà sâm" in page
    assert "Trà hết hạn" not in page  # never a product that cannot be bought
    assert "-10%" in page
    assert "135.000" in page and "<del" in page and "150.000" in page


def test_the_product_page_and_the_catalogue_show_the_campaign_price(client, sections):
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, badge="Tết -10%")

    product_page = client.get(tea.get_absolute_url()).content.decode()
    catalogue = client.get("/catalogue/").content.decode()

    for page in (product_page, catalogue):
        assert "Tết -10%" in page
        assert "135.000" in page
        assert "150.000" in page


def test_an_upcoming_campaign_changes_no_price_but_is_announced(client, sections):
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    make_campaign(title="Tết sắp tới", products=[tea], starts_in=datetime.timedelta(days=3))

    product_page = client.get(tea.get_absolute_url()).content.decode()
    index = client.get("/khuyen-mai/").content.decode()

    assert "135.000" not in product_page
    assert "Sắp diễn ra" in index and "Tết sắp tới" in index


def test_unpublishing_the_campaign_ends_the_discount(client, sections):
    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    campaign = make_campaign(products=[tea])

    campaign.unpublish()

    assert ConditionalOffer.objects.get().status == ConditionalOffer.SUSPENDED
    assert "135.000" not in client.get(tea.get_absolute_url()).content.decode()


def test_deleting_the_campaign_ends_the_discount_and_keeps_the_offer_for_the_report(sections):
    tea = make_certified_product(title="Trà sâm")
    make_campaign(products=[tea]).delete()

    assert ConditionalOffer.objects.get().status == ConditionalOffer.SUSPENDED


def test_a_campaign_can_discount_a_whole_product_group(client, sections):
    group = Category.add_root(name="Thực phẩm")
    tea = make_certified_product(title="Bánh tráng", price=Decimal("50000"))
    tea.categories.add(group)
    make_campaign(
        percent=None,
        discount_kind="amount",
        discount_value=Decimal("5000"),
        discount_scope="group",
        discount_group=group,
    )

    page = client.get("/catalogue/").content.decode()

    assert "45.000" in page and "-5.000 ₫" in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"discount_value": Decimal("95")}, "discount_value", "tối đa 90%"),
        ({"discount_value": None}, "discount_value", "Nhập mức giảm"),
        ({"discount_kind": "amount", "discount_value": Decimal("1500.5")}, "discount_value", "số nguyên"),
        ({"discount_scope": "group"}, "discount_group", "nhóm sản phẩm"),
    ],
)
def test_a_campaign_with_a_wrong_discount_is_refused_in_vietnamese(sections, fields, field, message):
    tea = make_certified_product(title="Trà sâm")
    campaign = make_campaign(products=[tea], publish=False)
    for name, value in fields.items():
        setattr(campaign, name, value)

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert message in " ".join(error.value.message_dict[field])


def test_a_product_discount_needs_a_hand_picked_product_list(sections):
    campaign = make_campaign(publish=False, percent=None)
    campaign.discount_kind, campaign.discount_value = "percentage", Decimal(10)

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert "discount_scope" in error.value.message_dict


def test_the_campaign_window_must_end_after_it_starts(sections):
    campaign = make_campaign(publish=False, percent=None)
    campaign.ends_at = campaign.starts_at

    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert "ends_at" in error.value.message_dict


def campaign_queries(client, count) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    products = [make_certified_product(title=f"Sản phẩm {count}-{index}") for index in range(count)]
    campaign = make_campaign(title=f"Chiến dịch {count}", products=products)
    client.get(campaign.url)  # warm the per-process caches (site root paths, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(campaign.url)
    assert response.content.decode().count('class="product_pod') == count
    return len(queries)


def test_the_campaign_page_query_count_does_not_grow_with_its_products(client, sections):
    with_ten = campaign_queries(client, 10)
    CampaignPage.objects.all().delete()
    with_fifty = campaign_queries(client, 50)

    assert with_ten <= 40
    assert with_fifty <= with_ten


def test_a_campaign_lists_the_open_sales_points_of_a_former_district(client, sections):
    from catalog.tests.factories import DistrictFactory
    from outlets.tests.factories import make_outlet

    hoi_an = DistrictFactory(name="Hội An (thử)")
    make_outlet(name="Điểm bán OCOP Hội An", district=hoi_an)
    closed = make_outlet(name="Điểm bán đã đóng", district=hoi_an)
    type(closed).objects.filter(pk=closed.pk).update(is_open=False)
    make_outlet(name="Điểm bán Tam Kỳ")
    campaign = make_campaign(percent=None)
    campaign.body = [
        ("sales_points", {"title": "Mua tại điểm bán", "title_en": "", "district": str(hoi_an.pk), "limit_count": 12})
    ]
    campaign.save_revision().publish()

    page = client.get(campaign.url).content.decode()

    assert "Mua tại điểm bán" in page and "Điểm bán OCOP Hội An" in page and "7:00–21:00" in page
    assert "Điểm bán đã đóng" not in page and "Điểm bán Tam Kỳ" not in page


def test_a_campaign_starting_and_ending_by_the_clock_shows_at_once_on_cached_cards(card_cache, sections, monkeypatch):
    from django.test import Client
    from django.utils import timezone

    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, starts_in=datetime.timedelta(hours=1), lasts=datetime.timedelta(days=2))
    for _visitor in range(2):  # the second from the card cache
        assert "135.000" not in Client().get("/catalogue/").content.decode()

    from oscar.apps.offer import abstract_models, managers

    now = timezone.now()

    def clock(later):  # no write: the clock alone (Oscar's offers read it as ``now``)
        for module in (timezone, managers, abstract_models):
            monkeypatch.setattr(module, "now", lambda: now + later)

    clock(datetime.timedelta(hours=2))
    for _visitor in range(2):
        catalogue = Client().get("/catalogue/").content.decode()
        assert "135.000" in catalogue and "150.000" in catalogue

    clock(datetime.timedelta(days=3))
    assert "135.000" not in Client().get("/catalogue/").content.decode()


def test_campaign_offers_kept_under_the_catalogue_version_follow_the_clock_and_every_change(
    fragment_cache, sections, clock, django_capture_on_commit_callbacks
):
    from django.core.cache import cache
    from django.test import Client

    from search.cache import catalogue_version

    tea = make_certified_product(title="Trà sâm", price=Decimal("150000"))
    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(products=[tea], percent=10, starts_in=datetime.timedelta(hours=1))
    assert "135.000" not in Client().get(tea.get_absolute_url()).content.decode()
    assert cache.get(f"campaign-offers:{catalogue_version()}")  # kept, the offer that has not started among them

    clock(datetime.timedelta(hours=2))  # it starts by the clock alone: no write, the same version
    assert "135.000" in Client().get("/catalogue/").content.decode()
    assert "135.000" in Client().get(tea.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        campaign.unpublish()
    assert "135.000" not in Client().get("/catalogue/").content.decode()
    assert "135.000" not in Client().get(tea.get_absolute_url()).content.decode()
