"""The public OCOP certificate registry: which certificates anyone may look up, and in what shape.

Only verified certificates are public, and only the fields in ``PUBLIC_FIELDS``:
no scan, no reviewer, no rejection reason, no producer contact or registration
number. Pages, the CSV and JSON open-data exports and the QR codes all read from
here (front door: ``shop.programme``).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import segno
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog import ocop

OcopCertificate = get_model("catalogue", "OcopCertificate")
Product = get_model("catalogue", "Product")

EXPORT_PAGE_SIZE = 1000

# Every field of a public record, in export order. A test holds this list: add a
# field here (and to the schema) only if it may be published.
PUBLIC_FIELDS = (
    "id",
    "product_id",
    "product",
    "producer",
    "producer_kind",
    "former_district",
    "commune",
    "stars",
    "score",
    "decision_number",
    "decision_date",
    "level",
    "kind",
    "valid_until",
    "status",
    "renewed_by",
)


class Status:
    VALID = "valid"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    RENEWED = "renewed"

    LABELS = {
        VALID: _("Valid"),
        EXPIRING: _("Expiring within 30 days"),
        LAPSED: _("Lapsed"),
        RENEWED: _("Renewed"),
    }


def public_certificates() -> QuerySet:
    """Verified certificates with what a registry row shows, in one query (newest decision first)."""
    later = OcopCertificate.objects.filter(
        product=OuterRef("product"), status=OcopCertificate.Status.VERIFIED, decision_date__gt=OuterRef("decision_date")
    ).order_by("decision_date", "pk")
    return (
        OcopCertificate.objects.filter(status=OcopCertificate.Status.VERIFIED)
        .select_related("product__producer__partner", "product__producer__district")
        .annotate(
            renewed_by_number=Subquery(later.values("decision_number")[:1]),
            renewed_by_pk=Subquery(later.values("pk")[:1]),
        )
        .order_by("-decision_date", "-pk")
    )


@dataclass
class RegistryFilters:
    q: str = ""
    district: str = ""  # former district slug
    commune: str = ""
    stars: int | None = None
    year: int | None = None


def search_registry(filters: RegistryFilters) -> QuerySet:
    """The registry narrowed by decision number, product or producer (``q``), place, stars and year."""
    certificates = public_certificates()
    q = ocop.nfc(filters.q)
    if q:
        certificates = certificates.filter(
            Q(decision_number__icontains=q)
            | Q(product__title__icontains=q)
            | Q(product__title_en__icontains=q)
            | Q(product__producer__partner__name__icontains=q)
        )
    if filters.district:
        certificates = certificates.filter(product__producer__district__slug=filters.district)
    commune = ocop.nfc(filters.commune)
    if commune:
        certificates = certificates.filter(product__producer__commune__icontains=commune)
    if filters.stars:
        certificates = certificates.filter(stars=filters.stars)
    if filters.year:
        certificates = certificates.filter(decision_date__year=filters.year)
    return certificates


def status_of(certificate, today: datetime.date | None = None) -> str:
    """Valid, expiring within 30 days, lapsed, or renewed (a later verified certificate exists)."""
    today = today or timezone.localdate()
    if getattr(certificate, "renewed_by_pk", None):
        return Status.RENEWED
    if not certificate.is_valid_on(today):
        return Status.LAPSED
    if (certificate.valid_until - today).days <= ocop.EXPIRY_NOTICE_DAYS:
        return Status.EXPIRING
    return Status.VALID


def public_record(certificate, today: datetime.date | None = None) -> dict:
    """One certificate as the open data publishes it: exactly ``PUBLIC_FIELDS``."""
    product = certificate.product
    producer = product.producer
    record = {
        "id": certificate.pk,
        "product_id": product.pk,
        "product": product.title,
        "producer": producer.name if producer else "",
        "producer_kind": producer.kind if producer else "",
        "former_district": producer.district.name if producer else "",
        "commune": producer.commune if producer else "",
        "stars": certificate.stars,
        "score": str(certificate.score) if certificate.score is not None else None,
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date.isoformat(),
        "level": certificate.level,
        "kind": certificate.kind,
        "valid_until": certificate.last_valid_day.isoformat(),
        "status": status_of(certificate, today),
        "renewed_by": getattr(certificate, "renewed_by_number", None) or "",
    }
    return record


# JSON Schema (draft 2020-12) of one record; the JSON export wraps records in a page.
RECORD_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": list(PUBLIC_FIELDS),
    "properties": {
        "id": {"type": "integer", "description": "Stable identifier of the certificate in this registry."},
        "product_id": {"type": "integer", "description": "Stable identifier of the product."},
        "product": {"type": "string", "description": "Product name (Vietnamese)."},
        "producer": {"type": "string", "description": "Producer (chủ thể OCOP) name."},
        "producer_kind": {
            "enum": ["enterprise", "cooperative", "cooperative_group", "household", ""],
            "description": "Enterprise, cooperative (HTX), cooperative group (THT) or household business.",
        },
        "former_district": {"type": "string", "description": "District of origin (units before 1 July 2025)."},
        "commune": {"type": "string", "description": "Current commune or ward of the producer."},
        "stars": {"type": "integer", "minimum": 3, "maximum": 5},
        "score": {
            "type": ["string", "null"],
            "pattern": r"^\d{1,3}(\.\d{1,2})?$",
            "description": "Score out of 100 as a decimal string; null where not published.",
        },
        "decision_number": {"type": "string", "description": "Number of the certifying decision."},
        "decision_date": {"type": "string", "format": "date"},
        "level": {"enum": ["district", "province", "central"], "description": "Certifying level."},
        "kind": {"enum": ["new", "renewal"]},
        "valid_until": {"type": "string", "format": "date", "description": "Last day the certificate is valid."},
        "status": {"enum": [Status.VALID, Status.EXPIRING, Status.LAPSED, Status.RENEWED]},
        "renewed_by": {"type": "string", "description": "Decision number of the renewal, if renewed."},
    },
}

PAGE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "OCOP certificate registry, Quảng Nam",
    "type": "object",
    "additionalProperties": False,
    "required": ["count", "page", "pages", "next", "results"],
    "properties": {
        "count": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "pages": {"type": "integer", "minimum": 1},
        "next": {"type": ["string", "null"]},
        "results": {"type": "array", "items": RECORD_SCHEMA},
    },
}


# --- QR codes ---------------------------------------------------------------------


def qr_svg(url: str) -> str:
    """An SVG QR code of ``url`` (error correction M, 4-module quiet zone): sharp at any print size."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True)
    return out.getvalue().decode()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """A PNG QR code of ``url``: ``scale`` pixels per module (8 prints well at 2 cm at 600 dpi)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def registry_products() -> QuerySet:
    """Products with a public registry page: those in the shop, and those with a verified certificate.

    The second kind includes products not for sale (the demo certification history of
    ``catalog.demo_history``): their certificates are public, so their page is too.
    """
    verified = OcopCertificate.objects.filter(product=OuterRef("pk"), status=OcopCertificate.Status.VERIFIED)
    return Product.objects.filter(Q(is_public=True) | Q(Exists(verified)))


def product_certificates(product_pk: int) -> tuple:
    """A public product and its verified certificates (newest first), or (None, [])."""
    product = (
        registry_products().filter(pk=product_pk).select_related("producer__partner", "producer__district").first()
    )
    if product is None:
        return None, []
    return product, list(public_certificates().filter(product=product))
