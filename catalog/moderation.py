"""Staff decisions on what producers submit: applications, new products, edits, certificates.

``decide`` is the one way to take such a decision, whichever screen starts it (the
moderation queue, the Django admin, Oscar's dashboard): it checks that a staff
member decides and says why when rejecting, applies the decision, writes the audit
row (``ModerationDecision``) and e-mails the producer once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.models import Moderation
from catalog.services import producers, products
from catalog.storage import delete_private_file_on_commit
from mail import send_templated_mail

ModerationDecision = get_model("catalogue", "ModerationDecision")
OcopCertificate = get_model("catalogue", "OcopCertificate")
ProducerApplication = get_model("catalogue", "ProducerApplication")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")
RevisionImage = get_model("catalogue", "RevisionImage")

Subject = ModerationDecision.Subject
Decision = ModerationDecision.Decision


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


# --- The one way to decide ------------------------------------------------------


@dataclass
class Mail:
    template: str
    context: dict
    recipients: list[str] = field(default_factory=list)


@transaction.atomic
def decide(*, subject: str, target: models.Model | int, decision: str, by, reason: str = "") -> models.Model:
    """Approve or reject ``target`` (an object or its primary key) of kind ``subject``.

    ``subject`` is a ``ModerationDecision.Subject`` value, ``decision`` a
    ``ModerationDecision.Decision`` value. Returns the decided object (for an
    approved application: the new producer). Raises ``PermissionDenied`` for
    anyone but active staff and ``ValidationError`` for anything the staff member
    can put right (no reason, already decided, unknown kind).
    """
    if not (by and by.is_active and by.is_staff):
        raise PermissionDenied(_("Only marketplace staff can decide this."))
    handlers = _HANDLERS.get(subject)
    if handlers is None or decision not in Decision.values:
        raise ValidationError(_("Unknown kind of decision."))
    model, approve, reject = handlers
    pk = target.pk if isinstance(target, models.Model) else target
    try:
        obj = model.objects.select_for_update(of=("self",)).get(pk=pk)
    except ObjectDoesNotExist as error:
        raise ValidationError(_("This was removed meanwhile; nothing to decide.")) from error
    if decision == Decision.APPROVED:
        reason = ""
        result, message = approve(obj, by)
    else:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Say why, so the producer can put it right.")})
        result, message = reject(obj, by, reason)
    ModerationDecision.objects.create(
        subject=subject,
        object_id=obj.pk,
        object_label=str(obj)[:255],
        decision=decision,
        reason=reason,
        decided_by=by,
    )
    if message is not None and message.recipients:
        transaction.on_commit(
            lambda: send_templated_mail(
                template=message.template, context=message.context, recipients=message.recipients
            )
        )
    return result


# --- What each decision does -------------------------------------------------------
# Each handler gets the row locked by ``decide`` and returns (decided object, e-mail).


def _producer_mail(product: Product, *, what: str, approved: bool, reason: str = "", **context) -> Mail | None:
    if product.producer is None:
        return None
    return Mail(
        template="catalog/emails/moderation_decision",
        context={"product": product, "what": what, "approved": approved, "reason": reason, **context},
        recipients=producers.producer_recipients(product.producer),
    )


def _require_pending_application(application: ProducerApplication) -> None:
    if application.status != ProducerApplication.Status.PENDING:
        raise ValidationError(_("This application was already decided."))


def _approve_application(application: ProducerApplication, by) -> tuple:
    """Create the partner, the producer and its first user; e-mail a link to set a password."""
    _require_pending_application(application)
    producer, user = producers.open_producer_account(application)
    application.status = ProducerApplication.Status.APPROVED
    application.producer = producer
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    context = {
        "application": application,
        "producer": producer,
        "setup_url": producers.password_setup_url(user),
        "user": user,
    }
    return producer, Mail("catalog/emails/application_approved", context, [application.email])


def _reject_application(application: ProducerApplication, by, reason: str) -> tuple:
    _require_pending_application(application)
    application.status = ProducerApplication.Status.REJECTED
    application.rejection_reason = reason
    application.decided_by = by
    application.decided_at = timezone.now()
    # A business document the marketplace no longer needs: the file goes, the record says so.
    delete_private_file_on_commit(application.certificate_scan.name)
    application.certificate_scan = ""
    application.save()
    context = {"application": application, "reason": reason}
    return application, Mail("catalog/emails/application_rejected", context, [application.email])


def _require_pending_product(product: Product) -> None:
    if product.moderation != Moderation.PENDING:
        raise ValidationError(_("This product is not waiting for approval."))


def _approve_product(product: Product, by) -> tuple:
    """A new product goes on sale (its badge still needs a verified certificate)."""
    _require_pending_product(product)
    product.moderation = Moderation.APPROVED
    product.moderation_reason = ""
    product.is_public = True
    product.save()
    return product, _producer_mail(product, what=_("Your new product"), approved=True)


def _reject_product(product: Product, by, reason: str) -> tuple:
    _require_pending_product(product)
    product.moderation = Moderation.REJECTED
    product.moderation_reason = reason
    product.is_public = False
    product.save()
    return product, _producer_mail(product, what=_("Your new product"), approved=False, reason=reason)


def _require_pending_revision(revision: ProductRevision) -> None:
    if revision.status != ProductRevision.Status.PENDING:
        raise ValidationError(_("This edit is not waiting for approval."))


def _approve_revision(revision: ProductRevision, by) -> tuple:
    """Copy the proposed text and image set onto the product."""
    _require_pending_revision(revision)
    product = Product.objects.select_for_update().get(pk=revision.product_id)
    for name in products.MODERATED_FIELDS:
        setattr(product, name, getattr(revision, name))
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
    return product, _producer_mail(product, what=_("Your edit"), approved=True)


def _reject_revision(revision: ProductRevision, by, reason: str) -> tuple:
    _require_pending_revision(revision)
    revision.status = ProductRevision.Status.REJECTED
    revision.rejection_reason = reason
    revision.reviewed_by = by
    revision.reviewed_at = timezone.now()
    revision.save()
    # The proposal's new uploads go; its kept images are the product's own files and stay.
    products.delete_image_files_on_commit(row.original.name for row in revision.images.all())
    return revision, _producer_mail(revision.product, what=_("Your edit"), approved=False, reason=reason)


def _require_pending_certificate(certificate: OcopCertificate) -> None:
    if certificate.status != OcopCertificate.Status.PENDING:
        raise ValidationError(_("This certificate is not waiting for verification."))


def _certificate_mail(certificate: OcopCertificate, *, approved: bool, reason: str = "") -> Mail | None:
    what = _("Your OCOP certificate")
    return _producer_mail(certificate.product, what=what, approved=approved, reason=reason, certificate=certificate)


def _verify_certificate(certificate: OcopCertificate, by) -> tuple:
    _require_pending_certificate(certificate)
    certificate.full_clean(exclude=["scan"])
    certificate.status = OcopCertificate.Status.VERIFIED
    certificate.reviewed_by = by
    certificate.reviewed_at = timezone.now()
    certificate.rejection_reason = ""
    certificate.save()
    return certificate, _certificate_mail(certificate, approved=True)


def _reject_certificate(certificate: OcopCertificate, by, reason: str) -> tuple:
    _require_pending_certificate(certificate)
    certificate.status = OcopCertificate.Status.REJECTED
    certificate.rejection_reason = reason
    certificate.reviewed_by = by
    certificate.reviewed_at = timezone.now()
    certificate.save()
    return certificate, _certificate_mail(certificate, approved=False, reason=reason)


# subject -> (model, approve, reject)
_HANDLERS: dict[str, tuple[type[models.Model], Callable, Callable]] = {
    Subject.APPLICATION: (ProducerApplication, _approve_application, _reject_application),
    Subject.PRODUCT: (Product, _approve_product, _reject_product),
    Subject.REVISION: (ProductRevision, _approve_revision, _reject_revision),
    Subject.CERTIFICATE: (OcopCertificate, _verify_certificate, _reject_certificate),
}
