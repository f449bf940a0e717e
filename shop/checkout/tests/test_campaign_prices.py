"""A campaign's discount is what the buyer sees and what checkout charges, by cash and by card — and only then."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from cms.tests.factories import make_campaign
from shop.checkout.tests.conftest import place_order_data

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def place(client, data, callbacks):
    with callbacks(execute=True):
        client.post(reverse("checkout:preview"), data)
    return Order.objects.get()


def test_a_guest_pays_the_campaign_price_with_cash_on_delivery(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10)
    product_page = client.get(tea.get_absolute_url()).content.decode()

    checkout_as_guest((tea, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" in product_page
    assert "270.000" in basket_page
    line = order.lines.get()
    assert line.line_price_before_discounts_incl_tax == Decimal("300000")
    assert line.line_price_incl_tax == Decimal("270000")
    assert order.total_discount_incl_tax == Decimal("30000")
    assert order.total_incl_tax == Decimal("270000") + Decimal("30000") + Decimal("10000")  # 1 kg of parcels
    assert order.discounts.get().offer_id is not None


def test_a_card_payment_asks_for_the_campaign_price(
    client, checkout_as_guest, stripe_settings, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10)

    checkout_as_guest((tea, 2), method="card")
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert order.stripe_payment.amount == order.total_incl_tax == Decimal("310000")


@pytest.mark.parametrize(
    "campaign",
    [
        {"starts_in": datetime.timedelta(days=2)},  # not started
        {"starts_in": datetime.timedelta(days=-10), "lasts": datetime.timedelta(days=3)},  # over
        {"publish": False},  # never published
    ],
    ids=["upcoming", "ended", "unpublished"],
)
def test_a_discount_outside_its_window_or_unpublished_changes_no_price(
    client, checkout_as_guest, django_capture_on_commit_callbacks, campaign
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, **campaign)

    product_page = client.get(tea.get_absolute_url()).content.decode()
    catalogue = client.get("/catalogue/").content.decode()
    checkout_as_guest((tea, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" not in product_page and "135.000" not in catalogue and "150.000" in catalogue
    assert "270.000" not in basket_page
    assert order.total_discount_incl_tax == 0
    assert order.total_incl_tax == Decimal("300000") + Decimal("30000") + Decimal("10000")


def test_a_campaign_unpublished_after_the_product_went_into_the_basket_charges_full_price(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    campaign = make_campaign(products=[tea], percent=10)
    checkout_as_guest((tea, 1))

    campaign.unpublish()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert order.total_discount_incl_tax == 0
    assert order.lines.get().line_price_incl_tax == Decimal("150000")


def test_a_group_discount_prices_the_group_the_same_from_catalogue_to_checkout(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    from cms.tests.factories import rule_block

    Category = get_model("catalogue", "Category")
    food = Category.add_root(name="Thực phẩm (thử)")
    rice_paper = make_certified_product(title="Bánh tráng Đại Lộc", price=Decimal("50000"))
    rice_paper.categories.add(food)
    wine = make_certified_product(title="Rượu Hồng Đào", price=Decimal("60000"))
    campaign = make_campaign(
        percent=None,
        discount_kind="amount",
        discount_value=Decimal("5000"),
        discount_scope="group",
        discount_group=food,
        body=[rule_block(group=food)],
    )

    campaign_page = client.get(campaign.url).content.decode()
    catalogue = client.get("/catalogue/").content.decode()
    product_page = client.get(rice_paper.get_absolute_url()).content.decode()
    checkout_as_guest((rice_paper, 3), (wine, 1))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    for page in (campaign_page, catalogue, product_page):
        assert "45.000" in page and "-5.000 ₫" in page
    assert "55.000" not in catalogue  # the wine is not in the group
    assert "-15.000" in basket_page
    lines = {line.product_id: line.line_price_incl_tax for line in order.lines.all()}
    assert lines == {rice_paper.pk: Decimal("135000"), wine.pk: Decimal("60000")}
    assert order.total_discount_incl_tax == Decimal("15000")


# --- Products listed by rule ------------------------------------------------------------------


def test_a_rule_listed_product_gets_the_campaign_price_everywhere_and_at_checkout(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    from catalog.tests.factories import DistrictFactory
    from cms.tests.factories import rule_block

    tra_my = DistrictFactory(name="Bắc Trà My (thử)")
    cinnamon = make_certified_product(title="Quế Trà My", price=Decimal("80000"), producer__district=tra_my)
    elsewhere = make_certified_product(title="Nước mắm Cửa Khe", price=Decimal("90000"))
    campaign = make_campaign(products=[], percent=10, body=[rule_block(district=tra_my)])

    campaign_page = client.get(campaign.url).content.decode()
    catalogue = client.get("/catalogue/").content.decode()
    product_page = client.get(cinnamon.get_absolute_url()).content.decode()
    other_page = client.get(elsewhere.get_absolute_url()).content.decode()
    checkout_as_guest((cinnamon, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "Quế Trà My" in campaign_page and "Nước mắm Cửa Khe" not in campaign_page
    for page in (campaign_page, catalogue, product_page):
        assert "72.000" in page and "<del" in page
    assert "90.000" in other_page and "81.000" not in other_page
    assert "144.000" in basket_page
    assert order.lines.get().line_price_incl_tax == Decimal("144000")
    assert order.total_discount_incl_tax == Decimal("16000")


def test_a_rule_list_shows_and_discounts_only_what_it_listed_when_the_campaign_was_published(client):
    from catalog.tests.factories import DistrictFactory
    from cms.tests.factories import place_order, rule_block

    tra_my = DistrictFactory(name="Bắc Trà My (thử)")
    first = make_certified_product(title="Quế Trà My", price=Decimal("80000"), producer__district=tra_my)
    second = make_certified_product(title="Sâm Trà My", price=Decimal("80000"), producer__district=tra_my)
    campaign = make_campaign(products=[], percent=10, body=[rule_block(district=tra_my, limit=2)])
    later = make_certified_product(title="Mật ong Trà My", price=Decimal("90000"), producer__district=tra_my)

    campaign_page = client.get(campaign.url).content.decode()
    later_page = client.get(later.get_absolute_url()).content.decode()

    assert "Quế Trà My" in campaign_page and "Sâm Trà My" in campaign_page
    assert "Mật ong Trà My" not in campaign_page  # matched the rule only after publishing: not discounted, not shown
    assert "90.000" in later_page and "81.000" not in later_page
    order = place_order((first, 1), (second, 1), (later, 1))
    assert order.total_discount_incl_tax == Decimal("16000")


def test_a_rule_list_beyond_its_limit_discounts_only_the_products_it_shows(client):
    from catalog.tests.factories import DistrictFactory
    from cms.tests.factories import rule_block

    tra_my = DistrictFactory(name="Bắc Trà My (thử)")
    products = [
        make_certified_product(
            title=f"Quế Trà My {index}", price=Decimal(80000 + 10000 * index), producer__district=tra_my
        )
        for index in range(3)
    ]
    campaign = make_campaign(products=[], percent=10, body=[rule_block(district=tra_my, limit=2)])

    page = client.get(campaign.url).content.decode()
    shown = [product for product in products if product.title in page]
    hidden = [product for product in products if product.title not in page]

    assert len(shown) == 2 and len(hidden) == 1
    campaign_price = f"{int(shown[0].stockrecords.get().price * 9 / 10):,}".replace(",", ".")
    hidden_price = f"{int(hidden[0].stockrecords.get().price * 9 / 10):,}".replace(",", ".")
    assert campaign_price in client.get(shown[0].get_absolute_url()).content.decode()
    assert hidden_price not in client.get(hidden[0].get_absolute_url()).content.decode()


# --- Budget --------------------------------------------------------------------------------------


def test_a_budget_covering_one_unit_of_two_discounts_one_unit_and_then_stops_showing(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, budget=Decimal("20000"))

    product_page = client.get(tea.get_absolute_url()).content.decode()
    checkout_as_guest((tea, 2))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    preview = client.get(reverse("checkout:preview")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" in product_page  # the budget covers this unit price in full
    # One unit at the campaign price, the other at full price: never a discount cut short by the budget.
    assert "285.000" in basket_page and "285.000" in preview
    assert order.lines.get().line_price_incl_tax == Decimal("285000")
    assert order.total_discount_incl_tax == Decimal("15000")
    assert order.total_incl_tax == Decimal("285000") + Decimal("30000") + Decimal("10000")
    # 5.000 ₫ of budget left cannot give 15.000 ₫ off: the campaign price is no longer shown, nor given.
    assert "135.000" not in client.get(tea.get_absolute_url()).content.decode()


def test_a_partly_spent_budget_shows_and_charges_the_same_price(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    cheap = make_certified_product(title="Bánh tráng", price=Decimal("40000"))
    campaign = make_campaign(products=[tea, cheap], percent=10, budget=Decimal("20000"))
    type(campaign.offer).objects.filter(pk=campaign.offer_id).update(total_discount=Decimal("10000"))

    tea_page = client.get(tea.get_absolute_url()).content.decode()
    cheap_page = client.get(cheap.get_absolute_url()).content.decode()
    checkout_as_guest((tea, 1), (cheap, 1))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" not in tea_page and "150.000" in tea_page  # 15.000 ₫ off is more than the 10.000 ₫ left
    assert "36.000" in cheap_page  # 4.000 ₫ off still fits
    assert "-4.000" in basket_page and "186.000" in basket_page  # 150.000 + 40.000 - 4.000
    assert {line.product_id: line.line_price_incl_tax for line in order.lines.all()} == {
        tea.pk: Decimal("150000"),
        cheap.pk: Decimal("36000"),
    }


# --- Per-customer limit --------------------------------------------------------------------------


@pytest.fixture
def checkout_signed_in(client):
    """Walk a signed-in customer through the checkout up to the preview page (cash on delivery)."""
    from shop.checkout.tests.factories import ADDRESS, ensure_vietnam

    def walk(*items):
        ensure_vietnam()
        for product, quantity in items:
            client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
        response = client.post(reverse("checkout:shipping-address"), ADDRESS)
        assert response.status_code == 302, response.context["form"].errors
        client.get(reverse("checkout:shipping-method"))
        assert client.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
        return client

    return walk


def test_a_customer_gets_a_once_per_customer_discount_on_one_order_only(
    client, django_user_model, checkout_signed_in, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, per_customer_limit=1)
    client.force_login(django_user_model.objects.create_user("lan", "lan@example.vn", "pw-12345678"))

    first_page = client.get(tea.get_absolute_url()).content.decode()
    checkout_signed_in((tea, 1))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:preview"), place_order_data(client))
    first = Order.objects.get()
    second_page = client.get(tea.get_absolute_url()).content.decode()
    checkout_signed_in((tea, 1))
    basket_page = client.get(reverse("basket:summary")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:preview"), place_order_data(client))
    second = Order.objects.exclude(pk=first.pk).get()

    assert "135.000" in first_page
    assert first.total_discount_incl_tax == Decimal("15000")
    assert "135.000" not in second_page and "135.000" not in basket_page
    assert second.total_discount_incl_tax == 0
    assert second.lines.get().line_price_incl_tax == Decimal("150000")


def test_a_discount_limited_per_customer_is_not_shown_nor_given_to_guests(
    client, checkout_as_guest, django_capture_on_commit_callbacks
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    make_campaign(products=[tea], percent=10, per_customer_limit=1)

    product_page = client.get(tea.get_absolute_url()).content.decode()
    checkout_as_guest((tea, 1))
    order = place(client, place_order_data(client), django_capture_on_commit_callbacks)

    assert "135.000" not in product_page
    assert order.total_discount_incl_tax == 0


def test_the_campaign_page_tells_guests_a_limited_discount_needs_signing_in(client, django_user_model):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", price=Decimal("150000"))
    campaign = make_campaign(products=[tea], percent=10, per_customer_limit=2)

    as_guest = client.get(campaign.url).content.decode()
    client.force_login(django_user_model.objects.create_user("lan", "lan@example.vn", "pw-12345678"))
    signed_in = client.get(campaign.url).content.decode()

    assert "dành cho khách đã đăng nhập, tối đa 2 đơn mỗi khách" in as_guest
    assert "135.000" not in as_guest and "/accounts/login/?next=" in as_guest
    assert "tối đa 2 đơn mỗi khách" in signed_in and "135.000" in signed_in
    assert "/accounts/login/?next=" not in signed_in
