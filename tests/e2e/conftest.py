"""Shared fixtures for browser tests: Chromium through Playwright, against pytest-django's live server.

Use them from any ``tests/e2e/test_*.py``::

    @pytest.mark.e2e
    def test_something(page, live_server, demo_data):
        page.goto(live_server.url + "/")

``demo_data`` loads the whole demo (43 products, demo accounts) into the live
server's database; ``sign_in`` signs a demo account in through the login form.
"""

import importlib
import os

import pytest
from django.apps import apps

# Playwright's sync API runs an event loop in this thread; Django refuses
# database access from a thread with a running loop unless told it is fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, live_server, tmp_path_factory):
    """A fresh browser context (no cookies) per test, in Vietnamese, on a desktop-sized window.

    When the test fails, a full-page screenshot is saved and its path printed.
    """
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not tab.is_closed():
        path = tmp_path_factory.getbasetemp() / f"{request.node.name}.png"
        tab.screenshot(path=str(path), full_page=True)
        print(f"screenshot of the failed page: {path}")
    context.close()


def restore_reference_data() -> None:
    """Districts, product groups, the shipping country and the home page: migration data that a transactional
    flush removes (without the country, the address step refuses every address)."""
    reference_data = importlib.import_module("catalog.migrations.0034_reference_data")
    reference_data.load(apps, None)
    importlib.import_module("shop.checkout.migrations.0002_vietnam_shipping_country").add_vietnam(apps, None)

    from cms.services import ensure_home_page

    ensure_home_page()


@pytest.fixture
def demo_data(transactional_db, monkeypatch):
    """The full demo in the live server's database (pictures go to the test's temporary MEDIA_ROOT).

    Its search rows are written once, at the end, instead of after each of the demo's saves: the same rows
    (``manage.py load_demo`` itself is tested in catalog/tests/test_demo.py) for half the CPU and queries,
    which every browser test pays."""
    from catalog import demo
    from search import indexing

    restore_reference_data()
    changed = set()
    with monkeypatch.context() as patch:
        patch.setattr(indexing, "index_product_ids", lambda ids, **kwargs: changed.update(ids) or 0)
        summary = demo.load_demo()
    indexing.index_product_ids(changed)
    return summary


@pytest.fixture
def sign_in(page, live_server):
    """Sign a demo account in through Oscar's login form: ``sign_in("khachhang@demo.ocop.vn")``."""
    from catalog import demo

    def _sign_in(email: str, password: str = demo.DEMO_PASSWORD):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_login-username", email)
        page.fill("#id_login-password", password)
        page.click("button[name=login_submit]")
        page.wait_for_load_state()
        return page

    return _sign_in
