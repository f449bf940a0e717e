"""Settings for the Chợ OCOP Quảng Nam marketplace.

Every setting that differs between machines comes from the environment and has
an embedded default, so ``make run`` works with nothing set: SQLite, database
search, local-memory cache, console e-mail and no card payments.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  (Oscar's documented way to take its defaults)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", True)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEBUG is off: set SECRET_KEY to a long random value in the environment.")
# true behind a TLS-terminating proxy: trust its X-Forwarded-Proto and X-Forwarded-For (docs/operations.md).
TLS_PROXY = env_bool("TLS_PROXY", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # First, so its catalogue (shop/storefront/locale) also mends Oscar's and Django's own Vietnamese strings.
    "shop.storefront",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Oscar: forked apps replace their originals in place.
    "shop.apps.ShopConfig",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "catalog.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "shop.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Our domain apps
    "shop.apps.ProjectConfig",  # shop/locale: the project's own strings
    "axes",  # sign-in lockout per account and per address
    "cms",
    "outlets",
    "mail",  # the e-mail queue (mail.queue) and its send_mail_queue worker
    # Front doors of our own (Oscar's forks are above)
    "shop.portal.apps.PortalConfig",
    "shop.outlets.apps.OutletPagesConfig",
    "shop.programme.apps.ProgrammeConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shop.csp.ContentSecurityPolicyMiddleware",  # before the page cache, which swaps in each request's nonce
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shop.middleware.RequestLimitsMiddleware",  # too many fields/files: a quick 400, in any mode
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "shop.basket.middleware.BasketMiddleware",  # Oscar's, reading the vouchers once
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Inside the CSRF and locale middleware: pages for anonymous shoppers (shop/page_cache.py).
    "shop.page_cache.AnonymousPageCacheMiddleware",
    "shop.ratelimit.RateLimitMiddleware",  # password reset, registration, seller applications, reviews
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    }
]

# Plain-text e-mails (mail.render_text): the same templates, without HTML escaping, so a customer's
# "Bộ đèn \"Thôn nữ\"" or "A & B" reads as typed. Second, so every other lookup finds the first engine.
TEMPLATES.append(
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    }
)

# --- Database -------------------------------------------------------------
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Seconds a worker keeps its database connection between requests. Opening a PostgreSQL connection costs
# a few milliseconds (a new server process), more than a cached page takes to serve, so PostgreSQL keeps
# it for a minute; a connection that broke meanwhile (a database restart) is noticed and replaced before
# the request uses it (CONN_HEALTH_CHECKS). SQLite opens a file in microseconds and keeps 0, so a
# db.sqlite3 rebuilt under a running server is read at once. runserver closes each request thread's
# connections anyway; tests are unaffected. docs/operations.md.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60" if _POSTGRESQL else "0"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
if _POSTGRESQL:
    # An unreachable database fails the request (branded 500, /healthz/ 503) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "3"))
    )
    # JIT compiled the old listing queries' plans on every request and cost more than it saved; the
    # listing queries are short now (docs/performance.md).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # No cache while Redis is down (logged once), short socket timeouts: shop/cache.py.
            "BACKEND": "shop.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
            },
        }
    }
else:
    # sorl keeps every thumbnail's key here: at the default 300 entries a long listing culls them
    # and each card's thumbnail goes back to the database (bench/catalogue_queries.py shows it).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}
    }

# Anonymous home, listing, search and product pages are cached this long at most; every catalogue
# change retires them at once (shop/page_cache.py). 0 turns the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Product cards' HTML on listing pages, keyed by their listing row's stamp (search/cards.py). 0 = off.
CARD_CACHE_SECONDS = int(os.environ.get("CARD_CACHE_SECONDS", "600"))
# The parts of the product page that every visitor sees alike (shop/storefront/fragments.py), for every
# visitor, signed in or not; retired the same way. 0 turns them off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "600"))

# --- Authentication -------------------------------------------------------
AUTHENTICATION_BACKENDS = (
    "shop.security.LoginThrottleBackend",  # django-axes, first: a locked-out account or address gets no further
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): the shop's, the CMS's and the Django admin's login all go through
# django.contrib.auth.authenticate, so one lockout covers the three. An account, or an address, with
# AXES_FAILURE_LIMIT failures in a row is locked for AXES_COOLOFF_TIME, the right password included.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = False  # else signing in to an own account would clear an address's failures
AXES_USERNAME_CALLABLE = "shop.security.login_name"
AXES_CLIENT_IP_CALLABLE = "shop.security.client_ip"
AXES_LOCKOUT_CALLABLE = "shop.security.login_locked_out"
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "/accounts/login/"

# Days a collection order waits at the sales point once ready, before its reservation is released.
OUTLETS_COLLECTION_DAYS = int(os.environ.get("OUTLETS_COLLECTION_DAYS", "7"))
# Map tiles of the sales points' map ({z}/{x}/{y}); the page lists and pins the points without them.
OUTLETS_MAP_TILES = os.environ.get("OUTLETS_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["shop.formats"]  # dates dd/mm/yyyy in both languages
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The editors' admin speaks the site's languages only: Vietnamese unless an editor picks English in their account.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Certificate and application scans: never served by a URL of their own, only by access-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
# Uploaded media served by Django itself (fine for a small shop; put a proxy in front at scale).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_STORAGE",
            "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = float(os.environ.get("EMAIL_TIMEOUT", "5"))  # a hanging mail server must not hold a worker
# On: order e-mails are queued in the order's transaction and sent by `manage.py send_mail_queue`
# (docker-compose's mail service), not rendered in the buyer's request. Off (no worker): sent after the commit.
MAIL_QUEUE = env_bool("MAIL_QUEUE", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chợ OCOP Quảng Nam <no-reply@ocop-quangnam.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Oscar ----------------------------------------------------------------
OSCAR_SHOP_NAME = "Chợ OCOP Quảng Nam"
OSCAR_SHOP_TAGLINE = _("Certified OCOP products of Quảng Nam")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_DEFAULT_CURRENCY = "VND"
OSCAR_CURRENCY_FORMAT = {"VND": {"currency_digits": True, "format_type": "standard"}}
OSCAR_PRODUCTS_PER_PAGE = 12
OSCAR_ALLOW_ANON_CHECKOUT = True
# A guest may use an address that has an account: refusing it told anyone which addresses have accounts.
OSCAR_ALLOW_GUEST_CHECKOUT_WITH_ACCOUNT = True
OSCAR_SLUG_ALLOW_UNICODE = False
OSCAR_SLUG_FUNCTION = "catalog.ocop.slugify_vi"  # "Đại Lộc" -> "dai-loc", not "u0110ai-loc"
OSCAR_HOMEPAGE = reverse_lazy("home")  # the Wagtail home page, not the catalogue
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "state", "country")

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

# --- Search (our forked search app) ---------------------------------------
# "database" works everywhere; "elasticsearch" needs ELASTICSEARCH_URL.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "ocop-products")  # an alias; sales points: "-outlets"
# false: plain application/json instead of Elasticsearch 8's compatibility media types (for OpenSearch).
ELASTICSEARCH_COMPAT_HEADERS = env_bool("ELASTICSEARCH_COMPAT_HEADERS", True)
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "database")
# A shopper's search waits this long for Elasticsearch (seconds, no retries), then the database answers
# for ELASTICSEARCH_RETRY_AFTER seconds; the outbox worker (search_sync) waits ELASTICSEARCH_WORKER_TIMEOUT.
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "0.3"))
ELASTICSEARCH_RETRY_AFTER = float(os.environ.get("ELASTICSEARCH_RETRY_AFTER", "30"))
ELASTICSEARCH_WORKER_TIMEOUT = float(os.environ.get("ELASTICSEARCH_WORKER_TIMEOUT", "30"))

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chợ OCOP Quảng Nam"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # /su-kien/hoi-cho-da-nang/, not /su-kien/hội-chợ-đà-nẵng/
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # avatars stay on the site: no request to gravatar.com
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no request to releases.wagtail.org (the CSP refuses it anyway)

# --- Payments -------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# A slow Stripe must not hold the checkout (and its stock row locks) for long.
# Worst case per call: timeout x (1 + retries); the customer is told to retry or pay cash on delivery.
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "4"))
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "0"))

# --- Shipping (home delivery, whole dong) ----------------------------------
SHIPPING_BASE_FEE = int(os.environ.get("SHIPPING_BASE_FEE", "30000"))
SHIPPING_FEE_PER_KG = int(os.environ.get("SHIPPING_FEE_PER_KG", "10000"))
SHIPPING_FREE_THRESHOLD = int(os.environ.get("SHIPPING_FREE_THRESHOLD", "500000"))

# --- Security in production (docs/operations.md) ---------------------------
# With DEBUG off the shop is HTTPS only: redirect, HSTS, Secure cookies. Behind a TLS-terminating
# proxy set TLS_PROXY=true, and only then is the proxy's X-Forwarded-Proto believed.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container health check speaks plain HTTP inside
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    if not SECURE_HSTS_PRELOAD:
        # Joining browsers' preload list is a separate, hard-to-undo decision: opt in with SECURE_HSTS_PRELOAD.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Content-Security-Policy (shop/csp.py): own origin and Stripe's only, inline scripts by nonce.
CONTENT_SECURITY_POLICY = env_bool("CONTENT_SECURITY_POLICY", not DEBUG)
CONTENT_SECURITY_POLICY_REPORT_ONLY = env_bool("CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
if TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Orders: each producer fulfils its own lines ---------------------------
from shop.order import statuses as _order_statuses  # noqa: E402

OSCAR_INITIAL_ORDER_STATUS = _order_statuses.PLACED
OSCAR_INITIAL_LINE_STATUS = _order_statuses.LINE_PENDING
OSCAR_ORDER_STATUS_PIPELINE = _order_statuses.ORDER_PIPELINE
OSCAR_LINE_STATUS_PIPELINE = _order_statuses.LINE_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = {_order_statuses.CANCELLED: _order_statuses.LINE_CANCELLED}
