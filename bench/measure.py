#!/usr/bin/env python3
# Copied from /work/shared/perf/measure.py (the yardstick shared by the performance work), reformatted.
"""Measure Django pages as ratios against a bare view served by the same stack.

Serves the project with gunicorn (2 sync workers) under an overlay settings
module that adds a query-counting middleware (X-Query-Count header) and a
/__bare__/ view (tiny template, full middleware stack). For each --url it
records status and query count (5 GETs after warm-up; min-max if they differ),
then alternates --rounds of (bare, url) load runs (wrk, or a Python threaded
client) and prints medians and paired per-round url/bare ratios (median).

  measure.py --project DIR --python VENV/bin/python --settings shop.settings \
      [--env DB=pg] --url / /catalogue/ [--seconds 5 --rounds 3] [--json out.json]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

OVERLAY_SETTINGS = """\
from {settings} import *  # noqa
PERF_ORIG_URLCONF = ROOT_URLCONF
DEBUG = False
ALLOWED_HOSTS = ["*"]
MIDDLEWARE = ["perf_overlay_mw.QueryCountMiddleware"] + list(MIDDLEWARE)
ROOT_URLCONF = "perf_overlay_urls"
"""
OVERLAY_MW = """\
import contextlib
from django.db import connections

class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]
        def counter(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)
        with contextlib.ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(counter))
            response = self.get_response(request)
        response["X-Query-Count"] = str(count[0])
        return response
"""
OVERLAY_URLS = """\
from importlib import import_module
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.urls import path

_orig = import_module(settings.PERF_ORIG_URLCONF)
_tpl = engines["django"].from_string("<html><body><p>Hello {{ name }}</p></body></html>")

def bare(request):
    return HttpResponse(_tpl.render({"name": "bare"}))

urlpatterns = [path("__bare__/", bare)] + list(_orig.urlpatterns)
for _h in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(_orig, _h):
        globals()[_h] = getattr(_orig, _h)
"""
OVERLAY_WSGI = """\
from django.core.wsgi import get_wsgi_application
application = get_wsgi_application()
"""
BARE = "/__bare__/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_once(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, resp.getheader("X-Query-Count"), body


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(port, path, seconds, conns, threads):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lat = {m[0]: to_ms(m[1], m[2]) for m in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": lat["50"],
        "p99": lat["99"],
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0),
    }


def run_python(port, path, seconds, conns, threads):
    lats, errors, lock = [], [0], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        mine, bad = [], 0
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                c.close()
                bad += r.status >= 400
            except OSError:
                bad += 1
            mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            lats.extend(mine)
            errors[0] += bad

    start = time.perf_counter()
    ts = [threading.Thread(target=worker) for _ in range(conns)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - start
    lats.sort()

    def pct(q):
        return lats[min(len(lats) - 1, int(q * len(lats)))] if lats else float("nan")

    return {"rps": len(lats) / elapsed, "p50": pct(0.50), "p99": pct(0.99), "errors": errors[0]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--project", required=True, help="directory containing the settings package")
    ap.add_argument("--python", required=True, help="the project's venv python")
    ap.add_argument("--settings", required=True, help="settings module, e.g. shop.settings")
    ap.add_argument("--env", action="append", default=[], metavar="K=V", help="extra server environment")
    ap.add_argument("--url", nargs="+", action="extend", required=True, metavar="PATH")
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--settle", type=float, default=1.0, help="seconds to pause after each load run, so queued requests drain"
    )
    ap.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument("--json", metavar="OUT", help="write all figures (including every round) here")
    args = ap.parse_args()

    project, python = os.path.abspath(args.project), os.path.abspath(args.python)
    if subprocess.run([python, "-c", "import gunicorn"], capture_output=True).returncode:
        print("installing gunicorn into the venv", file=sys.stderr)
        subprocess.run([python, "-m", "pip", "install", "-q", "gunicorn"], check=True)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    load = run_wrk if client == "wrk" else run_python

    tmp = tempfile.mkdtemp(prefix="perf-overlay-")
    for name, text in [
        ("perf_overlay_settings.py", OVERLAY_SETTINGS.format(settings=args.settings)),
        ("perf_overlay_mw.py", OVERLAY_MW),
        ("perf_overlay_urls.py", OVERLAY_URLS),
        ("perf_overlay_wsgi.py", OVERLAY_WSGI),
    ]:
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="perf_overlay_settings",
        PYTHONPATH=os.pathsep.join([tmp, project] + [p for p in [os.environ.get("PYTHONPATH")] if p]),
    )
    env.update(kv.split("=", 1) for kv in args.env)
    port = free_port()
    log = open(os.path.join(tmp, "gunicorn.log"), "w+")
    server = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            project,
            "--log-level",
            "warning",
            "--timeout",
            "120",
            "perf_overlay_wsgi:application",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results = {
        "client": client,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "connections": args.connections,
        "workers": args.workers,
        "urls": {},
    }
    try:
        status = None
        for _ in range(120):  # up to ~60 s for the workers to boot
            if server.poll() is not None:
                break
            try:
                status = get_once(port, BARE)[0]
                break
            except OSError:
                time.sleep(0.5)
        if status != 200:
            log.seek(0)
            sys.exit(f"server did not serve {BARE} (status {status}); gunicorn log:\n{log.read()[-3000:]}")

        print(
            f"client={client} seconds={args.seconds} rounds={args.rounds} conns={args.connections} "
            f"workers={args.workers}"
        )
        print(
            f"{'url':<40} {'status':>6} {'queries':>7} {'req/s':>8} {'p50ms':>7} {'p50/bare':>8} {'rps/bare':>8}"
            f"  {'p50/bare min-max':>16}"
        )
        for path in [BARE] + [u for u in args.url if u != BARE]:
            for _ in range(5 * args.workers):  # warm every worker: per-process caches, lazy imports
                get_once(port, path)
            seen = [get_once(port, path) for _ in range(5)]  # status/queries/body, steady state
            status, body = seen[-1][0], seen[-1][2]
            counts = sorted({int(q) for _, q, _ in seen if q is not None})
            queries = f"{counts[0]}-{counts[-1]}" if len(counts) > 1 else (str(counts[0]) if counts else "?")
            rounds = []
            for _ in range(args.rounds):
                b = load(port, BARE, args.seconds, args.connections, 2)
                time.sleep(args.settle)
                u = load(port, path, args.seconds, args.connections, 2)
                time.sleep(args.settle)
                rounds.append({"bare": b, "url": u, "p50_ratio": u["p50"] / b["p50"], "rps_ratio": u["rps"] / b["rps"]})

            def med(key, side=None, rounds=rounds):
                return statistics.median(r[side][key] if side else r[key] for r in rounds)

            p50r = [r["p50_ratio"] for r in rounds]
            row = {
                "status": status,
                "queries": counts[0] if counts else None,
                "queries_seen": counts,
                "bytes": len(body),
                "rps": med("rps", "url"),
                "p50_ms": med("p50", "url"),
                "p99_ms": med("p99", "url"),
                "bare_rps": med("rps", "bare"),
                "bare_p50_ms": med("p50", "bare"),
                "p50_ratio": med("p50_ratio"),
                "rps_ratio": med("rps_ratio"),
                "p50_ratio_min": min(p50r),
                "p50_ratio_max": max(p50r),
                "errors": sum(r["url"]["errors"] for r in rounds),
                "rounds": rounds,
            }
            results["urls"][path] = row
            print(
                f"{path:<40} {status:>6} {queries:>7} {row['rps']:>8.1f} {row['p50_ms']:>7.2f} "
                f"{row['p50_ratio']:>8.2f} {row['rps_ratio']:>8.3f}  {min(p50r):>7.2f}-{max(p50r):<8.2f}"
                + (f" errors={row['errors']}" if row["errors"] else ""),
                flush=True,
            )
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
