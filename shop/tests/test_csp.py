"""The Content-Security-Policy (shop/csp.py): own origin and Stripe's only; inline scripts only with the nonce."""

import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from search.tests.factories import listed_product

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>")


@pytest.fixture
def csp_on(settings):
    settings.CONTENT_SECURITY_POLICY = True
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = False


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def nonce_of(response) -> str:
    (source,) = [s for s in directives(response)["script-src"] if s.startswith("'nonce-")]
    return source[len("'nonce-") : -1]


def test_a_page_allows_scripts_only_from_the_shop_stripe_and_its_own_nonce(client, csp_on):
    response = client.get("/catalogue/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == [
        "'self'",
        f"'nonce-{nonce_of(response)}'",
        "https://js.stripe.com",
        "https://*.js.stripe.com",
    ]
    assert policy["connect-src"] == ["'self'", "https://api.stripe.com"]
    assert policy["frame-src"] == [
        "'self'",
        "https://js.stripe.com",
        "https://*.js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    # Every inline script on the page carries the nonce, so the page works under the policy.
    attributes = INLINE_SCRIPT.findall(response.content.decode())
    assert attributes
    assert all(f'nonce="{nonce_of(response)}"' in attrs or "application/json" in attrs for attrs in attributes)


def test_each_response_has_a_fresh_nonce_even_from_the_page_cache(csp_on, page_cache, django_assert_max_num_queries):
    listed_product(title="Nước mắm Cửa Đại", price=Decimal("85000"))
    first = Client().get("/catalogue/")
    with django_assert_max_num_queries(1):
        second = Client().get("/catalogue/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert nonce_of(first) != nonce_of(second)
    assert f'nonce="{nonce_of(second)}"' in second.content.decode()
    assert nonce_of(first) not in second.content.decode()


def test_the_card_payment_script_is_a_static_file_next_to_stripe_js():
    template = (django_settings.BASE_DIR / "templates/oscar/checkout/card_payment.html").read_text()
    assert '<script src="https://js.stripe.com/v3/"></script>' in template
    assert not INLINE_SCRIPT.search(template)


def test_only_the_signed_in_wagtail_admin_may_run_inline_scripts(client, csp_on, admin_user):
    login = client.get("/cms-admin/login/")
    assert "'unsafe-inline'" not in directives(login)["script-src"]
    client.force_login(admin_user)
    admin = client.get("/cms-admin/")
    assert directives(admin)["script-src"] == [
        "'self'",
        "'unsafe-inline'",
        "https://js.stripe.com",
        "https://*.js.stripe.com",
    ]
    assert "'unsafe-inline'" not in directives(client.get("/dashboard/"))["script-src"]


def test_the_policy_is_sent_as_report_only_when_asked(client, csp_on, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    response = client.get("/catalogue/")
    assert "Content-Security-Policy" not in response
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy-Report-Only"]


def test_production_settings_send_the_policy_and_development_does_not():
    probe = "import json, shop.settings as s; print(json.dumps(s.CONTENT_SECURITY_POLICY))"
    base = {**os.environ, "SECRET_KEY": "x" * 60}
    base.pop("CONTENT_SECURITY_POLICY", None)

    def read(**env):
        command = [sys.executable, "-c", probe]
        out = subprocess.run(command, env={**base, **env}, cwd=django_settings.BASE_DIR, capture_output=True, text=True)
        return json.loads(out.stdout)

    assert read(DEBUG="false") is True
    assert read(DEBUG="true") is False


INLINE_HANDLER = re.compile(r"<[^>]*\son(?:click|change|submit|load|error|input|key\w+|focus|blur|mouse\w+)\s*=", re.I)


def test_no_template_the_shop_renders_has_an_inline_event_handler():
    """The policy runs no inline handler: every template, ours or the Oscar one it resolves to, uses data attributes."""
    from django.template import engines

    engine = engines["django"]
    names = set()
    for directory in engine.template_dirs:
        root = Path(directory)
        if root.is_dir():
            names.update(str(path.relative_to(root)) for path in root.rglob("*.html"))
    offenders = []
    for name in sorted(names):
        template = engine.get_template(name).template
        if INLINE_HANDLER.search(Path(template.origin.name).read_text(encoding="utf-8")):
            offenders.append(f"{name} ({template.origin.name})")
    assert len(names) > 300
    assert offenders == []
