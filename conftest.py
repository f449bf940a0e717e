import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, and browser tests without Chromium; run the long tests first.

    CI runs on PostgreSQL with chromium installed and sets REQUIRE_CHROMIUM=1,
    which turns a missing browser into a failure instead of a skip.

    Tests marked ``slow`` go first, so that `make test`'s parallel workers (pytest-xdist hands tests out in
    this order) do not end with one waiting for the other's long test; transactional ones stay after every
    test in a transaction (pytest-django's order), as their flush empties the tables that migrations fill.
    """
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    has_chromium = os.path.exists(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "e2e" in item.keywords and not has_chromium and not os.environ.get("REQUIRE_CHROMIUM"):
            item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install chromium)"))
    items.sort(key=lambda item: not ("slow" in item.keywords and not _transactional(item)))  # stable sort


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session", autouse=True)
def _test_process_settings():
    """Settings for the whole test run, in each of its processes.

    New passwords are hashed with MD5, as Django advises for tests: the production hasher's million PBKDF2
    rounds cost 0.2 s of CPU for every account made, sign-in and wrong password, minutes over the suite
    (hashes made with the production hashers still check).

    The cache is each process's own memory even when REDIS_URL is set: every test empties the cache, which
    in a shared Redis would empty it under `make test`'s other workers (and any server using it) too.
    Tests of the Redis cache ask for ``redis_cache``, which keeps to a key prefix of the test's own.
    """
    from django.conf import settings
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS],
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}
        },
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no thumbnail keys or rate-limit counts left by another test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests go to temporary folders, never the repository's media/ or private-media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Each test starts with an empty cache (its rolled-back database may repeat another test's catalogue
    version) and renders every page: the anonymous page cache (shop/page_cache.py), the product card cache
    (search/cards.py) and the product page's shared fragments (shop/storefront/fragments.py) are on only in the
    tests that ask for them (``page_cache``, ``card_cache``, ``fragment_cache``), so page tests see each
    request's context and queries, and a change made inside a test's transaction (which raises the catalogue
    version only on commit) shows on its next request."""
    from django.core.cache import cache

    cache.clear()
    settings.PAGE_CACHE_SECONDS = 0
    settings.CARD_CACHE_SECONDS = 0  # the product card cache (search/cards.py) too: on with ``card_cache``
    settings.FRAGMENT_CACHE_SECONDS = 0


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600


@pytest.fixture
def fragment_cache(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600


@pytest.fixture
def redis_cache(settings):
    """The default cache in the local Redis (REDIS_TEST_URL, database 15 by default) under a key prefix of the
    test's own, as production has it (shop.cache): shared by every process. Skipped when no Redis answers.
    Gives a client of that Redis."""
    import uuid

    import redis

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"needs Redis at {url}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": {"BACKEND": "shop.cache.ResilientRedisCache", "LOCATION": url, "KEY_PREFIX": prefix}}
    yield client  # to look at Redis itself (cache.make_key gives a key's name there)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def card_cache(settings):
    settings.CARD_CACHE_SECONDS = 600


def _catalogues(root):
    """The project's catalogue (locale/) and each app's own (<app>/locale/, <app>/<sub>/locale/)."""
    for pattern in (
        "locale/*/LC_MESSAGES/django.po",
        "*/locale/*/LC_MESSAGES/django.po",
        "*/*/locale/*/LC_MESSAGES/django.po",
    ):
        for path in sorted(root.glob(pattern)):
            if ".venv" not in path.parts:
                yield path


def pytest_sessionstart(session):
    """Compile locale/*.po into .mo files (build output, not committed) so pages render translated.

    Uses Babel (a runtime dependency), so GNU gettext is not needed. Pages the
    tests render in Vietnamese read these catalogues; Django's cached catalogues
    are dropped when one was rebuilt.
    """
    import os
    import tempfile
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    rebuilt = False
    for po_path in _catalogues(Path(__file__).resolve().parent):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Write beside the target, then rename: a parallel test run never reads half a file.
        with tempfile.NamedTemporaryFile("wb", dir=mo_path.parent, delete=False) as tmp:
            write_mo(tmp, catalog)
        os.chmod(tmp.name, 0o644)
        os.replace(tmp.name, mo_path)
        rebuilt = True
    if rebuilt:
        import gettext

        from asgiref.local import Local
        from django.utils.translation import trans_real

        # Python's gettext caches parsed .mo files by path: drop the stale ones too.
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


# --- Fixtures shared by every app's tests (``pytestmark = pytest.mark.usefixtures("english")``) -----------


@pytest.fixture
def english():
    """The test's code runs in English (messages and labels it reads), whatever the request language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def staff():
    """A marketplace staff member who moderates (not a superuser)."""
    from catalog.tests.helpers import make_user

    return make_user("kiemduyet@socongthuong.vn", is_staff=True, first_name="Trần", last_name="Kiểm")
