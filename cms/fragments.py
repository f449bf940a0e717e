"""The home page's campaign carousel and upcoming events, kept as HTML until something they show changes.

They change in two ways, and the cached blocks follow both:

- by a write: publishing, unpublishing or deleting a campaign or an event (by hand or on its schedule)
  raises the listing version (``search.cache``, through Wagtail's ``page_published`` and
  ``page_unpublished`` signals, ``shop.page_cache``: the home page is a listing), and so does a change to
  an image they show. The version is in the key, so the next request renders them afresh;
- by the clock: a campaign starts or ends, a shown event ends. The blocks are stored with the first such
  moment (``cms.selectors.home_schedule``) and are not served after it.

The key also holds the language and the host (a page's address may name its site). The blocks carry no
form and no script; ``search.fragments`` would refuse to store one with a nonce and would give a form this
visitor's CSRF token. ``FRAGMENT_CACHE_SECONDS`` bounds how long they are kept (0 turns them off).
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cms.selectors import home_schedule
from search import fragments
from search.cache import request_listing_version

BLOCKS = {"carousel": "cms/includes/campaign_carousel.html", "events": "cms/includes/home_events.html"}
LAYOUT = 1  # raise when a change of the blocks' templates must not serve blocks cached before it


def home_blocks(request) -> dict[str, SafeString]:
    """The carousel of running campaigns and the upcoming events, as HTML: from the cache while still true."""
    timeout = settings.FRAGMENT_CACHE_SECONDS
    if timeout <= 0 or request is None:
        return _render()[0]
    version = request_listing_version(request)  # before the pages are read: a change after it raises it
    key = f"fragment:home-blocks:{LAYOUT}:{version}:{get_language()}:{request.get_host()}"
    stored = cache.get(key)
    if stored is not None and (stored["until"] is None or timezone.now() < stored["until"]):
        return {name: fragments.thaw(request, html) for name, html in stored["html"].items()}
    html, until = _render()
    frozen = {name: fragments.freeze(piece) for name, piece in html.items()}
    if None not in frozen.values():
        cache.set(key, {"html": frozen, "until": until}, timeout)
    return html


def _render() -> tuple[dict[str, SafeString], object]:
    schedule = home_schedule()
    context = {"campaigns": schedule.campaigns, "events": schedule.events}
    # Without the request: the blocks show nothing of the visitor's, and no context processor needs to run.
    html = {name: mark_safe(render_to_string(template, context)) for name, template in BLOCKS.items()}  # noqa: S308
    return html, schedule.changes_at
