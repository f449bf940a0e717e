"""``/healthz/``: each dependency's state, and 503 only when the shop cannot sell."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_lists_every_dependency_and_is_ok_on_the_defaults(client, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "search": "ok",
        "payment": "off",  # cash on delivery only: a choice, not a fault
    }
    assert body["checks"]["payment"]["cash_on_delivery"] == "ok"


def test_card_payments_with_a_missing_webhook_secret_are_reported_as_degraded(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = client.get("/healthz/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["payment"] == {
        "status": "degraded",
        "detail": "missing webhook secret",
        "ms": body["checks"]["payment"]["ms"],
        "cash_on_delivery": "ok",
    }


def test_fully_configured_card_payments_are_ok(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"

    assert client.get("/healthz/").json()["checks"]["payment"]["status"] == "ok"
