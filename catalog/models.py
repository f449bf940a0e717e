"""The OCOP catalogue: districts, producers, products and their certificates.

Oscar's catalogue is forked here (label ``catalogue``); ``Product`` extends
Oscar's abstract product, every other Oscar model is kept as Oscar ships it.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from catalog import ocop


class District(models.Model):
    """A district-level unit of Quảng Nam (as of 2020): the origin and area of a product."""

    class Kind(models.TextChoices):
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    lat = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Producer(models.Model):
    """A chủ thể OCOP: the business behind one or more products, sold as an Oscar partner."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Cooperative (HTX)")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (THT)")
        HOUSEHOLD = "household", _("Household business")

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="producer", verbose_name=_("partner")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    registration_number = models.CharField(
        _("business registration number"),
        max_length=32,
        blank=True,
        help_text=_("Mã số doanh nghiệp / hộ kinh doanh, as on the registration certificate."),
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="producers", verbose_name=_("district")
    )
    commune = models.CharField(_("commune or ward"), max_length=128, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    story = models.TextField(_("story"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="producers/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="producer_unique_registration_number",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.partner.name

    def save(self, *args, **kwargs):
        self.commune = ocop.nfc(self.commune)
        self.address = ocop.nfc(self.address)
        self.story = ocop.nfc(self.story)
        super().save(*args, **kwargs)


class Product(AbstractProduct):
    producer = models.ForeignKey(
        Producer,
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
        verbose_name=_("producer"),
    )
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight_grams = models.PositiveIntegerField(
        _("shipping weight (g)"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )

    def save(self, *args, **kwargs):
        self.title = ocop.nfc(self.title)
        self.description = ocop.nfc(self.description)
        super().save(*args, **kwargs)

    @cached_property
    def current_certificate(self) -> "OcopCertificate | None":
        """The latest verified certificate valid today; uses prefetched certificates when present."""
        return OcopCertificate.current_among(self._certificates_for_lookup())

    def _certificates_for_lookup(self):
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "certificates" in cache:
            return cache["certificates"]
        return self.certificates.all()

    @property
    def ocop_stars(self) -> int | None:
        certificate = self.current_certificate
        return certificate.stars if certificate else None

    @cached_property
    def latest_certificate(self) -> "OcopCertificate | None":
        """The latest verified certificate, valid or not: says when a certificate lapsed."""
        verified = [c for c in self._certificates_for_lookup() if c.status == OcopCertificate.Status.VERIFIED]
        return max(verified, key=lambda c: (c.decision_date, c.pk), default=None)

    @property
    def certificate_lapsed(self) -> bool:
        return self.current_certificate is None and self.latest_certificate is not None


class OcopCertificate(models.Model):
    """One OCOP certification decision for a product. History is kept: renewals add rows."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        PROVINCE = "province", _("Province")
        CENTRAL = "central", _("Central")

    class Kind(models.TextChoices):
        NEW = "new", _("New")
        RENEWAL = "renewal", _("Renewal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("product")
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), choices=[(3, "3★"), (4, "4★"), (5, "5★")]
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Out of 100: 3★ 50–69, 4★ 70–89, 5★ 90–100. Leave empty if not published."),
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"))
    valid_until = models.DateField(
        _("valid until"), editable=False, help_text=_("First day the certificate is no longer valid.")
    )
    level = models.CharField(_("certifying level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("new or renewal"), max_length=16, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VERIFIED)
    scan = models.FileField(_("certificate scan"), upload_to="certificates/", blank=True)
    note = models.CharField(
        _("note"), max_length=255, blank=True, help_text=_("Where the facts come from, or what is estimated.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "decision_number"],
                condition=~Q(decision_number=""),
                name="certificate_unique_decision_per_product",
                violation_error_message=_("This product already has a certificate with this decision number."),
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=3) & Q(stars__lte=5), name="certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | (Q(stars=3) & Q(score__gte=50) & Q(score__lt=70))
                | (Q(stars=4) & Q(score__gte=70) & Q(score__lt=90))
                | (Q(stars=5) & Q(score__gte=90) & Q(score__lte=100)),
                name="certificate_score_in_star_band",
            ),
            models.CheckConstraint(
                condition=~Q(stars=5) | Q(level="central"), name="certificate_five_stars_only_central"
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "valid_until"])]

    def __str__(self) -> str:
        return f"OCOP {self.stars}★ {self.decision_number or self.decision_date}"

    def save(self, *args, **kwargs):
        self.valid_until = ocop.certificate_expiry(self.decision_date)
        self.decision_number = ocop.nfc(self.decision_number)
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict[str, list] = {}
        if self.score is not None and self.stars in ocop.SCORE_BANDS:
            if not ocop.score_fits_stars(self.score, self.stars):
                errors.setdefault("score", []).append(
                    _("A %(stars)s★ certificate needs a score of %(band)s; %(score)s is outside that band.")
                    % {"stars": self.stars, "band": ocop.BAND_LABELS[self.stars], "score": self.score}
                )
        if self.decision_date and self.decision_date > timezone.localdate():
            errors.setdefault("decision_date", []).append(
                _("The decision date cannot be in the future.")
            )
        if self.stars == 5 and self.level and self.level != self.Level.CENTRAL:
            errors.setdefault("level", []).append(_("Only the central level certifies 5★ products."))
        if errors:
            raise ValidationError(errors)

    @property
    def expires_on(self) -> datetime.date:
        return ocop.certificate_expiry(self.decision_date)

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.VERIFIED and self.decision_date <= day < self.expires_on

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    @classmethod
    def current_among(cls, certificates, day: datetime.date | None = None) -> "OcopCertificate | None":
        day = day or timezone.localdate()
        valid = [c for c in certificates if c.is_valid_on(day)]
        return max(valid, key=lambda c: (c.decision_date, c.pk), default=None)

    @classmethod
    def valid_q(cls, day: datetime.date | None = None, prefix: str = "") -> Q:
        """A filter for certificates valid on ``day``; ``prefix`` reaches them from another model."""
        day = day or timezone.localdate()
        return Q(
            **{
                f"{prefix}status": cls.Status.VERIFIED,
                f"{prefix}decision_date__lte": day,
                f"{prefix}valid_until__gt": day,
            }
        )


from oscar.apps.catalogue.models import *  # noqa: E402,F403  (Oscar's fork pattern: ours first)
