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
    "'email': s.EMAIL_BACKEND, 'search': s.SEARCH_BACKEND, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE,"
    "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'],"
    "'conn_health_checks': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
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
            "DB_CONN_MAX_AGE",
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


def test_postgresql_connections_are_kept_between_requests_and_checked_before_reuse():
    # A new PostgreSQL connection costs more than serving a cached page (docs/operations.md).
    postgresql = read_settings(DATABASE_URL="postgres://u:p@dbhost:5432/shop")
    assert (postgresql["conn_max_age"], postgresql["conn_health_checks"]) == (60, True)
    sqlite = read_settings()
    assert (sqlite["conn_max_age"], sqlite["conn_health_checks"]) == (0, False)
    closed = read_settings(DATABASE_URL="postgres://u:p@dbhost:5432/shop", DB_CONN_MAX_AGE="0")
    assert (closed["conn_max_age"], closed["conn_health_checks"]) == (0, False)
