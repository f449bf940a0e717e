"""What ``/healthz/`` reports: one probe per dependency, each bounded by a short timeout.

The shop can sell while the cache, search or card payments are down (no cache,
database search, cash on delivery); it cannot sell without its database, so only
a database failure makes the whole answer "down" (HTTP 503).
"""

import logging
import time
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection

logger = logging.getLogger("shop.health")

OK = "ok"
DEGRADED = "degraded"
DOWN = "down"
OFF = "off"  # not configured, by choice: not a fault


@dataclass
class Probe:
    status: str
    detail: str = ""
    ms: int = 0
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        data = {key: value for key, value in asdict(self).items() if key != "extra" and value != ""}
        return {**data, **self.extra}


def _timed(probe):
    def run() -> Probe:
        started = time.monotonic()
        try:
            result = probe()
        except Exception as exc:  # a probe reports a failure, it never raises into the view
            logger.warning("Health probe %s failed: %s", probe.__name__, exc)
            result = Probe(DOWN, detail=type(exc).__name__)
        result.ms = round((time.monotonic() - started) * 1000)
        return result

    run.__name__ = probe.__name__
    return run


@_timed
def database() -> Probe:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        connection.close()  # the next request reconnects instead of reusing a broken connection
        return Probe(DOWN, detail=type(exc).__name__)
    return Probe(OK, extra={"vendor": connection.vendor})


@_timed
def cache() -> Probe:
    backend = caches["default"]
    ping = getattr(backend, "ping", None)
    if ping is None:
        return Probe(OK, extra={"backend": type(backend).__name__})
    ping()  # raises when Redis does not answer within its socket timeout
    return Probe(OK, extra={"backend": "redis"})


@_timed
def search() -> Probe:
    """The search app's own probe: Elasticsearch's circuit, bounded by its request timeout, and the outbox."""
    from search import health

    report = health()
    status = report.pop("status")
    return Probe(status, detail=report.pop("detail", ""), extra=report)


@_timed
def payment() -> Probe:
    keys = {
        "secret key": settings.STRIPE_SECRET_KEY,
        "publishable key": settings.STRIPE_PUBLISHABLE_KEY,
        "webhook secret": settings.STRIPE_WEBHOOK_SECRET,
    }
    missing = [name for name, value in keys.items() if not value]
    if len(missing) == len(keys):
        return Probe(OFF, detail="card payments not configured", extra={"cash_on_delivery": OK})
    if missing:
        return Probe(DEGRADED, detail="missing " + ", ".join(missing), extra={"cash_on_delivery": OK})
    return Probe(OK, extra={"cash_on_delivery": OK})


PROBES = {"database": database, "cache": cache, "search": search, "payment": payment}


def report() -> tuple[dict, bool]:
    """The health report and whether the shop can sell."""
    checks = {name: probe() for name, probe in PROBES.items()}
    can_sell = checks["database"].status == OK
    if not can_sell:
        status = DOWN
    elif all(check.status in (OK, OFF) for check in checks.values()):
        status = OK
    else:
        status = DEGRADED
    return {"status": status, "checks": {name: check.as_json() for name, check in checks.items()}}, can_sell
