"""Certificates a producer submits for staff to verify (``catalog.moderation``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model

from catalog.services.products import check_owner

OcopCertificate = get_model("catalogue", "OcopCertificate")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")


@transaction.atomic
def submit_certificate(
    *, product: Product, producer: Producer, by, certificate: OcopCertificate, scan: ContentFile | None
) -> OcopCertificate:
    """A producer's certificate is pending until staff verify it: no badge before that."""
    check_owner(product, producer)
    certificate.product = product
    certificate.status = OcopCertificate.Status.PENDING
    certificate.submitted_by = by
    certificate.reviewed_by = None
    certificate.reviewed_at = None
    if scan is not None:
        certificate.scan.save(scan.name, scan, save=False)
    certificate.save()
    return certificate
