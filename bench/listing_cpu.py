"""CPU and wall time of uncached listing pages, in-process: the figure to compare before and after a change.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench10000 DB_CONN_MAX_AGE=60 \
        .venv/bin/python bench/listing_cpu.py
    ... bench/listing_cpu.py --runs 30 --url /catalogue/ --profile /tmp/catalogue.prof

DEBUG off, the whole-page cache off (``PAGE_CACHE_SECONDS=0``), Django's test client with no
cookies (every request is a new guest, as wrk's are). For each page it prints the p50 of the
process's CPU time and of the wall time, and the queries, twice: with the caches warm (the
page asked before, so product cards, menu and category tree fragments are in the cache) and
cold (before every request, new card keys and a new catalogue version for this process, so
no card or fragment is found; thumbnails stay known). CPU time is the figure to trust on a shared
machine: wall time includes waiting for the cores and for PostgreSQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["DEBUG"] = "false"
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from search import cache as search_cache  # noqa: E402

Category = get_model("catalogue", "Category")


def pages() -> list[str]:
    category = Category.objects.filter(depth=1, code="food").first()
    urls = ["/catalogue/", "/catalogue/?page=200"]
    if category:
        urls.append(category.get_absolute_url())
    return urls + ["/catalogue/?stars=5&district=hoi-an", "/", "/search/?q=" + quote_plus("sam")]


def request(url: str) -> tuple[float, float, int]:
    client = Client()  # no cookies: a new guest
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return cpu * 1000, wall * 1000, len(queries)


def go_cold() -> None:
    """Cold product card and fragment caches (thumbnails stay known): new card keys, a new catalogue version
    and listing version for this process alone (nothing is written to the database)."""
    from search import cards

    cards.CARD_LAYOUT += 1
    number = search_cache._stored_version() + cards.CARD_LAYOUT * 1000
    search_cache.catalogue_version = lambda: number
    search_cache.listing_version = lambda: number


def measure(url: str, runs: int, *, cold: bool) -> tuple[float, float, int]:
    cpu, wall, counts = [], [], []
    for _ in range(runs):
        if cold:
            go_cold()
        c, w, q = request(url)
        cpu.append(c)
        wall.append(w)
        counts.append(q)
    return statistics.median(cpu), statistics.median(wall), max(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--url", nargs="+", metavar="PATH")
    parser.add_argument("--profile", metavar="OUT", help="cProfile the warm runs of the first page into OUT")
    parser.add_argument("--warm-only", action="store_true")
    args = parser.parse_args()
    urls = args.url or pages()
    connection.ensure_connection()
    print(f"load average {os.getloadavg()[0]:.2f}; p50 of {args.runs} runs, milliseconds")
    print(f"{'page':<44} {'warm cpu':>9} {'wall':>7} {'q':>3}   {'cold cpu':>9} {'wall':>7} {'q':>3}")
    for url in urls:
        for _ in range(3):
            request(url)
        warm = measure(url, args.runs, cold=False)
        cold = (0.0, 0.0, 0) if args.warm_only else measure(url, args.runs, cold=True)
        print(f"{url[:44]:<44} {warm[0]:9.1f} {warm[1]:7.1f} {warm[2]:3d}   {cold[0]:9.1f} {cold[1]:7.1f} {cold[2]:3d}")
    if args.profile:
        import cProfile

        request(urls[0])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            request(urls[0])
        profiler.disable()
        profiler.dump_stats(args.profile)
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
