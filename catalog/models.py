"""The OCOP catalogue: districts, producers, products and their certificates.

Oscar's catalogue is forked here (label ``catalogue``); ``Product`` extends
Oscar's abstract product, every other Oscar model is kept as Oscar ships it.
"""

import datetime
import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractCategory, AbstractProduct, AbstractProductImage
from oscar.core.loading import get_model

from catalog import ocop
from catalog.storage import private_storage


def random_upload_path(folder: str, filename: str) -> str:
    """A random name under ``folder``: a user's file name (``../../x.jpg``) never reaches the disk."""
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in {".jpg", ".jpeg", ".png", ".webp", ".pdf"} else ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def application_scan_upload(instance, filename: str) -> str:
    return random_upload_path("applications", filename)


def certificate_scan_upload(instance, filename: str) -> str:
    return random_upload_path("certificates", filename)


def revision_image_upload(instance, filename: str) -> str:
    return random_upload_path("revisions", filename)


class NfcTextMixin:
    """Every text field is stored in Unicode NFC, trimmed: the same word typed on two keyboards
    (precomposed or combining tone marks) compares, sorts and searches equal.

    The one place text is normalised on the way in; forms and services do not repeat it.
    """

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, ocop.nfc(value))
        super().save(*args, **kwargs)


class District(NfcTextMixin, models.Model):
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


class Producer(NfcTextMixin, models.Model):
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


class Moderation(models.TextChoices):
    """Where a product stands with the marketplace staff."""

    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Category(NfcTextMixin, AbstractCategory):
    """An OCOP product group (depth 1) or sub-group (depth 2), named in Vietnamese and English."""

    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)

    @property
    def display_name(self) -> str:
        """The name in the page's language: English pages use ``name_en`` when it is filled."""
        if self.name_en and (get_language() or "").split("-")[0] == "en":
            return self.name_en
        return self.name


class Product(NfcTextMixin, AbstractProduct):
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
    moderation = models.CharField(
        _("moderation"),
        max_length=16,
        choices=Moderation.choices,
        default=Moderation.APPROVED,
        help_text=_("A producer's new product waits for staff approval before it goes on sale."),
    )
    moderation_reason = models.TextField(_("rejection reason"), blank=True)

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

    # The order line status of goods in the buyer's hands (shop.order.statuses.LINE_DELIVERED; the
    # catalogue reads orders through Oscar's model registry and does not import the shop).
    RECEIVED_LINE_STATUS = "delivered"

    def is_review_permitted(self, user) -> bool:
        """Only a buyer who received this product reviews it, once (Oscar lets anyone signed in)."""
        if not getattr(user, "is_authenticated", False) or self.has_review_by(user):
            return False
        Line = get_model("order", "Line")
        return Line.objects.filter(order__user=user, product=self, status=self.RECEIVED_LINE_STATUS).exists()


class ProductImage(NfcTextMixin, AbstractProductImage):
    """Oscar's product image; its caption (the alt text) is stored in NFC like all our text."""


class OcopCertificate(NfcTextMixin, models.Model):
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
    stars = models.PositiveSmallIntegerField(_("stars"), choices=[(3, "3★"), (4, "4★"), (5, "5★")])
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
        _("lapses on"),
        editable=False,
        help_text=_("First day the certificate is no longer valid (36 months after the decision)."),
    )
    level = models.CharField(_("certifying level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("new or renewal"), max_length=16, choices=Kind.choices, default=Kind.NEW)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.VERIFIED)
    scan = models.FileField(
        _("certificate scan"),
        upload_to=certificate_scan_upload,
        storage=private_storage,
        max_length=255,
        blank=True,
    )
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
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "decision_number"],
                # A rejected row does not hold its number: the producer may submit it again, corrected.
                condition=~Q(decision_number="") & ~Q(status="rejected"),
                name="certificate_unique_decision_per_product",
                violation_error_message=_("This product already has a certificate with this decision number."),
            ),
            models.CheckConstraint(condition=Q(stars__gte=3) & Q(stars__lte=5), name="certificate_stars_3_to_5"),
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
            errors.setdefault("decision_date", []).append(_("The decision date cannot be in the future."))
        if self.stars == 5 and self.level and self.level != self.Level.CENTRAL:
            errors.setdefault("level", []).append(_("Only the central level certifies 5★ products."))
        if errors:
            raise ValidationError(errors)

    @property
    def last_valid_day(self) -> datetime.date | None:
        """What "valid until" means to a person: the last day it holds (``ocop.last_valid_day``)."""
        return ocop.last_valid_day(self.valid_until)

    def is_valid_on(self, day: datetime.date) -> bool:
        """Compares the stored dates: valid from the decision day up to, not including, ``valid_until``."""
        return (
            self.status == self.Status.VERIFIED
            and self.valid_until is not None
            and self.decision_date <= day < self.valid_until
        )

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


# --- Producers running their own shop (issue 3) ------------------------------------


class ProducerApplication(NfcTextMixin, models.Model):
    """A "become a seller" request, decided by marketplace staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    producer_name = models.CharField(_("producer name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=32, choices=Producer.Kind.choices)
    registration_number = models.CharField(_("business registration number"), max_length=32)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    commune = models.CharField(_("commune or ward"), max_length=128)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=128)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"))
    certificate_scan = models.FileField(
        _("OCOP certificate scan"), upload_to=application_scan_upload, storage=private_storage, max_length=255
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    producer = models.ForeignKey(
        Producer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("producer")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("producer application")
        verbose_name_plural = _("producer applications")

    def __str__(self) -> str:
        return self.producer_name


class ProductRevision(NfcTextMixin, models.Model):
    """A producer's proposed edit of a product's title, description or images.

    The approved product stays on sale unchanged until staff approve the
    revision; then its fields and images are copied onto the product.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="revisions", verbose_name=_("product")
    )
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("product revision")
        verbose_name_plural = _("product revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="revision_one_pending_per_product"
            )
        ]

    def __str__(self) -> str:
        return self.title


class RevisionImage(NfcTextMixin, models.Model):
    """One image of the proposed image set: a kept product image (``source``) or a new upload."""

    revision = models.ForeignKey(ProductRevision, on_delete=models.CASCADE, related_name="images")
    source = models.ForeignKey(
        "catalogue.ProductImage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original = models.ImageField(_("image"), upload_to=revision_image_upload, max_length=255)
    caption = models.CharField(_("alt text"), max_length=200, blank=True)
    display_order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.original.name


class ModerationDecision(NfcTextMixin, models.Model):
    """The audit log: who approved or rejected what, when and why."""

    class Subject(models.TextChoices):
        APPLICATION = "application", _("Producer application")
        PRODUCT = "product", _("New product")
        REVISION = "revision", _("Product edit")
        CERTIFICATE = "certificate", _("OCOP certificate")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    subject = models.CharField(_("subject"), max_length=16, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_label = models.CharField(_("object"), max_length=255)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    decided_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="rejected") | ~Q(reason=""), name="moderation_rejection_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.object_label}: {self.get_decision_display()}"


class CertificateNotice(models.Model):
    """An expiry e-mail already sent: the cron command sends each notice once."""

    class Kind(models.TextChoices):
        SOON = "30_days", _("30 days before it lapses")
        LAPSED = "lapsed", _("On the day it lapses")

    certificate = models.ForeignKey(OcopCertificate, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_to = models.TextField(blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "kind"], name="certificate_notice_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.certificate}: {self.get_kind_display()}"


class ThumbnailJob(models.Model):
    """An uploaded image whose shop thumbnails are still to be made, outside the upload request.

    Queued in the transaction that saves the image (``catalog.thumbnails.enqueue``); the
    ``make_thumbnails`` worker makes them and deletes the row. Until then a page view makes a
    missing thumbnail itself (sorl), so nothing waits on the worker.
    """

    name = models.CharField(max_length=255, unique=True)  # the image's name in the default storage
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


from oscar.apps.catalogue.models import *  # noqa: E402,F403  (Oscar's fork pattern: ours first)
