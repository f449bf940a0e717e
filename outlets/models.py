"""Sales points (OCOP points and centres) and the ledger of the stock they hold.

A point sells through its own Oscar partner: its shelf of a product is the
stock record of (product, the point's partner). ``num_in_stock`` is what is on
the shelf, ``num_allocated`` what is reserved for collection orders. Every
change of those counts writes a ``StockMovement`` (``outlets.stock`` does both
in one transaction), so a record's on-hand equals the sum of its movements.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outlets import geography


class Outlet(models.Model):
    class Kind(models.TextChoices):
        SALES_POINT = "sales_point", _("District OCOP sales point")
        DISTRICT_CENTRE = "district_centre", _("District OCOP centre")
        PROVINCIAL_CENTRE = "provincial_centre", _("Provincial OCOP centre")
        REGIONAL_CENTRE = "regional_centre", _("Regional OCOP centre")
        PARTNER_SHOP = "partner_shop", _("Partner shop")

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices, default=Kind.SALES_POINT)
    street = models.CharField(_("street address"), max_length=255)
    ward_code = models.PositiveIntegerField(_("commune/ward code"))
    ward_name = models.CharField(_("commune/ward"), max_length=64, blank=True)
    province_code = models.PositiveIntegerField(_("province code"), default=geography.DA_NANG)
    province_name = models.CharField(_("province"), max_length=64, blank=True)
    former_district = models.ForeignKey(
        "catalogue.District",
        on_delete=models.PROTECT,
        related_name="outlets",
        verbose_name=_("former district"),
        help_text=_("The district before 1 July 2025, which the OCOP programme's targets count."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("8")), MaxValueValidator(Decimal("24"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("102")), MaxValueValidator(Decimal("110"))],
    )
    opening_hours = models.CharField(_("opening hours"), max_length=128, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_outlets", verbose_name=_("managers")
    )
    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.PROTECT, related_name="outlet", verbose_name=_("partner")
    )
    is_demo = models.BooleanField(_("demo data"), default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sales point")
        verbose_name_plural = _("sales points")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=8, latitude__lte=24, longitude__gte=102, longitude__lte=110),
                name="outlet_in_vietnam",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        found = geography.ward(self.ward_code) if self.ward_code else None
        if found is None or found[1] != self.province_code:
            raise ValidationError({"ward_code": _("Choose a commune or ward of the province.")})
        self.ward_name = found[0].name
        self.province_name = geography.province_name(self.province_code)

    def get_absolute_url(self) -> str:
        return reverse("outlets:detail", kwargs={"slug": self.slug})

    @property
    def address(self) -> str:
        return ", ".join(part for part in (self.street, self.ward_name, self.province_name) if part)

    @property
    def directions_url(self) -> str:
        return f"https://www.google.com/maps/dir/?api=1&destination={self.latitude},{self.longitude}"


class StockMovement(models.Model):
    """One change of a point's stock of one product; the ledger is never edited."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt from a producer")
        SALE = "sale", _("Sale at the counter")
        TRANSFER_OUT = "transfer_out", _("Transfer to another point")
        TRANSFER_IN = "transfer_in", _("Transfer from another point")
        ADJUSTMENT = "adjustment", _("Adjustment")
        RESERVATION = "reservation", _("Reserved for a collection order")
        RELEASE = "release", _("Reservation released")
        COLLECTION = "collection", _("Collected by the customer")

    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, related_name="movements", verbose_name=_("sales point")
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="movements", verbose_name=_("stock record")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    on_hand_delta = models.IntegerField(_("change on the shelf"), default=0)
    reserved_delta = models.IntegerField(_("change in reserved"), default=0)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    counterpart = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("other point")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["outlet", "created_at"]), models.Index(fields=["stockrecord", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(on_hand_delta=0) | ~Q(reserved_delta=0), name="stock_movement_changes_something"
            ),
            models.CheckConstraint(condition=~Q(kind="adjustment") | ~Q(reason=""), name="stock_adjustment_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_hand_delta:+d}"
