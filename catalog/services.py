"""Writes of the catalogue done by producers and their applications.

Producers change their own products here; staff decisions live in
``catalog.moderation``. Title, description and images of an approved product
are moderated: the change is stored as a ``ProductRevision`` and the approved
version stays on sale until staff approve it. Price, stock, weight and group
change at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalog import ocop
from catalog.images import make_thumbnails
from catalog.models import Moderation
from catalog.richtext import clean_description
from catalog.storage import private_storage

Category = get_model("catalogue", "Category")
District = get_model("catalogue", "District")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Producer = get_model("catalogue", "Producer")
ProducerApplication = get_model("catalogue", "ProducerApplication")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")
RevisionImage = get_model("catalogue", "RevisionImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
User = get_user_model()

MODERATED_FIELDS = ("title", "title_en", "description", "description_en")
PRODUCT_CLASS_NAME = "Sản phẩm OCOP"


def site_url() -> str:
    return getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL


def send_templated_mail(*, template: str, context: dict, recipients: Iterable[str]) -> int:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and send them."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    context = {"site_url": site_url(), "shop_name": settings.OSCAR_SHOP_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def producer_recipients(producer) -> list[str]:
    return [producer.email, *producer.partner.users.filter(is_active=True).values_list("email", flat=True)]


# --- Files that nothing shows any more ----------------------------------------------


def delete_image_files_on_commit(names: Iterable[str]) -> None:
    """Delete image files and their thumbnails once the transaction commits, unless a product
    image or a pending proposal still shows them (a proposal's kept images share the product's files).

    After commit, so a rolled-back change never loses a file that its restored row still names.
    """
    names = {name for name in names if name}
    if not names:
        return

    def delete() -> None:
        in_use = set(ProductImage.objects.filter(original__in=names).values_list("original", flat=True))
        in_use |= set(
            RevisionImage.objects.filter(
                revision__status=ProductRevision.Status.PENDING, original__in=names
            ).values_list("original", flat=True)
        )
        thumbnailer = get_thumbnailer()
        for name in sorted(names - in_use):
            thumbnailer.delete_thumbnails(name)  # sorl deletes the thumbnails and the file itself

    transaction.on_commit(delete)


def make_thumbnails_on_commit(rows) -> None:
    """Thumbnails of newly saved images, once the rows are committed."""
    files = [row.original for row in rows]
    if files:
        transaction.on_commit(lambda: [make_thumbnails(file) for file in files])


def delete_private_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: private_storage().delete(name))


# --- Producer accounts -------------------------------------------------------------


def producer_of(user) -> Producer | None:
    """The producer a user works for, or None (customers, staff, anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return None
    producers = list(Producer.objects.select_related("partner", "district").filter(partner__users=user)[:2])
    if len(producers) > 1:
        raise PermissionDenied(_("This account is linked to more than one producer; ask the marketplace staff."))
    return producers[0] if producers else None


@transaction.atomic
def link_user_to_producer(*, user, producer: Producer) -> None:
    """A user works for at most one producer; a producer may have several users."""
    other = Producer.objects.filter(partner__users=user).exclude(pk=producer.pk).first()
    if other is not None:
        raise ValidationError(
            _("%(user)s already works for %(producer)s; an account can belong to one producer only.")
            % {"user": user.email, "producer": other.name}
        )
    producer.partner.users.add(user)


@transaction.atomic
def submit_application(*, scan: ContentFile, **fields) -> ProducerApplication:
    application = ProducerApplication(**fields)
    application.certificate_scan.save(scan.name, scan, save=False)
    application.save()
    return application


def _require_staff(user) -> None:
    if not (user and user.is_active and user.is_staff):
        raise PermissionDenied(_("Only marketplace staff can decide this."))


def password_setup_url(user) -> str:
    path = reverse(
        "password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url().rstrip("/") + path


@transaction.atomic
def approve_application(*, application: ProducerApplication, by) -> Producer:
    """Create the partner, the producer and its first user, and e-mail a link to set a password."""
    _require_staff(by)
    application = ProducerApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ProducerApplication.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    if (
        application.registration_number
        and Producer.objects.filter(registration_number=application.registration_number).exists()
    ):
        raise ValidationError(_("A producer with this business registration number already exists."))
    partner = Partner.objects.create(name=application.producer_name)
    producer = Producer.objects.create(
        partner=partner,
        kind=application.kind,
        registration_number=application.registration_number,
        district=application.district,
        commune=application.commune,
        address=application.address,
        phone=application.phone,
        email=application.email,
    )
    user = User.objects.filter(email__iexact=application.email).first()
    if user is None:
        first_name, _sep, last_name = application.contact_name.rpartition(" ")
        user = User(
            username=f"producer-{producer.pk}-{timezone.now():%Y%m%d%H%M%S}",
            email=application.email,
            first_name=first_name[:150],
            last_name=(last_name or application.contact_name)[:150],
        )
        user.set_unusable_password()
        user.save()
    link_user_to_producer(user=user, producer=producer)
    application.status = ProducerApplication.Status.APPROVED
    application.producer = producer
    application.decided_by = by
    application.decided_at = timezone.now()
    application.save()
    _log(subject="application", obj=application, decision="approved", by=by)
    setup_url = password_setup_url(user)
    transaction.on_commit(
        lambda: send_templated_mail(
            template="catalog/emails/application_approved",
            context={"application": application, "producer": producer, "setup_url": setup_url, "user": user},
            recipients=[application.email],
        )
    )
    return producer


@transaction.atomic
def reject_application(*, application: ProducerApplication, by, reason: str) -> ProducerApplication:
    _require_staff(by)
    reason = _require_reason(reason)
    application = ProducerApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ProducerApplication.Status.PENDING:
        raise ValidationError(_("This application was already decided."))
    application.status = ProducerApplication.Status.REJECTED
    application.rejection_reason = reason
    application.decided_by = by
    application.decided_at = timezone.now()
    # A business document the marketplace no longer needs: the file goes, the record says so.
    delete_private_file_on_commit(application.certificate_scan.name)
    application.certificate_scan = ""
    application.save()
    _log(subject="application", obj=application, decision="rejected", by=by, reason=reason)
    transaction.on_commit(
        lambda: send_templated_mail(
            template="catalog/emails/application_rejected",
            context={"application": application, "reason": reason},
            recipients=[application.email],
        )
    )
    return application


def _require_reason(reason: str) -> str:
    reason = ocop.nfc(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why, so the producer can put it right.")})
    return reason


def _log(*, subject: str, obj, decision: str, by, reason: str = ""):
    from catalog.models import ModerationDecision

    return ModerationDecision.objects.create(
        subject=subject, object_id=obj.pk, object_label=str(obj)[:255], decision=decision, reason=reason, decided_by=by
    )


# --- Products -------------------------------------------------------------------


def _check_owner(product: Product, producer: Producer) -> None:
    if product.producer_id != producer.pk:
        raise PermissionDenied(_("This product belongs to another producer."))


def _product_class() -> ProductClass:
    product_class, _created = ProductClass.objects.get_or_create(
        name=PRODUCT_CLASS_NAME, defaults={"requires_shipping": True, "track_stock": True}
    )
    return product_class


@dataclass
class NewImage:
    file: ContentFile
    caption: str = ""


@transaction.atomic
def create_product(
    *,
    producer: Producer,
    by,
    title: str,
    category: Category,
    price: Decimal,
    stock: int,
    title_en: str = "",
    description: str = "",
    description_en: str = "",
    weight_grams: int | None = None,
    sku: str = "",
    images: Sequence[NewImage] = (),
) -> Product:
    """A new product waits for staff approval: it is not public until then."""
    product = Product.objects.create(
        structure=Product.STANDALONE,
        product_class=_product_class(),
        producer=producer,
        title=title,
        title_en=ocop.nfc(title_en),
        description=clean_description(description),
        description_en=clean_description(description_en),
        weight_grams=weight_grams,
        is_public=False,
        moderation=Moderation.PENDING,
    )
    product.categories.set([category])
    StockRecord.objects.create(
        product=product,
        partner=producer.partner,
        partner_sku=sku or f"P{producer.pk}-{product.pk:05d}",
        price_currency=settings.OSCAR_DEFAULT_CURRENCY,
        price=Decimal(price),
        num_in_stock=stock,
    )
    make_thumbnails_on_commit(
        [
            ProductImage.objects.create(
                product=product, original=image.file, caption=ocop.nfc(image.caption), display_order=order
            )
            for order, image in enumerate(images)
        ]
    )
    return product


def stockrecord_of(product: Product) -> StockRecord | None:
    records = getattr(product, "_prefetched_objects_cache", {}).get("stockrecords")
    if records is not None:
        return next((r for r in records if r.partner_id == product.producer.partner_id), None)
    return product.stockrecords.filter(partner_id=product.producer.partner_id).first()


def pending_revision(product: Product) -> ProductRevision | None:
    return product.revisions.filter(status=ProductRevision.Status.PENDING).first()


def _open_revision(product: Product, by) -> ProductRevision:
    """The product's pending revision, started from the approved version if there is none."""
    revision = (
        ProductRevision.objects.select_for_update()
        .filter(product=product, status=ProductRevision.Status.PENDING)
        .first()
    )
    if revision is not None:
        return revision
    revision = ProductRevision.objects.create(
        product=product, submitted_by=by, **{field: getattr(product, field) for field in MODERATED_FIELDS}
    )
    RevisionImage.objects.bulk_create(
        RevisionImage(
            revision=revision,
            source=image,
            original=image.original.name,
            caption=image.caption,
            display_order=image.display_order,
        )
        for image in product.images.all()
    )
    return revision


def is_moderated(product: Product) -> bool:
    """Changes to content of an approved product wait for staff; a product not yet approved changes directly."""
    return product.moderation == Moderation.APPROVED


@transaction.atomic
def update_product(
    *,
    product: Product,
    producer: Producer,
    by,
    title: str,
    category: Category,
    price: Decimal,
    stock: int,
    title_en: str = "",
    description: str = "",
    description_en: str = "",
    weight_grams: int | None = None,
) -> ProductRevision | None:
    """Save a producer's edit. Returns the revision waiting for approval, if the edit needs one."""
    _check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    proposed = {
        "title": ocop.nfc(title),
        "title_en": ocop.nfc(title_en),
        "description": clean_description(description),
        "description_en": clean_description(description_en),
    }
    revision = None
    if is_moderated(product):
        open_revision = pending_revision(product)
        changed = any(getattr(product, field) != value for field, value in proposed.items())
        if changed or open_revision is not None:
            revision = _open_revision(product, by)
            for field, value in proposed.items():
                setattr(revision, field, value)
            revision.submitted_by = by
            revision.save()
    else:
        for field, value in proposed.items():
            setattr(product, field, value)
        if product.moderation == Moderation.REJECTED:  # edited after a rejection: ask again
            product.moderation = Moderation.PENDING
    product.weight_grams = weight_grams
    product.save()
    product.categories.set([category])
    update_offer(product=product, producer=producer, price=price, stock=stock)
    return revision


@transaction.atomic
def update_offer(*, product: Product, producer: Producer, price: Decimal, stock: int) -> StockRecord:
    """Price and stock are not moderated: they change at once."""
    _check_owner(product, producer)
    record = StockRecord.objects.select_for_update().filter(product=product, partner=producer.partner).first()
    if record is None:
        record = StockRecord(
            product=product,
            partner=producer.partner,
            partner_sku=f"P{producer.pk}-{product.pk:05d}",
            price_currency=settings.OSCAR_DEFAULT_CURRENCY,
        )
    record.price = Decimal(price)
    record.num_in_stock = stock
    record.save()
    return record


def editable_images(product: Product) -> list:
    """The image set the producer is editing: the pending proposal if any, else the product's images."""
    revision = pending_revision(product) if is_moderated(product) else None
    if revision is not None:
        return list(revision.images.all())
    return list(product.images.all())


@transaction.atomic
def add_product_images(*, product: Product, producer: Producer, by, images: Sequence[NewImage]) -> None:
    _check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if is_moderated(product):
        revision = _open_revision(product, by)
        rows = revision.images
    else:
        rows = product.images
    start = max((row.display_order for row in rows.all()), default=-1) + 1
    make_thumbnails_on_commit(
        [
            rows.create(original=image.file, caption=ocop.nfc(image.caption), display_order=start + offset)
            for offset, image in enumerate(images)
        ]
    )


@dataclass
class ImageChange:
    id: int
    caption: str
    display_order: int
    delete: bool = False


@transaction.atomic
def arrange_product_images(*, product: Product, producer: Producer, by, changes: Sequence[ImageChange]) -> None:
    """Reorder, re-caption or remove images (of the proposal, for an approved product)."""
    _check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if is_moderated(product):
        # Ids come from editable_images(): the proposal's rows, or the product's own
        # images when this change starts the proposal.
        had_revision = pending_revision(product) is not None
        rows = list(_open_revision(product, by).images.all())
        by_id = {(row.pk if had_revision else row.source_id): row for row in rows}
    else:
        by_id = {row.pk: row for row in product.images.all()}
    if any(change.id not in by_id for change in changes):
        raise ValidationError(_("The images changed meanwhile; reload the page and try again."))
    for change in changes:
        row = by_id[change.id]
        if change.delete:  # its file goes once committed (catalog.receivers), unless still shown
            row.delete()
            continue
        row.caption = ocop.nfc(change.caption)
        row.display_order = change.display_order
        row.save(update_fields=["caption", "display_order"])


# --- Certificates ---------------------------------------------------------------


@transaction.atomic
def submit_certificate(
    *, product: Product, producer: Producer, by, certificate: OcopCertificate, scan: ContentFile | None
) -> OcopCertificate:
    """A producer's certificate is pending until staff verify it: no badge before that."""
    _check_owner(product, producer)
    certificate.product = product
    certificate.status = OcopCertificate.Status.PENDING
    certificate.submitted_by = by
    certificate.reviewed_by = None
    certificate.reviewed_at = None
    if scan is not None:
        certificate.scan.save(scan.name, scan, save=False)
    certificate.save()
    return certificate
