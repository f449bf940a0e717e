"""CPU time and queries of one uncached product page, in-process (no web server).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/product_cpu.py
    ... bench/product_cpu.py --runs 50 --profile 30     # and the 30 costliest functions under cProfile
    ... bench/product_cpu.py --url /catalogue/some-product_12/ --sql

Runs the way the gunicorn bench serves a page to a new visitor: ``DEBUG`` off,
the page cache off (``PAGE_CACHE_SECONDS=0``), persistent database connections,
Django's test client without cookies (every request is a new guest). The
product is the one ``bench/pages.py`` measures (the first listed product) unless
``--url`` names another. Prints the page's queries (counted on a separate
request: capturing SQL costs time) and the p50 of CPU (``time.process_time``)
and wall time over ``--runs`` requests after a few warm-ups. Compare runs taken
in the same minute: the wall time moves with whatever else the machine does.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-product-cpu-" + "x" * 50)
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, when collectstatic has not run

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def product_url() -> str:
    from search.selectors import listed_products

    product = listed_products().order_by("pk").first()
    if product is None:
        sys.exit("No listed product in this database: run bench/build_catalogue.py first.")
    return product.get_absolute_url()


def get(url: str):
    response = Client().get(url)  # a new client each time: no cookies, a new guest
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return response


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="the product page to measure (default: the first listed product)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="print the page's queries")
    parser.add_argument("--width", type=int, default=200, help="characters of each query to print")
    parser.add_argument("--profile", type=int, metavar="N", help="print the N costliest functions (cumulative)")
    args = parser.parse_args()

    with override_settings(ALLOWED_HOSTS=["testserver", "localhost"]):
        url = args.url or product_url()
        for _ in range(args.warmups):
            get(url)
        captured = []

        def record(execute, sql, params, many, context):
            captured.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(record):
            response = get(url)
        cpu, wall = [], []
        for _ in range(args.runs):
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            get(url)
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start_wall) * 1000)
        print(f"{url}  database {connection.settings_dict['NAME']}  load {os.getloadavg()[0]:.2f}")
        print(
            f"queries {len(captured)}  CPU p50 {statistics.median(cpu):.1f} ms"
            f"  wall p50 {statistics.median(wall):.1f} ms"
            f"  ({args.runs} requests, {len(response.content) // 1024} KB page)"
        )
        if args.sql:
            for sql in captured:
                print("   ", sql[: args.width])
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.runs):
                get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
