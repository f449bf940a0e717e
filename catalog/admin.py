"""The Django admin (/django-admin/) for the catalogue: Oscar's, plus districts, producers and certificates."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.admin import *  # noqa: F403  (registers Oscar's catalogue admin)
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin
from oscar.core.loading import get_model

from catalog.forms import (
    CERTIFICATE_FIELDS,
    OcopCertificateForm,
    OcopCertificateInlineFormSet,
    hold_decisions,
    take_decisions,
)
from catalog.selectors import current_stars_subquery

District = get_model("catalogue", "District")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "producer_count")
    list_filter = ("kind",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(producer_count=Count("producers"))

    @admin.display(description=_("producers"), ordering="producer_count")
    def producer_count(self, district) -> int:
        return district.producer_count


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "district", "commune", "registration_number", "product_count")
    list_filter = ("kind", "district")
    search_fields = ("partner__name", "registration_number", "commune", "email", "phone")
    list_select_related = ("partner", "district")
    autocomplete_fields = ("partner",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("name"), ordering="partner__name")
    def name(self, producer) -> str:
        return producer.name

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, producer) -> int:
        return producer.product_count


class LastValidDayMixin:
    @admin.display(description=_("valid until"), ordering="valid_until")
    def last_valid_day(self, certificate) -> str:
        """The last day the certificate holds, as every page shows it (``OcopCertificate.last_valid_day``)."""
        day = certificate.last_valid_day
        return date_format(day, "d/m/Y") if day else "—"


class OcopCertificateInline(LastValidDayMixin, admin.StackedInline):
    model = OcopCertificate
    form = OcopCertificateForm
    formset = OcopCertificateInlineFormSet
    fields = [*CERTIFICATE_FIELDS, "last_valid_day"]
    readonly_fields = ["last_valid_day"]
    extra = 0


admin.site.unregister(Product)


@admin.register(Product)
class ProductAdmin(OscarProductAdmin):
    list_display = ("get_title", "producer", "district", "current_stars", "get_product_class", "is_public")
    list_filter = ["is_public", "producer__district", "producer__kind", "structure"]
    list_select_related = ("producer__partner", "producer__district", "product_class")
    search_fields = ["upc", "title", "title_en", "producer__partner__name"]
    autocomplete_fields = ("producer",)
    inlines = [OcopCertificateInline, *OscarProductAdmin.inlines]

    def save_formset(self, request, form, formset, change):
        if formset.model is not OcopCertificate:
            return super().save_formset(request, form, formset, change)
        held = hold_decisions(formset.forms)
        super().save_formset(request, form, formset, change)
        take_decisions(held, by=request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(current_stars=current_stars_subquery())

    @admin.display(description=_("district"), ordering="producer__district__name")
    def district(self, product):
        return product.producer.district if product.producer else None

    @admin.display(description=_("OCOP stars"), ordering="current_stars")
    def current_stars(self, product):
        return f"{product.current_stars}★" if product.current_stars else "—"


@admin.register(OcopCertificate)
class OcopCertificateAdmin(LastValidDayMixin, admin.ModelAdmin):
    form = OcopCertificateForm
    fields = ["product", *CERTIFICATE_FIELDS, "last_valid_day"]
    readonly_fields = ["last_valid_day"]
    list_display = (
        "product",
        "stars",
        "score",
        "decision_number",
        "decision_date",
        "level",
        "status",
        "last_valid_day",
        "state",
    )
    list_filter = ("stars", "level", "status", "kind", "product__producer__district")
    search_fields = ("product__title", "decision_number", "product__producer__partner__name")
    list_select_related = ("product",)
    autocomplete_fields = ("product",)
    date_hierarchy = "decision_date"

    def save_model(self, request, obj, form, change):
        held = hold_decisions([form])
        super().save_model(request, obj, form, change)
        take_decisions(held, by=request.user)

    def get_queryset(self, request):
        current = (
            OcopCertificate.objects.filter(OcopCertificate.valid_q(), product=OuterRef("product"))
            .order_by("-decision_date", "-pk")
            .values("pk")[:1]
        )
        return super().get_queryset(request).annotate(current_pk=Subquery(current))

    @admin.display(description=_("state"))
    def state(self, certificate) -> str:
        """Current (the product's certificate today), lapsed, superseded by a newer one, or its review status."""
        if certificate.status != OcopCertificate.Status.VERIFIED:
            return certificate.get_status_display()
        if certificate.pk == certificate.current_pk:
            return _("current")
        if certificate.valid_until <= timezone.localdate():
            return _("lapsed")
        return _("superseded")
