"""The URL map (documented in README.md).

/                   Wagtail home page (cms.HomePage)
/catalogue/         browse and product pages (Oscar catalogue, our search app)
/search/            product search
/basket/, /checkout/, /accounts/   Oscar
/dashboard/         Oscar dashboard (marketplace staff only)
/producer/          the producers' portal; /producer/apply/ to become a seller
/nha-san-xuat/<slug>/  a producer's shop page (storefront); /dia-chi/<province>/phuong-xa/ its wards (JSON)
/moderation/        staff moderation queue
/sales-points/      sales points: map, point pages, the counter, the staff registry (shop/outlets)
/chung-nhan/        public OCOP certificate registry, open data (CSV, JSON) and QR codes
/chuong-trinh/      OCOP programme dashboard (staff and Department users)
/cms-admin/         Wagtail admin (Department of Industry and Trade editors)
/django-admin/      Django admin (administrators)
/i18n/setlang/      language switcher (POST)
anything else       Wagtail pages (campaigns, information pages)
"""

import re

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shop.views import AccountAuthView, AccountRegistrationView, LogoutView, OrderLineView, healthz, registration_sent

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    # Before Oscar's own, at the same addresses: sign-out by POST only, an order line's page that exists.
    path("accounts/logout/", LogoutView.as_view()),
    # Registration that does not tell which addresses have accounts (shop.views.QuietRegistrationMixin).
    path("accounts/login/", AccountAuthView.as_view(), name="account-login"),
    path("accounts/register/", AccountRegistrationView.as_view(), name="account-register"),
    path("accounts/register/sent/", registration_sent, name="registration-sent"),
    path("accounts/orders/<str:order_number>/<int:line_id>/", login_required(OrderLineView.as_view())),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("producer/", include("shop.portal.urls")),
    path("moderation/", include("shop.portal.moderation_urls")),
    path("sales-points/", include("shop.outlets.urls")),
    path("", include("shop.programme.urls")),
    path("", include("shop.storefront.urls")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # django.conf.urls.static.static() is a no-op without DEBUG, hence the explicit pattern.
    urlpatterns += [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler500 = "shop.errors.server_error"  # branded, and renders with the database down
handler400 = "shop.errors.bad_request"
handler403 = "shop.errors.permission_denied"
handler404 = "shop.errors.page_not_found"  # no database either: an unknown address is cheap to answer
