"""docker-compose.yml cannot run here (no Docker engine): check its wiring instead."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

COMPOSE = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())


def test_compose_has_web_postgres16_elasticsearch8_redis_and_the_search_thumbnail_and_mail_workers():
    services = COMPOSE["services"]
    assert set(services) == {"web", "search-sync", "thumbnails", "mail", "db", "search", "redis"}
    assert services["mail"]["command"][:3] == ["python", "manage.py", "send_mail_queue"]
    assert services["mail"]["environment"]["MAIL_QUEUE"] == "${MAIL_QUEUE:-true}"  # the web queues, it sends
    assert services["search-sync"]["command"][:3] == ["python", "manage.py", "search_sync"]
    assert services["thumbnails"]["command"][:3] == ["python", "manage.py", "make_thumbnails"]
    assert "media:/app/media" in services["thumbnails"]["volumes"]  # it reads and writes the web's media
    assert services["db"]["image"].startswith("postgres:16")
    assert services["search"]["image"].split(":")[-1].startswith("8.")
    assert services["search"]["environment"]["discovery.type"] == "single-node"
    assert services["redis"]["image"].startswith("redis:")


@pytest.mark.parametrize("name", ["web", "db", "search", "redis"])
def test_every_service_has_a_health_check(name):
    assert COMPOSE["services"][name]["healthcheck"]["test"]


def test_web_waits_for_healthy_backing_services_and_runs_gunicorn():
    web = COMPOSE["services"]["web"]
    assert {name: dep["condition"] for name, dep in web["depends_on"].items()} == {
        "db": "service_healthy",
        "redis": "service_healthy",
        "search": "service_healthy",
    }
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert "gunicorn shop.wsgi:application" in dockerfile


def test_web_environment_points_at_the_compose_services():
    env = COMPOSE["services"]["web"]["environment"]
    db = COMPOSE["services"]["db"]["environment"]
    assert env["DATABASE_URL"].startswith(f"postgres://{db['POSTGRES_USER']}:")
    assert env["DATABASE_URL"].endswith(f"@db:5432/{db['POSTGRES_DB']}")
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    assert env["ELASTICSEARCH_URL"] == "http://search:9200"
    assert env["DEBUG"] == "false"
    for variable in ("SECRET_KEY", "ALLOWED_HOSTS", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        assert variable in env


def test_data_lives_in_named_volumes():
    volumes = set(COMPOSE["volumes"])
    assert {"pgdata", "esdata", "redisdata", "media"} <= volumes
    assert "pgdata:/var/lib/postgresql/data" in COMPOSE["services"]["db"]["volumes"]
    assert "media:/app/media" in COMPOSE["services"]["web"]["volumes"]


def test_health_endpoint_checks_the_database(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_production_static_files_are_served_from_the_manifest_collectstatic_wrote(client, db, settings, tmp_path):
    """The image runs collectstatic with the storage it serves with: pages render with DEBUG off."""
    from django.core.management import call_command

    storage = "whitenoise.storage.CompressedManifestStaticFilesStorage"
    dockerfile = (Path(settings.BASE_DIR) / "Dockerfile").read_text()
    assert f"STATICFILES_STORAGE={storage}" in dockerfile
    assert COMPOSE["services"]["web"]["environment"]["STATICFILES_STORAGE"] == storage

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    call_command("collectstatic", interactive=False, verbosity=0)
    settings.DEBUG = False

    response = client.get("/catalogue/")
    assert response.status_code == 200
    # hashed names from the manifest, e.g. /static/img/ocop-mark.4c1b2f….svg
    assert "/static/img/ocop-mark." in response.content.decode()
    assert "/static/img/ocop-mark.svg" not in response.content.decode()


def test_the_shop_refuses_to_start_without_debug_on_the_development_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "false"
    result = subprocess.run(
        [sys.executable, "-c", "import shop.settings"], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def _compose_defaults() -> dict:
    """The web service's environment as docker compose fills it with nothing set in .env."""
    import re

    env = {}
    for name, value in COMPOSE["services"]["web"]["environment"].items():
        value = str(value)
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)  # ${X:-default} -> default
        env[name] = value
    env["SECRET_KEY"] = "k7#Qv9!mZp2@Lr5$Tx8^Wn3&Bc6*Hd1(Jf4)Gs0-Yu+Ea=Ri_Ok;Pl" * 2  # .env's own, required
    return env


def test_check_deploy_with_the_compose_defaults_prints_no_warning():
    import os
    import subprocess
    import sys

    env = {**os.environ, **_compose_defaults()}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest, never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_trusts_the_forwarded_proto_only_behind_the_tls_proxy_switch():
    import json
    import os
    import subprocess
    import sys

    probe = (
        "import json, shop.settings as s; print(json.dumps([getattr(s, 'SECURE_PROXY_SSL_HEADER', None),"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))"
    )
    base = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60}
    base.pop("TLS_PROXY", None)

    def read(**env):
        out = subprocess.run(
            [sys.executable, "-c", probe], env={**base, **env}, cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        return json.loads(out.stdout)

    assert read() == [None, True, 31536000, True, True]
    assert read(TLS_PROXY="true")[0] == ["HTTP_X_FORWARDED_PROTO", "https"]
