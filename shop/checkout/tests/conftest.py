import pytest
from django.urls import reverse

from shop.checkout.tests.factories import ADDRESS, ensure_vietnam


@pytest.fixture
def checkout_as_guest(client):
    """Walk a guest through the checkout up to the preview page, paying with ``method``."""

    def walk(*items, method="cod", email="khach@example.vn", address=None):
        ensure_vietnam()
        for product, quantity in items:
            response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})
            assert response.status_code == 302
        client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
        response = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
        assert response.status_code == 302, response.context["form"].errors
        client.get(reverse("checkout:shipping-method"))
        response = client.post(reverse("checkout:payment-method"), {"method": method})
        assert response.status_code == 302
        return client

    return walk


def place_order_data(client) -> dict:
    basket_id = client.get(reverse("checkout:preview")).context["basket"].id
    return {"action": "place_order", "basket_id": basket_id}


@pytest.fixture(scope="session")
def localstripe_base():
    from shop.checkout.tests.stripe_server import start_localstripe

    process, base = start_localstripe()
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_base):
    from shop.checkout.tests import stripe_server

    settings.STRIPE_SECRET_KEY = stripe_server.TEST_SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = stripe_server.TEST_WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_base
    settings.STRIPE_TIMEOUT_SECONDS = 5
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    return settings
