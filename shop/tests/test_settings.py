"""Settings come from the environment, with an embedded default for each."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, shop.settings as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS,"
    "'email': s.EMAIL_BACKEND, 'search': s.SEARCH_BACKEND, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def read_settings(**env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "ALLOWED_HOSTS",
            "EMAIL_BACKEND",
            "ELASTICSEARCH_URL",
            "SEARCH_BACKEND",
        }
    }
    clean.update(env)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def test_defaults_need_no_external_service():
    values = read_settings()
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["cache"].endswith("LocMemCache")
    assert values["email"].endswith("console.EmailBackend")
    assert values["search"] == "database"
    assert values["lang"] == "vi"
    assert values["tz"] == "Asia/Ho_Chi_Minh"


def test_environment_overrides_database_cache_and_hosts():
    values = read_settings(
        DATABASE_URL="postgres://u:p@dbhost:5432/shop",
        REDIS_URL="redis://cache:6379/1",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-key",
        ALLOWED_HOSTS="ocop.example.vn, www.ocop.example.vn",
        ELASTICSEARCH_URL="http://es:9200",
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["name"] == "shop"
    assert values["cache"].endswith("RedisCache")
    assert values["debug"] is False
    assert values["hosts"] == ["ocop.example.vn", "www.ocop.example.vn"]
    assert values["search"] == "elasticsearch"
