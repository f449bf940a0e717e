def health() -> dict:
    """Search's state for ``/healthz/``; never raises, and waits at most the request-path timeout.

    ``status`` is "ok", or "degraded" while Elasticsearch fails and the database answers searches.
    """
    from search.backends import get_backend
    from search.models import SearchOutbox

    backend = get_backend()
    probe = getattr(backend, "health", None)
    if probe is None:
        return {"status": "ok", "backend": "database"}
    state = probe()
    report = {
        "status": "ok" if state["ok"] else "degraded",
        "backend": "elasticsearch",
        "circuit": state["circuit"],
        "outbox_pending": SearchOutbox.objects.count(),
    }
    if not state["ok"]:
        report.update(answering="database", detail=state.get("error", ""))
    return report
