"""A local Stripe (the ``localstripe`` package) for tests that use the real Stripe SDK."""

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import stripe

LOCALSTRIPE = Path(sys.executable).parent / "localstripe"
TEST_SECRET_KEY = "sk_test_localstripe"
TEST_WEBHOOK_SECRET = "whsec_test_ocop"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_localstripe():
    port = free_port()
    process = subprocess.Popen(
        [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("localstripe did not start")


def pay_with_card(api_base: str, payment_intent_id: str, number: str):
    """What Stripe.js does in the browser: attach a card to the intent and confirm it."""
    client = stripe.StripeClient(TEST_SECRET_KEY, base_addresses={"api": api_base})
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}}
    )
    client.v1.payment_intents.update(payment_intent_id, params={"payment_method": method.id})
    try:
        return client.v1.payment_intents.confirm(payment_intent_id)
    except stripe.CardError:
        return client.v1.payment_intents.retrieve(payment_intent_id)


def complete_3d_secure(api_base: str, payment_intent_id: str, client_secret: str, *, success: bool = True):
    """The customer passes (or fails) the bank's 3-D Secure challenge."""
    client = stripe.StripeClient(TEST_SECRET_KEY, base_addresses={"api": api_base})
    return client.raw_request(
        "post",
        f"/v1/payment_intents/{payment_intent_id}/_authenticate",
        client_secret=client_secret,
        success="true" if success else "false",
    )


def signed(event: dict, *, secret: str = TEST_WEBHOOK_SECRET, timestamp: int | None = None) -> tuple[str, str]:
    """The body and Stripe-Signature header Stripe would send (HMAC-SHA256 of "timestamp.payload")."""
    payload = json.dumps(event)
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def event(event_id: str, event_type: str, data_object: dict) -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "data": {"object": data_object},
    }
