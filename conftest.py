import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only tests on SQLite, and browser tests without Chromium.

    CI runs on PostgreSQL with chromium installed and sets REQUIRE_CHROMIUM=1,
    which turns a missing browser into a failure instead of a skip.
    """
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    has_chromium = os.path.exists(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "e2e" in item.keywords and not has_chromium and not os.environ.get("REQUIRE_CHROMIUM"):
            item.add_marker(pytest.mark.skip(reason="needs /usr/bin/chromium (apt-get install chromium)"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads in tests go to a temporary folder, never the repository's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
