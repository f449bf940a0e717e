"""What a visitor sees of OCOP products: catalogue cards, product page, basket, layout and languages."""

import datetime
import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import (
    CertificateFactory,
    PartnerFactory,
    ProducerFactory,
    days_ago,
    make_certified_product,
)
from catalog.tests.helpers import make_user, producer_user

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Category = get_model("catalogue", "Category")
ProductImage = get_model("catalogue", "ProductImage")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")
ProductReview = get_model("reviews", "ProductReview")

# Product with its four prefetches, analytics, breadcrumb category, navigation groups,
# thumbnails, attributes, reviews, recommendations, and the recently viewed cards (product
# and four prefetches, however many): a constant.
DETAIL_MAX_QUERIES = 20
# A new visitor's product page with pictures, sales points, reviews, related, recommended and recently
# viewed products, rendered afresh; and with its shared parts from the cache (product, catalogue version read
# by the page and by the menu, view counter, and the recently viewed cards: product, four prefetches and the
# running campaigns for their prices).
PRODUCT_PAGE_QUERIES = 29
PRODUCT_PAGE_CACHED_QUERIES = 10
# The basket page, however many lines: shop.basket's Basket.all_lines() loads products,
# producers, stock records and certificates for all lines at once (shop/basket/tests).
BASKET_MAX_QUERIES = 12


def day(date: datetime.date) -> str:
    return date.strftime("%d/%m/%Y")


def text_of(response) -> str:
    """The page's text with tags removed and white space (also no-break spaces) collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def add_to_basket(client, product, quantity: int = 1):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, follow=True)


# --- Catalogue -------------------------------------------------------------


def test_catalogue_card_shows_badge_producer_district_and_price_in_vnd(client, django_assert_max_num_queries):
    producer = ProducerFactory(partner__name="HTX Trà Bảo Tâm", district__name="Huyện Nam Trà My")
    make_certified_product(stars=4, title="Trà sâm Ngọc Linh", producer=producer)

    with django_assert_max_num_queries(30):
        response = client.get(reverse("catalogue:index"))

    html = response.content.decode()
    assert "Trà sâm Ngọc Linh" in html
    assert "OCOP 4 sao" in html
    assert "★★★★" in html
    assert "HTX Trà Bảo Tâm" in html
    assert "Huyện Nam Trà My" in html
    assert "150.000 ₫" in text_of(response)  # Babel puts a no-break space before the dong sign


def test_catalogue_card_badge_follows_a_certificate_change(client):
    """Oscar's render_product caches nothing in 4.2; this keeps a later cache from showing stale stars."""
    product = make_certified_product(stars=4, title="Nước mắm Cửa Khe")
    assert "OCOP 4 sao" in client.get(reverse("catalogue:index")).content.decode()

    CertificateFactory(product=product, stars=5, score=95, decision_date=days_ago(5))
    html = client.get(reverse("catalogue:index")).content.decode()

    assert "OCOP 5 sao" in html
    assert "OCOP 4 sao" not in html


# --- Product page ----------------------------------------------------------


def test_product_page_shows_badge_certificate_and_producer(client, django_assert_max_num_queries):
    producer = ProducerFactory(
        partner__name="HTX Nông nghiệp Duy Trinh",
        kind="cooperative",
        district__name="Huyện Duy Xuyên",
        commune="Xã Duy Vinh",
    )
    product = make_certified_product(stars=4, title="Nước mắm Duy Trinh", producer=producer)
    certificate = product.certificates.get()

    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(product.get_absolute_url())

    assert response.status_code == 200
    text = text_of(response)
    assert "OCOP 4 sao" in text
    assert "Điểm 75 / 100" in text
    assert f"Quyết định Số {certificate.decision_number} ngày {day(certificate.decision_date)}" in text
    assert "Cấp công nhận Tỉnh" in text
    last_valid_day = certificate.valid_until - datetime.timedelta(days=1)
    assert f"Hiệu lực đến {day(last_valid_day)}" in text
    assert "Tên HTX Nông nghiệp Duy Trinh" in text
    assert "Loại hình Hợp tác xã (HTX)" in text
    assert "Huyện Duy Xuyên" in text
    assert "Xã/phường Xã Duy Vinh" in text
    assert 'id="add_to_basket_form"' in response.content.decode()


def test_product_page_says_when_the_score_is_not_published(client):
    product = make_certified_product(stars=3)
    product.certificates.update(score=None)

    assert "Điểm không công bố" in text_of(client.get(product.get_absolute_url()))


def test_product_page_lists_earlier_certificates(client):
    product = make_certified_product(stars=4)
    earlier = CertificateFactory(
        product=product, stars=3, score=60, decision_number="12/QĐ-UBND", decision_date=datetime.date(2019, 5, 2)
    )

    text = text_of(client.get(product.get_absolute_url()))

    assert "Lịch sử chứng nhận" in text
    assert f"3★ Số 12/QĐ-UBND ngày 02/05/2019 Tỉnh {day(earlier.valid_until - datetime.timedelta(days=1))}" in text


def test_certificate_history_without_a_decision_number_shows_the_date_alone(client, settings):
    settings.LANGUAGE_CODE = "en"
    product = make_certified_product(stars=4)
    CertificateFactory(product=product, stars=3, score=60, decision_number="", decision_date=datetime.date(2019, 7, 1))

    html = client.get(product.get_absolute_url()).content.decode()
    history = html.split('class="ocop-panel ocop-history"')[1].split("</section>")[0]

    assert "(01/07/2019)" not in history and "—" not in history
    assert '<td data-label="Decision">01/07/2019</td>' in history  # a phone shows each cell under its name


def test_english_product_page_breadcrumbs_name_the_group_in_english(client, settings):
    settings.LANGUAGE_CODE = "en"
    food = Category.objects.get(code="food")
    product = make_certified_product(stars=4)
    product.categories.set([food])

    crumbs = client.get(product.get_absolute_url()).content.decode().split('class="breadcrumb"')[1].split("</ol>")[0]

    assert f'">{food.name_en}</a>' in crumbs and food.name not in crumbs


def test_lapsed_product_page_shows_the_notice_and_no_basket_form(client, django_assert_max_num_queries):
    product = make_certified_product(stars=4, lapsed=True)
    certificate = product.certificates.get()

    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(product.get_absolute_url())

    html = response.content.decode()
    assert f"Giấy chứng nhận OCOP đã hết hạn: có hiệu lực đến {day(certificate.last_valid_day)}" in html
    assert "OCOP 4 sao" not in html
    assert 'id="add_to_basket_form"' not in html
    assert reverse("basket:add", kwargs={"pk": product.pk}) not in html


def detail_page_queries(product, client=None) -> int:
    """Queries of a second visit to the product page (the first one sets the session and history)."""
    client = client or Client()
    client.get(product.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def test_product_page_query_count_does_not_grow_with_certificate_history():
    short_history = make_certified_product(stars=4)
    long_history = make_certified_product(stars=4)
    for years in range(3, 9):
        CertificateFactory(product=long_history, stars=3, score=60, decision_date=days_ago(365 * years))

    assert detail_page_queries(long_history) == detail_page_queries(short_history) <= DETAIL_MAX_QUERIES


def test_product_page_query_count_does_not_grow_with_recently_viewed_products():
    def queries_after_viewing(count: int) -> int:
        client = Client()
        for product in [make_certified_product() for _ in range(count)]:
            client.get(product.get_absolute_url())
        return detail_page_queries(make_certified_product(), client)

    one, five = queries_after_viewing(1), queries_after_viewing(5)

    assert one == five <= DETAIL_MAX_QUERIES


def product_with_everything(count: int):
    """A product page showing ``count`` of each list: pictures, sales points, reviews, related products (same
    producer), recommendations; and a visitor who has viewed ``count`` other products."""
    from outlets.tests.factories import make_outlet, stock_at
    from search.tests.factories import image_upload

    product = make_certified_product(title="Nước mắm Cửa Khe")
    for n in range(count):
        ProductImage.objects.create(product=product, original=image_upload(), caption=f"Ảnh {n}", display_order=n)
        stock_at(make_outlet(name=f"Điểm {n}"), product, 2)
        ProductReview.objects.create(
            product=product,
            user=make_user(f"khach{count}-{n}@example.vn"),
            score=4,
            title=f"Ngon {n}",
            body="Đậm đà.",
            status=ProductReview.APPROVED,
        )
        make_certified_product(producer=product.producer)  # related
        ProductRecommendation.objects.create(primary=product, recommendation=make_certified_product(), ranking=n)
    visitor = Client()
    viewed = [make_certified_product().pk for _ in range(count)]
    visitor.cookies[settings.OSCAR_RECENTLY_VIEWED_COOKIE_NAME] = json.dumps(viewed)
    return product, visitor


def page_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_product_page_reads_a_fixed_number_of_queries_whatever_it_lists():
    few, many = product_with_everything(1), product_with_everything(4)

    counts = []
    for (product, visitor), count in ((few, 1), (many, 4)):
        Client().get(product.get_absolute_url())  # makes the thumbnails, as the first visitor ever does
        queries, html = page_queries(visitor, product.get_absolute_url())
        counts.append(queries)
        assert html.count('class="ocop-gallery__slide"') == count
        assert html.count("Đậm đà.") == min(count, 3)  # the latest three, and a link to all of them
        assert len(re.findall(r">Điểm \d+</a>", html)) == count

    assert counts[0] == counts[1] <= PRODUCT_PAGE_QUERIES


def test_product_page_from_the_fragment_cache_reads_a_few_queries(fragment_cache):
    product, visitor = product_with_everything(4)
    url = product.get_absolute_url()
    _, first = page_queries(Client(), url)  # renders the shared parts and caches them

    queries, html = page_queries(visitor, url)

    assert queries <= PRODUCT_PAGE_CACHED_QUERIES
    assert html.count('class="ocop-gallery__slide"') == 4
    assert html.count("Đậm đà.") == 3
    assert "Sản phẩm bạn đã xem gần đây" in html and "Sản phẩm bạn đã xem gần đây" not in first


def test_product_page_shows_recently_viewed_products_with_their_badge(client):
    seen = make_certified_product(stars=5, title="Rượu Hồng Đào")
    product = make_certified_product(stars=3)
    client.get(seen.get_absolute_url())

    text = text_of(client.get(product.get_absolute_url()))

    assert re.search(r"Sản phẩm bạn đã xem gần đây .*OCOP 5 sao .*Rượu Hồng Đào", text)


def test_lapsed_product_card_says_lapsed_instead_of_offering_the_basket(client):
    lapsed = make_certified_product(stars=4, lapsed=True, title="Mật ong Hòn Kẽm")
    certificate = lapsed.certificates.get()
    client.get(lapsed.get_absolute_url())

    html = client.get(make_certified_product().get_absolute_url()).content.decode()

    card = html[html.index('title="Mật ong Hòn Kẽm"') :]
    card = card[: card.index("</article>")]
    assert f"Giấy chứng nhận OCOP đã hết hạn: có hiệu lực đến {day(certificate.last_valid_day)}" in card
    assert reverse("basket:add", kwargs={"pk": lapsed.pk}) not in html
    assert "ocop-badge--4" not in html.split("Sản phẩm bạn đã xem gần đây")[1]


def test_product_page_in_english_shows_english_title_description_and_labels(client):
    product = make_certified_product(
        stars=5,
        title="Trà đảng sâm",
        title_en="Codonopsis tea",
        description="Trà từ củ đảng sâm Ngọc Linh.",
        description_en="Tea from Ngoc Linh codonopsis roots.",
    )

    client.post(reverse("set_language"), {"language": "en", "next": product.get_absolute_url()})
    response = client.get(product.get_absolute_url())

    text = text_of(response)
    assert '<html lang="en"' in response.content.decode()
    assert re.search(r"<title>\s*Codonopsis tea \| Chợ OCOP Quảng Nam", response.content.decode())
    assert '<h1 class="ocop-product__title">Codonopsis tea</h1>' in response.content.decode()
    assert "Tea from Ngoc Linh codonopsis roots." in text
    assert "OCOP 5 stars" in text
    assert "Certifying level Central" in text
    assert "Trang chủ" not in text


# --- Basket ----------------------------------------------------------------


def test_basket_line_shows_the_badge(client, django_assert_max_num_queries):
    product = make_certified_product(stars=5, title="Sâm Ngọc Linh")
    add_to_basket(client, product)

    with django_assert_max_num_queries(BASKET_MAX_QUERIES):
        response = client.get(reverse("basket:summary"))

    html = response.content.decode()
    assert "Sâm Ngọc Linh" in html
    assert 'class="ocop-basket__badge"><span class="ocop-badge ocop-badge--5"' in html
    assert "OCOP 5 sao" in html


def test_lapsed_product_cannot_be_added_to_the_basket(client):
    product = make_certified_product(stars=4, lapsed=True, stock=50)

    response = add_to_basket(client, product)

    assert "Không thể mua sản phẩm này: giấy chứng nhận OCOP của sản phẩm đã hết hạn." in text_of(response)
    assert not Basket.objects.filter(lines__product=product).exists()
    assert "Giỏ hàng của bạn trống." in text_of(client.get(reverse("basket:summary")))


def test_lapsed_product_cannot_be_added_in_english_either(client):
    product = make_certified_product(stars=4, lapsed=True)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = add_to_basket(client, product)

    assert "This product cannot be bought: its OCOP certificate has lapsed." in text_of(response)
    assert not Basket.objects.filter(lines__product=product).exists()


# --- Layout and languages --------------------------------------------------


def test_layout_has_site_name_navigation_language_switcher_and_footer(client, django_assert_max_num_queries):
    product = make_certified_product()
    product.categories.add(Category.objects.get(name="Đồ uống không cồn"))

    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(product.get_absolute_url())

    html = response.content.decode()
    text = text_of(response)
    assert "Chợ OCOP Quảng Nam" in text
    assert '<a class="nav-link" href="/">Trang chủ</a>' in html
    assert '<a class="nav-link" href="/catalogue/">Sản phẩm</a>' in html
    groups = re.findall(r'class="nav-link ocop-nav__group" href="[^"]+">([^<]+)</a>', html)
    assert groups == ["Đồ uống"]  # the groups with nothing on sale are left out of the menu
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="language" value="vi"' in html
    assert 'name="language" value="en"' in html
    assert "Sở Công Thương Quảng Nam" in text
    assert '<p lang="vi">Sở Công Thương Quảng Nam</p>' not in html  # the translated name already is Vietnamese


def test_pages_load_no_script_or_stylesheet_from_another_site(client):
    product = make_certified_product()

    for url in (product.get_absolute_url(), reverse("catalogue:index"), reverse("basket:summary")):
        html = client.get(url).content.decode()
        assert re.findall(r'<script[^>]+src="(?:https?:)?//', html) == [], url
        assert re.findall(r'<link[^>]+href="(?:https?:)?//', html) == [], url
        assert "/static/oscar/js/jquery/jquery.min.js" in html


def test_dashboard_also_loads_jquery_from_our_own_static_files(client, django_user_model):
    staff = django_user_model.objects.create_user(username="bientap", email="bientap@example.vn", is_staff=True)
    client.force_login(staff)

    html = client.get(reverse("dashboard:index")).content.decode()

    assert "/static/oscar/js/jquery/jquery.min.js" in html
    assert "googleapis" not in html


def test_switching_to_english_shows_english_navigation_and_badge(client):
    make_certified_product(stars=4).categories.add(Category.objects.get(name="Gia vị"))

    response = client.post(reverse("set_language"), {"language": "en", "next": "/catalogue/"}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/catalogue/"
    assert '<a class="nav-link" href="/">Home</a>' in html
    assert '<a class="nav-link" href="/catalogue/">Products</a>' in html
    assert 'class="nav-link ocop-nav__group" href="/catalogue/category/' in html and ">Food</a>" in html
    assert "OCOP 4 stars" in html
    assert "Department of Industry and Trade of Quảng Nam" in html
    assert '<p lang="vi">Sở Công Thương Quảng Nam</p>' in html
    assert 'value="en" lang="en"' in html and 'aria-pressed="true">English</button>' in html


# --- Links for each kind of user --------------------------------------------


def top_bar_links(response) -> list[str]:
    """The texts of the role links in the top bar (moderation, seller channel, sell with us)."""
    return re.findall(r'class="nav-link ocop-roles__link" href="[^"]+">([^<]+)</a>', response.content.decode())


def test_visitor_is_invited_to_sell_in_the_top_bar_and_the_footer(client, django_assert_max_num_queries):
    make_certified_product()

    with django_assert_max_num_queries(30):
        response = client.get(reverse("catalogue:index"))

    html = response.content.decode()
    assert top_bar_links(response) == ["Bán hàng cùng chúng tôi"]
    assert f'href="{reverse("portal:apply")}">Bán hàng cùng chúng tôi</a>' in html
    assert f'class="ocop-footer__sell" href="{reverse("portal:apply")}">Bán hàng cùng chúng tôi</a>' in html


def test_customer_is_invited_to_sell_too(client):
    client.force_login(make_user("khach@example.vn"))

    assert top_bar_links(client.get(reverse("catalogue:index"))) == ["Bán hàng cùng chúng tôi"]


def test_producer_sees_the_seller_channel_instead_of_the_invitation(client):
    user, _ = producer_user()
    client.force_login(user)

    response = client.get(reverse("catalogue:index"))

    assert top_bar_links(response) == ["Kênh người bán"]
    assert f'href="{reverse("portal:dashboard")}">Kênh người bán</a>' in response.content.decode()


def test_producer_sees_the_seller_channel_on_the_portal_pages_too(client):
    user, _ = producer_user()
    client.force_login(user)

    assert top_bar_links(client.get(reverse("portal:dashboard"))) == ["Kênh người bán"]


def test_staff_sees_the_moderation_queue(client):
    client.force_login(make_user("kiemduyet@example.vn", is_staff=True))

    response = client.get(reverse("catalogue:index"))

    assert top_bar_links(response) == ["Kiểm duyệt"]
    assert f'href="{reverse("moderation:queue")}">Kiểm duyệt</a>' in response.content.decode()


def test_user_of_a_partner_without_a_producer_is_not_offered_the_seller_channel(client):
    user = make_user("doitac@example.vn")
    PartnerFactory().users.add(user)
    client.force_login(user)

    assert top_bar_links(client.get(reverse("catalogue:index"))) == ["Bán hàng cùng chúng tôi"]


def partner_queries(client) -> list[str]:
    """Queries of a second visit to the catalogue that read which partners the user works for."""
    url = reverse("catalogue:index")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return [q["sql"] for q in queries.captured_queries if "partner_partner_users" in q["sql"]]


def test_role_links_cost_one_query_for_a_signed_in_user_and_none_for_a_visitor():
    make_certified_product()
    customer, producer = Client(), Client()
    customer.force_login(make_user("khach@example.vn"))
    producer.force_login(producer_user()[0])

    assert partner_queries(Client()) == []
    assert len(partner_queries(customer)) == 1
    assert len(partner_queries(producer)) == 1
