"""Cached pieces of HTML that any visitor may be served, with the visitor's own CSRF token filled in.

A generic helper for fragment caches (product cards, ``search.cards``; usable by any page part):
``freeze`` turns rendered HTML into what may be stored, with each CSRF token of its forms swapped
for a placeholder, and ``thaw`` fills the placeholder with this request's token, as the whole-page
cache does (``shop.page_cache``). A fragment that carries a Content-Security-Policy nonce (an
inline script) belongs to one response and is never stored: ``freeze`` answers None.

The key is the caller's business: it must hold everything the fragment shows that can change
(``search.cards`` shows how: a row stamp, the language, the day).
"""

import re

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = "__csrf_token__"


def freeze(html: str) -> str | None:
    """``html`` as it may be stored for every visitor, or None when it must not be (it carries a nonce)."""
    if "nonce=" in html:
        return None
    return CSRF_FIELD.sub(r"\g<1>" + CSRF_PLACEHOLDER + r"\g<2>", str(html))


def thaw(request, frozen: str) -> SafeString:
    """A stored fragment with this visitor's CSRF token (asked once per request, however many fragments)."""
    if CSRF_PLACEHOLDER in frozen:
        token = getattr(request, "_fragment_csrf_token", None)
        if token is None:
            # The visitor's own token; get_token also makes the CSRF middleware set its cookie.
            token = get_token(request) if request is not None else ""
            if request is not None:
                request._fragment_csrf_token = token
        frozen = frozen.replace(CSRF_PLACEHOLDER, token)
    return mark_safe(frozen)  # noqa: S308 - HTML the template engine rendered and escaped


def store(key: str, html: str, timeout: int) -> None:
    """Keeps ``html`` under ``key`` for ``timeout`` seconds, unless it must not be shared (``freeze``)."""
    frozen = freeze(html)
    if frozen is not None and timeout > 0:
        cache.set(key, frozen, timeout)
