"""The shop's URLs with MEDIA_ROOT served, as with DEBUG or SERVE_MEDIA: what a leaked scan URL would hit."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from shop.urls import urlpatterns as shop_urlpatterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request: tests move MEDIA_ROOT


urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media), *shop_urlpatterns]
