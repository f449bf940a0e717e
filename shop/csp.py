"""Content-Security-Policy: scripts only from the shop itself, Stripe, and inline blocks carrying this response's nonce.

Django 5.2 has no CSP of its own. Every request gets a fresh nonce (``{% csp_nonce %}``
in a template, from ``shop.templatetags.csp``); a script block without it does not run,
so markup that slips into a page cannot run script. The one external origin is Stripe's
(Stripe.js, its card frames and its API, as Stripe documents), plus the host of the
sales points' map tiles (``OUTLETS_MAP_TILES``) for images.

Compromise for the Wagtail admin: its widgets (choosers, date pickers, inline panels) write
inline ``<script>`` blocks that no template can give a nonce (wagtail/wagtail#1288, open), so
behind ``/cms-admin/`` (staff only; not its sign-in page) scripts may be inline. They
still come only from the shop itself: no other origin is allowed there either.

Compromise, on purpose: ``style-src`` allows ``'unsafe-inline'``. Oscar's dashboard
(TinyMCE, select2), Wagtail's admin and Leaflet write style elements and attributes at
run time; a style cannot run script, and giving up inline styles would mean forking
those editors. Scripts get no such allowance.

``CONTENT_SECURITY_POLICY`` (on by default with DEBUG off) sends the header;
``CONTENT_SECURITY_POLICY_REPORT_ONLY`` sends it as report-only instead, to try a
change in production without breaking a page.
"""

import re
import secrets
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

_nonce: ContextVar[str] = ContextVar("csp_nonce", default="")

STRIPE_SCRIPTS = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAMES = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")
STRIPE_API = ("https://api.stripe.com",)
STRIPE_IMAGES = ("https://*.stripe.com",)


def nonce() -> str:
    """This request's nonce ("" outside a request)."""
    return _nonce.get()


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


# The Wagtail admin's pages, once signed in: inline scripts allowed (see above).
INLINE_SCRIPT_PATHS = re.compile(r"^/cms-admin/(?!login/)")


def policy(request_nonce: str, *, inline_scripts: bool = False) -> str:
    images = ["'self'", "data:", "blob:", *STRIPE_IMAGES]
    tiles = _origin(settings.OUTLETS_MAP_TILES.replace("{s}", "*"))  # https://{s}.tile... -> https://*.tile...
    if tiles:
        images.append(tiles)
    connect = ["'self'", *STRIPE_API]
    stripe_api_base = _origin(settings.STRIPE_API_BASE or "")
    if stripe_api_base:  # a Stripe stand-in (localstripe) in development and tests
        connect.append(stripe_api_base)
    directives = {
        "default-src": ["'self'"],
        # A nonce would make browsers ignore 'unsafe-inline': one or the other.
        "script-src": ["'self'", "'unsafe-inline'" if inline_scripts else f"'nonce-{request_nonce}'", *STRIPE_SCRIPTS],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "frame-src": ["'self'", *STRIPE_FRAMES],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],  # Wagtail's preview frames the site in its own admin
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Give the request its nonce, and the response the policy that trusts it.

    Placed before the page cache, so a cached page's nonce is swapped for this
    request's (``shop.page_cache``) and always matches the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_nonce = secrets.token_urlsafe(18)
        token = _nonce.set(request_nonce)
        request.csp_nonce = request_nonce
        try:
            response = self.get_response(request)
        finally:
            _nonce.reset(token)
        if settings.CONTENT_SECURITY_POLICY and "Content-Security-Policy" not in response:
            header = (
                "Content-Security-Policy-Report-Only"
                if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
                else "Content-Security-Policy"
            )
            response[header] = policy(request_nonce, inline_scripts=bool(INLINE_SCRIPT_PATHS.match(request.path_info)))
        return response
