"""The URL map (documented in README.md).

/                   Wagtail home page (cms.HomePage)
/catalogue/         browse and product pages (Oscar catalogue, our search app)
/search/            product search
/basket/, /checkout/, /accounts/   Oscar
/dashboard/         Oscar dashboard (staff, and producers for their own shop)
/cms-admin/         Wagtail admin (Department of Industry and Trade editors)
/django-admin/      Django admin (administrators)
/i18n/setlang/      language switcher (POST)
anything else       Wagtail pages (campaigns, information pages)
"""

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
