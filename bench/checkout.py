"""Time placing orders: N guest cash-on-delivery orders one after another, on the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/checkout.py --orders 30
    ... bench/checkout.py --orders 30 --mail-queue on   # the confirmation queued, sent by the worker after

Each order is a fresh basket with two products (built outside the timing), a
Hội An address and the shop's delivery method. What is timed is
``shop.order.services.place_order``: lock the basket, allocate stock under row
locks, write the order and its lines, and after the commit the confirmation
e-mail (locmem backend unless EMAIL_BACKEND says otherwise) and the listing
rows of the products whose stock changed. ``--mail-queue on|off`` sets
``settings.MAIL_QUEUE`` (default off, whatever the environment says): on, the
confirmation is a ``mail.MailJob`` row written with the order, and the worker's
time per message (``mail.queue.drain``) is printed apart. Prints p50/p95 and the queries of one
placement. The orders stay in the database (they are bench data, marked by the
guest address ``bench-…@example.vn``).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


def products(count: int = 2) -> list:
    from search.backends.database import listed_rows

    Product = get_model("catalogue", "Product")
    ids = list(listed_rows().filter(in_stock=True).order_by("product_id").values_list("product_id", flat=True)[:50])
    chosen = [product for product in Product.objects.filter(pk__in=ids) if product.stockrecords.exists()]
    for product in chosen:  # enough stock for every order of the run
        record = product.stockrecords.order_by("pk").first()
        record.num_in_stock = (record.num_allocated or 0) + 100_000
        record.save()
    return chosen[:count]


def order_inputs(index: int, items: list) -> dict:
    from django.contrib.auth.models import AnonymousUser

    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in items:
        basket.add_product(product, 1)
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM",
            "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam",
            "name": "Việt Nam",
        },
    )
    address = ShippingAddress(
        first_name="Nguyễn Thị",
        last_name="Lan",
        line1="12 Trần Phú",
        line3="Phường Minh An",
        line4="Hội An",
        state="Quảng Nam",
        country=country,
        phone_number="+84905123456",
    )
    method = Repository().get_default_shipping_method(basket=basket, shipping_addr=address)
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return {
        "basket": basket,
        "user": AnonymousUser(),
        "shipping_address": address,
        "shipping_method": method,
        "shipping_charge": charge,
        "total": total,
        "payment_method": "cod",
        "guest_email": f"bench-{index}@example.vn",
    }


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
    return f"p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms"


def main() -> int:
    from shop.order import services

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=30)
    parser.add_argument("--mail-queue", choices=("on", "off"), default="off", help="settings.MAIL_QUEUE for the run")
    args = parser.parse_args()
    from django.conf import settings

    settings.MAIL_QUEUE = args.mail_queue == "on"
    setup_test_environment()  # the locmem e-mail backend keeps what would be sent
    items = products()
    # What runs after the commit (the e-mail, the listing rows' stock columns, the outbox) is timed apart.
    hooks, run_hooks = [], connection.run_and_clear_commit_hooks

    def timed_hooks():
        started = time.perf_counter()
        run_hooks()
        hooks.append((time.perf_counter() - started) * 1000)

    connection.run_and_clear_commit_hooks = timed_hooks
    timings, cpu, after_commit, queries = [], [], [], 0
    for index in range(args.orders + 1):
        inputs = order_inputs(index, items)
        hooks.clear()
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            services.place_order(**inputs)
            elapsed = (time.perf_counter() - started) * 1000
            elapsed_cpu = (time.process_time() - started_cpu) * 1000
        if index:  # the first warms caches and imports
            timings.append(elapsed)
            cpu.append(elapsed_cpu)
            after_commit.append(sum(hooks))
            queries = len(captured)
    print(
        f"MAIL_QUEUE={args.mail_queue}: {args.orders} orders of {len(items)} lines on {connection.vendor}: "
        f"place_order {percentiles(timings)} (this process's CPU: {percentiles(cpu)}), {queries} queries each; "
        f"of which after the commit (e-mail unless queued, listing rows, outbox): {percentiles(after_commit)}"
    )
    if settings.MAIL_QUEUE:
        from mail import queue

        started = time.perf_counter()
        result = queue.drain(batch_size=args.orders + 1)
        elapsed = (time.perf_counter() - started) * 1000
        print(f"  the worker then sent {result.sent} queued e-mails, {elapsed / max(result.sent, 1):.1f} ms each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
