"""Fault injection: each external service refusing connections, or accepting and never answering.

Asserts what the user sees and how long it takes. (Elasticsearch's own fallback and circuit
breaker are tested in search/tests; here only the health probe meets a hanging cluster.)
"""

import html
import logging
import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from oscar.core.loading import get_model

import shop.settings as defaults
from catalog.tests.factories import make_certified_product
from search.tests.factories import image_upload
from shop.checkout.tests import conftest as checkout_fixtures
from shop.checkout.tests.conftest import place_order_data
from shop.checkout.tests.factories import free_stock
from tests.faults import closed_port, silent_server

ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")

checkout_as_guest = checkout_fixtures.checkout_as_guest  # the checkout tests' fixture, used here too

pytestmark = pytest.mark.django_db


def redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "shop.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def product_with_image():
    product = make_certified_product(title="Trà sâm Ngọc Linh")
    product.categories.add(Category.add_root(name="Đặc sản trà", slug="dac-san-tra"))
    ProductImage.objects.create(product=product, original=image_upload(), display_order=0)
    return product


def shop_pages(product) -> list[str]:
    return ["/catalogue/", product.categories.first().get_absolute_url(), product.get_absolute_url()]


# --- Redis ------------------------------------------------------------------------------------------


def test_shop_pages_answer_without_a_cache_when_redis_refuses_and_the_outage_is_logged_once(
    client, settings, product_with_image, caplog
):
    settings.CACHES = redis_cache(closed_port())

    with caplog.at_level(logging.WARNING, logger="shop.cache"):
        for url in shop_pages(product_with_image) * 2:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Trà sâm Ngọc Linh" in response.content.decode()

    outage_logs = [record for record in caplog.records if record.name == "shop.cache"]
    assert len(outage_logs) == 1
    assert "serving without a cache" in outage_logs[0].getMessage()


def test_shop_pages_stay_fast_when_redis_accepts_and_never_answers(client, settings, product_with_image):
    with silent_server() as port:
        settings.CACHES = redis_cache(port)
        started = time.monotonic()
        for url in shop_pages(product_with_image):
            assert client.get(url).status_code == 200, url
        waited = time.monotonic() - started

    # one 0.5 s socket timeout, then no cache for the retry interval: not 0.5 s per cache call
    assert waited < 4


def test_health_reports_a_refusing_redis_as_down_and_the_shop_as_degraded(client, settings):
    settings.CACHES = redis_cache(closed_port())

    response = client.get("/healthz/")

    assert response.status_code == 200  # the shop still sells without its cache
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def test_health_answers_within_a_second_when_redis_never_answers(client, settings):
    with silent_server() as port:
        settings.CACHES = redis_cache(port)
        started = time.monotonic()
        response = client.get("/healthz/")
        waited = time.monotonic() - started

    assert response.json()["checks"]["cache"]["status"] == "down"
    assert waited < 1.5


# --- Elasticsearch (the health probe only) --------------------------------------------------------


@pytest.mark.parametrize("fault", ["closed port", "never answers"])
def test_health_reports_a_stopped_or_hanging_elasticsearch_within_seconds(client, settings, fault):
    with silent_server() as silent_port:
        port = closed_port() if fault == "closed port" else silent_port
        settings.SEARCH_BACKEND = "elasticsearch"
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        response = client.get("/healthz/")
        waited = time.monotonic() - started

    assert response.status_code == 200
    assert response.json()["checks"]["search"]["status"] == "down"
    assert response.json()["status"] == "degraded"
    assert waited < 4  # a one-second probe budget, on a busy machine


# --- The database -----------------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "_cursor", refuse)


def test_a_database_outage_shows_the_branded_error_page(client, database_down):
    client.raise_request_exception = False

    response = client.get("/catalogue/")

    assert response.status_code == 500
    page = html.unescape(response.content.decode())
    assert "Chợ OCOP Quảng Nam" in page
    assert "Cửa hàng đang gặp sự cố" in page
    assert "Traceback" not in page


def test_health_answers_503_with_the_database_down(client, database_down):
    response = client.get("/healthz/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"


# --- Stripe, with the timeouts the shop ships with --------------------------------------------------

STRIPE_DOWN = (
    "Dịch vụ thanh toán thẻ hiện không phản hồi. Chưa có khoản tiền nào bị trừ và giỏ hàng của bạn vẫn được giữ"
)


@pytest.fixture
def card_checkout(client, settings, checkout_as_guest):
    settings.STRIPE_SECRET_KEY = "sk_test_faults"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_faults"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_faults"
    settings.STRIPE_TIMEOUT_SECONDS = defaults.STRIPE_TIMEOUT_SECONDS
    settings.STRIPE_MAX_NETWORK_RETRIES = defaults.STRIPE_MAX_NETWORK_RETRIES
    product = make_certified_product(stock=5)
    checkout_as_guest((product, 1), method="card")
    return product, place_order_data(client)


@pytest.mark.parametrize("fault", ["closed port", "never answers"])
def test_card_checkout_with_stripe_down_tells_the_customer_within_seconds_and_keeps_the_basket(
    client, settings, card_checkout, fault
):
    product, data = card_checkout
    with silent_server() as silent_port:
        port = closed_port() if fault == "closed port" else silent_port
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        response = client.post(reverse("checkout:preview"), data)
        waited = time.monotonic() - started

    assert waited < 6
    assert response.status_code == 200
    assert STRIPE_DOWN in html.unescape(response.content.decode())
    assert Order.objects.count() == 0
    assert free_stock(product) == 5


# --- The mail server --------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["closed port", "never answers"])
def test_an_order_is_placed_and_confirmed_on_screen_while_the_mail_server_is_down(
    client,
    settings,
    checkout_as_guest,
    django_capture_on_commit_callbacks,
    fault,
    caplog,
):
    product = make_certified_product(stock=5, title="Nước mắm Cửa Đại")
    checkout_as_guest((product, 1))
    data = place_order_data(client)
    with silent_server() as silent_port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = closed_port() if fault == "closed port" else silent_port
        settings.EMAIL_TIMEOUT = defaults.EMAIL_TIMEOUT
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("checkout:preview"), data, follow=True)
        waited = time.monotonic() - started

    assert waited < defaults.EMAIL_TIMEOUT + 3
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert Order.objects.get().number in response.content.decode()
    assert free_stock(product) == 4
