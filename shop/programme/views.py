"""The public certificate registry (pages, open data, QR codes) and the Department's programme dashboard.

Reads come from ``catalog.registry`` (public certificates) and
``shop.programme.selectors`` (the dashboard's figures).
"""

from __future__ import annotations

import csv
import datetime
import json
import math

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalog import registry
from shop.programme import selectors

District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")

OPEN_DATA_MAX_AGE = 3600  # open data may be an hour old in a cache
QR_MAX_AGE = 86400


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(params) -> registry.RegistryFilters:
    return registry.RegistryFilters(
        q=params.get("q", "")[:100],
        district=params.get("district", "")[:64],
        commune=params.get("commune", "")[:128],
        stars=_int(params.get("stars")) if params.get("stars") in {"3", "4", "5"} else None,
        year=_int(params.get("year")),
    )


class RegistryView(TemplateView):
    """Every verified certificate, searchable; 50 a page."""

    template_name = "programme/registry.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        page = Paginator(registry.search_registry(_filters(self.request.GET)), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        today = timezone.localdate()
        for certificate in page.object_list:
            certificate.registry_status = registry.status_of(certificate, today)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            page_obj=page,
            certificates=page.object_list,
            districts=District.objects.order_by("name"),
            params=self.request.GET,
            query=query.urlencode(),
            status_labels=registry.Status.LABELS,
            **kwargs,
        )


def _export_page(request):
    certificates = registry.search_registry(_filters(request.GET))
    count = certificates.count()
    pages = max(math.ceil(count / registry.EXPORT_PAGE_SIZE), 1)
    page = _int(request.GET.get("page")) or 1
    if not 1 <= page <= pages:
        raise Http404(_("No such page."))
    start = (page - 1) * registry.EXPORT_PAGE_SIZE
    today = timezone.localdate()
    records = [registry.public_record(c, today) for c in certificates[start : start + registry.EXPORT_PAGE_SIZE]]
    next_url = None
    if page < pages:
        query = request.GET.copy()
        query["page"] = page + 1
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"count": count, "page": page, "pages": pages, "next": next_url, "results": records}


def _cached(response, max_age: int = OPEN_DATA_MAX_AGE):
    patch_cache_control(response, public=True, max_age=max_age)
    return response


class RegistryJsonView(View):
    """Open data: a page of public records (``schema.json`` describes it)."""

    def get(self, request):
        data = _export_page(request)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
        response["Link"] = f'<{request.build_absolute_uri(reverse("programme:registry_schema"))}>; rel="describedby"'
        if data["next"]:
            response["Link"] += f', <{data["next"]}>; rel="next"'
        return _cached(response)


class RegistryCsvView(View):
    """Open data as CSV (UTF-8 with BOM, so spreadsheets read Vietnamese): one page, the next in ``Link``."""

    def get(self, request):
        data = _export_page(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chung-nhan-ocop-{data["page"]}.csv"'
        response.write("\ufeff")
        writer = csv.DictWriter(response, fieldnames=registry.PUBLIC_FIELDS)
        writer.writeheader()
        for record in data["results"]:
            writer.writerow({k: "" if v is None else v for k, v in record.items()})
        if data["next"]:
            response["Link"] = f'<{data["next"]}>; rel="next"'
        return _cached(response)


class RegistrySchemaView(View):
    def get(self, request):
        return _cached(
            HttpResponse(
                json.dumps(registry.PAGE_SCHEMA, ensure_ascii=False, indent=2), content_type="application/schema+json"
            )
        )


class CertificateView(TemplateView):
    """One certificate's stable public page."""

    template_name = "programme/certificate.html"

    def get_context_data(self, **kwargs):
        certificate = registry.public_certificates().filter(pk=self.kwargs["pk"]).first()
        if certificate is None:
            raise Http404(_("No verified certificate with this number."))
        today = timezone.localdate()
        return super().get_context_data(
            certificate=certificate,
            product=certificate.product,
            status=registry.status_of(certificate, today),
            status_labels=registry.Status.LABELS,
            today=today,
            qr_path=reverse("programme:certificate_qr", args=[certificate.pk, "svg"]),
            **kwargs,
        )


class ProductCertificateView(TemplateView):
    """A product's stable public page (its QR code opens it): is its OCOP badge valid today?"""

    template_name = "programme/product.html"

    def get_context_data(self, **kwargs):
        product, certificates = registry.product_certificates(self.kwargs["pk"])
        if product is None:
            raise Http404(_("No such product."))
        today = timezone.localdate()
        for certificate in certificates:
            certificate.registry_status = registry.status_of(certificate, today)
        current = next((c for c in certificates if c.is_valid_on(today)), None)
        return super().get_context_data(
            product=product,
            certificates=certificates,
            current=current,
            today=today,
            status_labels=registry.Status.LABELS,
            qr_path=reverse("programme:product_qr", args=[product.pk, "svg"]),
            **kwargs,
        )


class _QrView(View):
    page_name = ""

    def exists(self, pk: int) -> bool:
        raise NotImplementedError

    def get(self, request, pk: int, fmt: str):
        if fmt not in {"svg", "png"} or not self.exists(pk):
            raise Http404
        url = request.build_absolute_uri(reverse(self.page_name, args=[pk]))
        if fmt == "svg":
            response = HttpResponse(registry.qr_svg(url), content_type="image/svg+xml")
        else:
            response = HttpResponse(registry.qr_png(url), content_type="image/png")
        return _cached(response, QR_MAX_AGE)


class CertificateQrView(_QrView):
    page_name = "programme:certificate"

    def exists(self, pk: int) -> bool:
        return registry.public_certificates().filter(pk=pk).exists()


class ProductQrView(_QrView):
    page_name = "programme:product"

    def exists(self, pk: int) -> bool:
        return registry.registry_products().filter(pk=pk).exists()


# --- The Department's dashboard ------------------------------------------------------


def can_see_programme(user) -> bool:
    """Marketplace staff and the Department's users (who may view certificates)."""
    return user.is_active and (user.is_staff or user.has_perm("catalogue.view_ocopcertificate"))


def _date(value: str | None, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


class ProgrammeDashboardView(UserPassesTestMixin, TemplateView):
    template_name = "programme/dashboard.html"

    def test_func(self) -> bool:
        return can_see_programme(self.request.user)

    def period(self) -> selectors.Period:
        today = timezone.localdate()
        start = _date(self.request.GET.get("from"), datetime.date(2019, 1, 1))
        end = _date(self.request.GET.get("to"), today)
        if start > end:
            start, end = end, start
        return selectors.Period(start=start, end=end)

    def get(self, request, *args, **kwargs):
        tables = selectors.programme_figures(self.period(), timezone.localdate())
        export = request.GET.get("export")
        if export:
            table = next((t for t in tables if t.slug == export), None)
            if table is None:
                raise Http404
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="ocop-{table.slug}.csv"'
            response.write("\ufeff")
            writer = csv.writer(response)
            writer.writerow([str(c) for c in table.columns])
            writer.writerows(["" if v is None else v for v in row] for row in table.rows)
            return response
        return self.render_to_response(self.get_context_data(tables=tables, period=self.period(), **kwargs))
