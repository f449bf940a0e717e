"""Staff decisions on what producers submit: new products, edits and certificates.

Producer applications are decided in ``catalog.services`` (they create
accounts); every decision, of any kind, is written to ``ModerationDecision``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog import services
from catalog.models import Moderation
from catalog.services import producers
from mail import send_templated_mail

ModerationDecision = get_model("catalogue", "ModerationDecision")
OcopCertificate = get_model("catalogue", "OcopCertificate")
ProducerApplication = get_model("catalogue", "ProducerApplication")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")
RevisionImage = get_model("catalogue", "RevisionImage")


# --- The queue ------------------------------------------------------------------


@dataclass
class Queue:
    applications: QuerySet
    products: QuerySet
    revisions: QuerySet
    certificates: QuerySet
    decisions: QuerySet

    @property
    def is_empty(self) -> bool:
        return not (self.applications or self.products or self.revisions or self.certificates)


def moderation_queue(*, log_size: int = 50) -> Queue:
    """Everything waiting for staff, oldest first, shaped for one page (constant queries)."""
    images = Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk"))
    return Queue(
        applications=ProducerApplication.objects.filter(status=ProducerApplication.Status.PENDING).select_related(
            "district"
        ),
        products=Product.objects.filter(moderation=Moderation.PENDING)
        .select_related("producer__partner")
        .prefetch_related(images, "categories")
        .order_by("date_created", "pk"),
        revisions=ProductRevision.objects.filter(status=ProductRevision.Status.PENDING)
        .select_related("product__producer__partner", "submitted_by")
        .prefetch_related(
            Prefetch("images", queryset=RevisionImage.objects.order_by("display_order", "pk")),
            Prefetch("product__images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        ),
        certificates=OcopCertificate.objects.filter(status=OcopCertificate.Status.PENDING)
        .select_related("product__producer__partner", "submitted_by")
        .order_by("created_at", "pk"),
        decisions=ModerationDecision.objects.select_related("decided_by")[:log_size],
    )


# --- Decisions ------------------------------------------------------------------


def _notify_producer(product: Product, *, what: str, approved: bool, reason: str = "") -> None:
    producer = product.producer
    if producer is None:
        return
    recipients = services.producer_recipients(producer)
    transaction.on_commit(
        lambda: send_templated_mail(
            template="catalog/emails/moderation_decision",
            context={"product": product, "what": what, "approved": approved, "reason": reason},
            recipients=recipients,
        )
    )


@transaction.atomic
def approve_product(*, product: Product, by) -> Product:
    """A new product goes on sale (its badge still needs a verified certificate)."""
    producers._require_staff(by)
    product = Product.objects.select_for_update(of=("self",)).select_related("producer__partner").get(pk=product.pk)
    if product.moderation != Moderation.PENDING:
        raise ValidationError(_("This product is not waiting for approval."))
    product.moderation = Moderation.APPROVED
    product.moderation_reason = ""
    product.is_public = True
    product.save()
    producers._log(subject="product", obj=product, decision="approved", by=by)
    _notify_producer(product, what=_("Your new product"), approved=True)
    return product


@transaction.atomic
def reject_product(*, product: Product, by, reason: str) -> Product:
    producers._require_staff(by)
    reason = producers._require_reason(reason)
    product = Product.objects.select_for_update(of=("self",)).select_related("producer__partner").get(pk=product.pk)
    if product.moderation != Moderation.PENDING:
        raise ValidationError(_("This product is not waiting for approval."))
    product.moderation = Moderation.REJECTED
    product.moderation_reason = reason
    product.is_public = False
    product.save()
    producers._log(subject="product", obj=product, decision="rejected", by=by, reason=reason)
    _notify_producer(product, what=_("Your new product"), approved=False, reason=reason)
    return product


@transaction.atomic
def approve_revision(*, revision: ProductRevision, by) -> Product:
    """Copy the proposed text and image set onto the product."""
    producers._require_staff(by)
    revision = ProductRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != ProductRevision.Status.PENDING:
        raise ValidationError(_("This edit is not waiting for approval."))
    product = (
        Product.objects.select_for_update(of=("self",)).select_related("producer__partner").get(pk=revision.product_id)
    )
    for field in services.MODERATED_FIELDS:
        setattr(product, field, getattr(revision, field))
    product.save()

    kept: set[int] = set()
    for row in revision.images.all():
        if row.source_id is not None:
            ProductImage.objects.filter(pk=row.source_id, product=product).update(
                caption=row.caption, display_order=row.display_order
            )
            kept.add(row.source_id)
        else:
            image = ProductImage.objects.create(
                product=product, original=row.original.name, caption=row.caption, display_order=row.display_order
            )
            kept.add(image.pk)
    for image in product.images.exclude(pk__in=kept):
        image.delete()

    revision.status = ProductRevision.Status.APPROVED
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.save()
    producers._log(subject="revision", obj=revision, decision="approved", by=by)
    _notify_producer(product, what=_("Your edit"), approved=True)
    return product


@transaction.atomic
def reject_revision(*, revision: ProductRevision, by, reason: str) -> ProductRevision:
    producers._require_staff(by)
    reason = producers._require_reason(reason)
    revision = (
        ProductRevision.objects.select_for_update(of=("self",))
        .select_related("product__producer__partner")
        .get(pk=revision.pk)
    )
    if revision.status != ProductRevision.Status.PENDING:
        raise ValidationError(_("This edit is not waiting for approval."))
    revision.status = ProductRevision.Status.REJECTED
    revision.rejection_reason = reason
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.save()
    # The proposal's new uploads go; its kept images are the product's own files and stay.
    services.delete_image_files_on_commit(row.original.name for row in revision.images.all())
    producers._log(subject="revision", obj=revision, decision="rejected", by=by, reason=reason)
    _notify_producer(revision.product, what=_("Your edit"), approved=False, reason=reason)
    return revision


@transaction.atomic
def verify_certificate(*, certificate: OcopCertificate, by) -> OcopCertificate:
    producers._require_staff(by)
    certificate = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != OcopCertificate.Status.PENDING:
        raise ValidationError(_("This certificate is not waiting for verification."))
    certificate.full_clean(exclude=["scan"])
    certificate.status = OcopCertificate.Status.VERIFIED
    certificate.reviewed_by = by
    certificate.reviewed_at = timezone.now()
    certificate.rejection_reason = ""
    certificate.save()
    producers._log(subject="certificate", obj=certificate, decision="approved", by=by)
    _notify_producer(certificate.product, what=_("Your OCOP certificate"), approved=True)
    return certificate


@transaction.atomic
def reject_certificate(*, certificate: OcopCertificate, by, reason: str) -> OcopCertificate:
    producers._require_staff(by)
    reason = producers._require_reason(reason)
    certificate = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.status != OcopCertificate.Status.PENDING:
        raise ValidationError(_("This certificate is not waiting for verification."))
    certificate.status = OcopCertificate.Status.REJECTED
    certificate.rejection_reason = reason
    certificate.reviewed_by = by
    certificate.reviewed_at = timezone.now()
    certificate.save()
    producers._log(subject="certificate", obj=certificate, decision="rejected", by=by, reason=reason)
    _notify_producer(certificate.product, what=_("Your OCOP certificate"), approved=False, reason=reason)
    return certificate


def decide(*, subject: str, pk: int, decision: str, by, reason: str = ""):
    """One entry point for the queue's forms: ``subject`` is a ModerationDecision.Subject value."""
    handlers = _DECISIONS.get(subject)
    if handlers is None:
        raise ValidationError(_("Unknown kind of decision."))
    model, argument, approve, reject = handlers
    target = {argument: model.objects.get(pk=pk), "by": by}
    if decision == ModerationDecision.Decision.APPROVED:
        return approve(**target)
    return reject(**target, reason=reason)


# subject -> (model, keyword argument, approve service, reject service)
_DECISIONS = {
    "application": (ProducerApplication, "application", services.approve_application, services.reject_application),
    "product": (Product, "product", approve_product, reject_product),
    "revision": (ProductRevision, "revision", approve_revision, reject_revision),
    "certificate": (OcopCertificate, "certificate", verify_certificate, reject_certificate),
}
