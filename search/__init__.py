def health() -> dict:
    """Search's state for ``/healthz/``; never raises, and waits at most the request-path timeout.

    ``status`` is "ok", or "down" while Elasticsearch fails; searches then still work, answered by the
    database (``answering``), so the shop stays up.
    """
    from search.backends import get_backend
    from search.models import SearchOutbox

    backend = get_backend()
    probe = getattr(backend, "health", None)
    if probe is None:
        return {"status": "ok", "backend": "database"}
    state = probe()
    report = {
        "status": "ok" if state["ok"] else "down",
        "backend": "elasticsearch",
        "circuit": state["circuit"],
        "outbox_pending": SearchOutbox.objects.count(),
    }
    if not state["ok"]:
        report.update(answering="database", detail=state.get("error", ""))
    return report
