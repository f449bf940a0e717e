"""Search, facet and suggest latency per search backend, in-process, on the bench catalogue.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench .venv/bin/python bench/build_catalogue.py --count 100000
    DATABASE_URL=... .venv/bin/python bench/search_latency.py                      # both backends
    DATABASE_URL=... .venv/bin/python bench/search_latency.py --backends database --runs 100

The products come from ``bench/build_catalogue.py`` (the bench's one data builder). For
Elasticsearch the script uses ``ELASTICSEARCH_URL`` when set, else starts osmem-server (the
in-memory OpenSearch-compatible server of the dev requirements) and fills an index of its own
with ``search_index --rebuild``'s code path. It prints p50/p95 in milliseconds for:

- search: one page of results (12 cards) for a query, no facets;
- facets: a filtered listing with every facet count (the sidebar), counted on every request, and
  its 12 cards loaded from the database on every request;
- facets, cards from the card cache: the same counts, counted on every request, with the cards
  taken from the card cache as the listing pages take them (``search.cards``: a card is loaded
  and rendered only when its listing row changed since it was cached; each card is rendered and
  stored once before timing). The counting work is the same as on the line above: this is what
  a listing page asks of the database and the cache after a catalogue change. It is printed for
  the four listings together, then for each: the catalogue's own counts (no query) and a search's;
- facets, kept: the same, as the listing pages ask for it (with the listing version, so the
  backend reuses the facet counts it computed under that version and day; the first request
  of each filter set counts, the others reuse);
- suggest: the search box's suggestions for a word being typed;

and the number of SQL queries of the search page. A search that Elasticsearch did not answer
(timeout, circuit open: the database answered instead) is counted and reported, never hidden.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import RequestContext, Template  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

from search import selectors  # noqa: E402
from search.backends import get_backend  # noqa: E402
from search.cache import listing_version  # noqa: E402
from search.cards import CardCache  # noqa: E402

Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")

SEARCHES = ["nuoc mam", "tra xanh", "mat ong rung", "banh trang dai loc", "que tra my", "nước mắm nhĩ", "nuoc mamm"]
# Listings with their facet counts: the catalogue's own (no query), then searches with the sidebar.
FACETED = {
    "the catalogue": selectors.ProductFilters(),
    "the catalogue, 5 stars": selectors.ProductFilters(stars=(5,)),
    "search 'tra', in stock": selectors.ProductFilters(query="tra", in_stock=True),
    "search 'nuoc mam', 4-5 stars, by price": selectors.ProductFilters(
        query="nuoc mam", stars=(4, 5), sort="price-asc"
    ),
}
SUGGESTS = ["nuo", "tra x", "mat o", "banh t", "ca ph", "que"]


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return f"p50 {statistics.median(samples) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   (n={len(samples)})"


def timed(call, runs: int) -> list[float]:
    call()  # warm: connections, caches of the server
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def start_osmem() -> tuple[str, subprocess.Popen]:
    from osmem_server import resolve_binary

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [resolve_binary(), "--addr", f"127.0.0.1:{port}", "--parent-pid", str(os.getpid()), "--no-ja"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return url, process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("osmem-server did not start")


def guest_request():
    request = RequestFactory().get("/catalogue/")
    request.user = AnonymousUser()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.strategy = Selector().strategy(request=request, user=request.user)  # as Oscar's middleware sets it
    request.basket = Basket()  # a guest's empty basket, not saved
    request.basket.strategy = request.strategy
    return request


def render_cards(products: list) -> None:
    """Render the cards as a listing page does, which stores each one in the card cache."""
    template = Template("{% load search_tags %}{% for card in cards %}{% product_card card %}{% endfor %}")
    template.render(RequestContext(guest_request(), {"cards": products}))


def page_queries(query: str) -> int:
    client = Client()
    with override_settings(ALLOWED_HOSTS=["*"]), CaptureQueriesContext(connection) as captured:
        # A parameter of its own, so no cached page answers.
        response = client.get("/search/", {"q": query, "bench": str(time.monotonic_ns())})
    assert response.status_code == 200, response.status_code
    return len(captured)


def measure(name: str, runs: int) -> None:
    backend = get_backend()
    fallbacks = []
    breaker = getattr(backend, "breaker", None)
    if breaker is not None:
        original = breaker.failed

        def counted(error):
            fallbacks.append(error)
            original(error)

        breaker.failed = counted
    groups = selectors.group_categories()
    print(f"\n== {name} backend ==")
    search = []
    for query in SEARCHES:
        filters = selectors.ProductFilters(query=query)
        search += timed(lambda f=filters: selectors.search_listing(f, groups=groups, facets=False), runs)
    print(f"search   {percentiles(search)}")
    facets = []
    for filters in FACETED.values():
        facets += timed(lambda f=filters: selectors.search_listing(f, groups=groups), runs)
    print(f"facets   {percentiles(facets)}")
    from_cache = {}
    with override_settings(CARD_CACHE_SECONDS=600):
        for label, filters in FACETED.items():

            def listing(f=filters):
                return selectors.search_listing(f, groups=groups, card_cache=CardCache(guest_request()))

            render_cards(listing().products)
            from_cache[label] = timed(listing, runs)
    print(f"facets, counted afresh, cards from the card cache  {percentiles(sum(from_cache.values(), []))}")
    for label, samples in from_cache.items():
        print(f"    {label:<40} {percentiles(samples)}")
    kept = []
    with override_settings(FRAGMENT_CACHE_SECONDS=600):
        version = listing_version()
        for filters in FACETED.values():
            kept += timed(lambda f=filters: selectors.search_listing(f, groups=groups, version=version), runs)
    print(f"facets, kept under the listing version  {percentiles(kept)}")
    suggest = []
    for prefix in SUGGESTS:
        suggest += timed(lambda p=prefix: selectors.suggestions(p), runs)
    print(f"suggest  {percentiles(suggest)}")
    print(f"queries  /search/?q=nuoc+mam: {page_queries('nuoc mam')} SQL queries")
    if breaker is not None:
        print(f"answered by the database instead of Elasticsearch: {len(fallbacks)} times")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="database,elasticsearch")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query (default 30)")
    parser.add_argument("--skip-index", action="store_true", help="reuse the Elasticsearch index as it is")
    parser.add_argument(
        "--es-timeout",
        type=float,
        default=5.0,
        help="seconds a search waits for Elasticsearch here (default 5, to measure it; the shop's is 0.3)",
    )
    args = parser.parse_args()
    total = Product.objects.count()
    print(f"{total} products on {connection.vendor}")
    osmem = None
    for name in args.backends.split(","):
        if name == "elasticsearch":
            url = os.environ.get("ELASTICSEARCH_URL", "")
            if not url:
                url, osmem = start_osmem()
                settings.ELASTICSEARCH_COMPAT_HEADERS = False
            settings.ELASTICSEARCH_URL = url
            settings.ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "ocop-bench")
            settings.ELASTICSEARCH_WORKER_TIMEOUT = 300  # bulk writes of a whole catalogue
            settings.ELASTICSEARCH_TIMEOUT = args.es_timeout
        settings.SEARCH_BACKEND = name
        if name == "elasticsearch" and not args.skip_index:
            started = time.perf_counter()
            ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
            get_backend().rebuild(ids, batch_size=500)
            print(f"indexed {len(ids)} products in Elasticsearch in {time.perf_counter() - started:.0f} s")
        measure(name, args.runs)
    if osmem is not None:
        osmem.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
