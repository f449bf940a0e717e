"""How the catalogue page scales: queries, time and peak memory for 10, 50 and 200 products.

    .venv/bin/python bench/catalogue_queries.py            # or: make bench
    .venv/bin/python bench/catalogue_queries.py 10 100     # other sizes

Each size is built inside a transaction that is rolled back, so the database is
left as it was. Products already listed there are hidden (inside the same
transaction) so the page shows exactly N cards, all on one page, each with an
image, a certificate, a price and stock. The database is the configured one
(``DATABASE_URL``) when its migrations are all applied, else a throwaway test
database like the test suite's. The query count should be the same for every N.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_databases, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from bench import builders  # noqa: E402

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")

RUNS = 5


class Rollback(Exception):
    pass


def fully_migrated() -> bool:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    try:
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # no database at all
        return False


def add_products(count: int) -> None:
    food = Category.objects.filter(depth=1, code="food").first()
    for index in range(count):
        product = builders.certified_product(
            title=f"Nước mắm Cửa Đại {index}", stars=3 + index % 3, price=Decimal(50000 + 1000 * index)
        )
        if food is not None:
            product.categories.add(food)


def measure(count: int, *, show_sql: bool = False) -> tuple[int, int, float, float, int]:
    """(first-request queries, warm queries, median ms, peak MiB, cards) of the page listing ``count`` products."""
    client = Client()
    url = reverse("catalogue:index")
    try:
        with transaction.atomic():
            Product.objects.update(is_public=False)  # rolled back with the rest
            add_products(count)
            with override_settings(OSCAR_PRODUCTS_PER_PAGE=count):
                with CaptureQueriesContext(connection) as first:
                    client.get(url)  # makes the session and every image's thumbnail
                cold = len(first)  # count now: the next request empties the query log
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                queries = len(captured)
                if show_sql:
                    for query in captured.captured_queries:
                        print("   ", query["sql"][:160])
                timings = []
                for _ in range(RUNS):
                    start = time.perf_counter()
                    client.get(url)
                    timings.append((time.perf_counter() - start) * 1000)
                tracemalloc.start()
                client.get(url)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            cards = response.content.decode().count('class="ocop-card__badge"')
            raise Rollback
    except Rollback:
        pass
    return cold, queries, statistics.median(timings), peak / 2**20, cards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10, 50, 200])
    parser.add_argument("--sql", action="store_true", help="print the warm page's queries")
    args = parser.parse_args()

    throwaway = None
    if not fully_migrated():
        print("Configured database not migrated: building a throwaway test database...", flush=True)
        throwaway = setup_databases(verbosity=0, interactive=False)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media, ALLOWED_HOSTS=["testserver"]):
            print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
            print("queries: warm page (first request, which makes the thumbnails); ms: median of 5 warm requests")
            print(f"{'products':>8} {'cards':>6} {'queries':>8} {'(first)':>8} {'ms':>8} {'peak MiB':>9}")
            for count in args.sizes:
                cold, queries, ms, peak, cards = measure(count, show_sql=args.sql)
                print(f"{count:>8} {cards:>6} {queries:>8} {cold:>8} {ms:>8.1f} {peak:>9.1f}", flush=True)
    finally:
        if throwaway is not None:
            teardown_databases(throwaway, verbosity=0)


if __name__ == "__main__":
    main()
