"""A search server for the Elasticsearch backend's tests.

With ``ELASTICSEARCH_URL`` set (docker compose), the tests use that Elasticsearch.
Otherwise they start osmem-server, an in-memory OpenSearch-compatible server
from the dev requirements, once per test session on a free port. The tests are
skipped only when neither is available, and say why.
"""

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

import pytest

from search.backends import get_backend

STARTUP_SECONDS = 15


@dataclass(frozen=True)
class SearchServer:
    url: str
    compat_headers: bool  # Elasticsearch 8 takes its client's media types; OpenSearch servers do not


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def search_server():
    if os.environ.get("ELASTICSEARCH_URL"):
        yield SearchServer(url=os.environ["ELASTICSEARCH_URL"], compat_headers=True)
        return
    try:
        from osmem_server import OsmemError, resolve_binary

        binary = resolve_binary()
    except (ImportError, OsmemError) as error:
        pytest.skip(f"no search server: ELASTICSEARCH_URL unset and osmem-server unavailable ({error})")

    url = f"http://127.0.0.1:{_free_port()}"
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        # stdin stays open: osmem-server exits when it closes, so it cannot outlive the test run.
        [binary, "--addr", url.removeprefix("http://"), "--parent-pid", str(os.getpid()), "--no-ja"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace").strip()[-500:]
                pytest.skip(f"osmem-server did not answer at {url} (exit code {process.poll()}): {output}")
            time.sleep(0.05)
        yield SearchServer(url=url, compat_headers=False)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdin.close()
        log.close()


@pytest.fixture
def elasticsearch(search_server, settings, caplog):
    """The Elasticsearch backend on an empty index of its own, deleted after the test.

    The backend answers from the database when the server fails; the test fails
    if that happened, so what it asserts came from the search server.
    """
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = search_server.url
    settings.ELASTICSEARCH_COMPAT_HEADERS = search_server.compat_headers
    settings.ELASTICSEARCH_INDEX = f"ocop-products-test-{uuid.uuid4().hex[:12]}"
    backend = get_backend()
    backend.reset()
    yield backend
    backend.drop()
    failures = [
        record.getMessage() for record in caplog.get_records("call") if record.name == "search.backends.elasticsearch"
    ]
    assert not failures, f"the search server failed, the database answered: {failures}"


@pytest.fixture
def search_sync():
    """Runs the outbox worker once, as ``manage.py search_sync --once`` does; returns what it did."""
    from search import outbox

    def run():
        return outbox.drain(get_backend())

    return run
