"""A local Stripe (the ``localstripe`` package) for tests that use the real Stripe SDK."""

import contextlib
import hashlib
import hmac
import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import stripe

from tests import faults
from tests.faults import free_port  # noqa: F401  (tests import it from here)

LOCALSTRIPE = Path(sys.executable).parent / "localstripe"
TEST_SECRET_KEY = "sk_test_localstripe"
TEST_WEBHOOK_SECRET = "whsec_test_ocop"


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


@contextlib.contextmanager
def silent_server():
    """A Stripe that accepts connections and never answers."""
    with faults.silent_server() as port:
        yield f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def recording_proxy(target_base: str):
    """Forwards requests to ``target_base`` (localstripe) and records each one's method, path and headers."""
    requests_seen: list[dict] = []
    forwarded = ("Authorization", "Content-Type", "Idempotency-Key", "Stripe-Version")

    class Handler(http.server.BaseHTTPRequestHandler):
        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name: self.headers[name] for name in forwarded if self.headers.get(name)}
            requests_seen.append({"method": self.command, "path": self.path, "headers": headers})
            request = urllib.request.Request(target_base + self.path, data=body or None, method=self.command)
            for name, value in headers.items():
                request.add_header(name, value)
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    status, payload = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, payload = error.code, error.read()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _forward

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests_seen
    finally:
        server.shutdown()
        server.server_close()
