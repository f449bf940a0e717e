"""Serve the shop with gunicorn (2 sync workers) and load every page with wrk, as ratios to a bare view.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/pages.py
    ... bench/pages.py --seconds 5 --rounds 3 --json out.json
    ... bench/pages.py --cached --env REDIS_URL=redis://127.0.0.1:6379/9    # pages from the cache

Run ``bench/build_catalogue.py`` first. The pages measured are the ones the
performance issue names (catalogue, page 200, a category, a filtered listing,
home, searches, a product page, the basket). ``bench/measure.py`` does the
measuring: it serves the project under an overlay that adds a bare view
(``/__bare__/``, tiny template, full middleware stack) and an ``X-Query-Count``
header, and alternates wrk runs of the bare view and each page. The ``rps/bare``
column is what to compare between runs and machines: absolute figures move
with whatever else the machine is doing. Load goes to 127.0.0.1 only, for
``--seconds`` × ``--rounds`` × 2 per page.
"""

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from oscar.core.loading import get_model  # noqa: E402

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

SEARCHES = ["sam", "nuoc mam", "trà", "mat ong rung", "xyzzy"]


def pages() -> list[str]:
    """The URLs to measure, found in the configured database."""
    from search.selectors import listed_products

    category = Category.objects.filter(depth=1, code="food").first()
    product = listed_products().order_by("pk").first()
    urls = ["/catalogue/", "/catalogue/?page=200"]
    if category:
        urls.append(category.get_absolute_url())
    urls += ["/catalogue/?stars=5&district=hoi-an", "/"]
    urls += ["/search/?q=" + quote_plus(query) for query in SEARCHES]
    if product:
        urls.append(product.get_absolute_url())
    urls.append("/basket/")
    return urls


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): measuring with the slower Python client", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", metavar="OUT")
    parser.add_argument("--env", action="append", default=[], metavar="K=V", help="extra server environment")
    parser.add_argument("--url", nargs="+", metavar="PATH", help="measure these pages instead")
    parser.add_argument(
        "--cached", action="store_true", help="with the anonymous page cache on (off by default: every page renders)"
    )
    args = parser.parse_args()
    ensure_wrk()
    env = ["DEBUG=false", "SECRET_KEY=bench-only-" + "x" * 50, "ALLOWED_HOSTS=127.0.0.1"]
    env += ["SECURE_SSL_REDIRECT=false", "SECURE_COOKIES=false"]  # plain HTTP on 127.0.0.1
    env += [f"{name}={os.environ[name]}" for name in ("DATABASE_URL", "REDIS_URL") if os.environ.get(name)]
    env += [] if args.cached else ["PAGE_CACHE_SECONDS=0"]
    env += args.env
    command = [sys.executable, str(ROOT / "bench" / "measure.py"), "--project", str(ROOT), "--python", sys.executable]
    command += ["--settings", "shop.settings", "--seconds", str(args.seconds), "--rounds", str(args.rounds)]
    for item in env:
        command += ["--env", item]
    if args.json:
        command += ["--json", args.json]
    command += ["--url", *(args.url or pages())]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
