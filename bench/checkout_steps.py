"""Time every step of a guest's checkout, request by request, on the configured database.

    createdb -h 127.0.0.1 -U postgres -T ocop_bench10000 ocop_bench_orders   # it writes orders: use a copy
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench_orders .venv/bin/python bench/checkout_steps.py

Each guest is a new visitor (Django's test client, in this process: the whole
middleware stack and the views, without gunicorn and the network, and without
CSRF checks) who adds two products to the basket, opens the basket, gives an
e-mail address, chooses home delivery when a sales point also offers
collection, gives a Hội An address, chooses cash on delivery, opens the
preview, places the order and sees the thank-you page. Each GET and POST is
timed on its own (wall and CPU) with its queries; the first guest warms caches
and is not counted. DEBUG is off, e-mail stays in memory, and templates are not
instrumented as in tests (no setup_test_environment), so rendering costs what
it costs in production. The orders stay in
the database (guest addresses ``bench-steps-…@example.vn``).
"""

import argparse
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.checkout import products  # noqa: E402

ADDRESS = {"first_name": "Nguyễn Thị Lan", "phone_number": "0905123456", "province": "48", "ward": "20410"}
ADDRESS["line1"] = "12 Trần Hưng Đạo"
METHOD_CODE = re.compile(r'name="method_code" value="([^"]+)"')
BASKET_ID = re.compile(r'name="basket_id" value="(\d+)"')


class Guest:
    def __init__(self, timings: dict) -> None:
        self.client = Client()
        self.timings = timings

    def step(self, name: str, method: str, url: str, data: dict | None = None, expect: int = 200):
        call = self.client.post if method == "POST" else self.client.get
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            response = call(url, data or {})
            wall, cpu = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        if response.status_code != expect and not (expect is None and response.status_code in (200, 302)):
            raise SystemExit(f"{name}: {method} {url} answered {response.status_code}, expected {expect}")
        self.timings[name].append((wall, cpu, len(captured)))
        return response

    def checkout(self, index: int, items: list) -> None:
        for number, product in enumerate(items, 1):
            url = reverse("basket:add", kwargs={"pk": product.pk})
            self.step(f"basket add ({number})", "POST", url, {"quantity": 1}, 302)
        self.step("basket page", "GET", reverse("basket:summary"))
        self.step("checkout: e-mail page", "GET", reverse("checkout:index"))
        email = {"username": f"bench-steps-{index}@example.vn", "options": "anonymous"}
        self.step("checkout: e-mail sent", "POST", reverse("checkout:index"), email, 302)
        response = self.step("shipping method (page or skip)", "GET", reverse("checkout:shipping-method"), expect=None)
        if response.status_code == 200:  # a sales point also offers collection: choose home delivery
            code = next(code for code in METHOD_CODE.findall(response.content.decode()) if code == "home-delivery")
            self.step("shipping method chosen", "POST", reverse("checkout:shipping-method"), {"method_code": code}, 302)
        self.step("address page", "GET", reverse("checkout:shipping-address"))
        self.step("address sent", "POST", reverse("checkout:shipping-address"), ADDRESS, 302)
        self.step("payment method page", "GET", reverse("checkout:payment-method"))
        self.step("payment method sent", "POST", reverse("checkout:payment-method"), {"method": "cod"}, 302)
        preview = self.step("preview", "GET", reverse("checkout:preview"))
        place = {"action": "place_order", "basket_id": BASKET_ID.search(preview.content.decode()).group(1)}
        self.step("place order", "POST", reverse("checkout:preview"), place, 302)
        self.step("thank-you page", "GET", reverse("checkout:thank-you"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guests", type=int, default=20)
    parser.add_argument("--budget", type=float, default=40.0, help="ms p50 a step should stay under (issue 9)")
    parser.add_argument("--mail-queue", choices=("on", "off"), default="off", help="settings.MAIL_QUEUE for the run")
    args = parser.parse_args()
    from django.conf import settings

    settings.MAIL_QUEUE = args.mail_queue == "on"  # on: the confirmation is queued, not sent in the request
    items = products()
    timings: dict[str, list] = defaultdict(list)
    Guest(defaultdict(list)).checkout(0, items)  # warm-up: imports, templates, caches
    for index in range(1, args.guests + 1):
        Guest(timings).checkout(index, items)

    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(q * len(values)))]

    print(
        f"{args.guests} guests, {len(items)} products, {connection.vendor}, in-process test client, DEBUG off, "
        f"MAIL_QUEUE={args.mail_queue}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"{'step':<34} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>7} {'queries':>7}")
    over = []
    for name, samples in timings.items():
        walls, cpus, queries = zip(*samples, strict=True)
        p50 = statistics.median(walls)
        counts = sorted(set(queries))
        shown = f"{counts[0]}-{counts[-1]}" if len(counts) > 1 else str(counts[0])
        print(f"{name:<34} {p50:>7.1f} {pct(walls, 0.95):>7.1f} {statistics.median(cpus):>7.1f} {shown:>7}")
        if p50 > args.budget:
            over.append(name)
    print(f"over {args.budget:.0f} ms p50: {', '.join(over) if over else 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
