"""Producers' writes to their own products.

Title, description and images of an approved product are moderated: the change
is stored as a ``ProductRevision`` and the approved version stays on sale until
staff approve it (``catalog.moderation``). Price, stock, weight and group
change at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalog import ocop, thumbnails
from catalog.images import MAX_IMAGES_PER_PRODUCT
from catalog.models import Moderation
from catalog.richtext import clean_description, same_description
from outlets import stock as stock_owner

Category = get_model("catalogue", "Category")
Producer = get_model("catalogue", "Producer")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")
RevisionImage = get_model("catalogue", "RevisionImage")
StockRecord = get_model("partner", "StockRecord")

MODERATED_FIELDS = ("title", "title_en", "description", "description_en")
PRODUCT_CLASS_NAME = "Sản phẩm OCOP"
PRODUCT_CLASS_SLUG = "san-pham-ocop"


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


def queue_thumbnails(rows) -> None:
    """Thumbnails of newly saved images are made by the worker, not in this request (catalog.thumbnails)."""
    thumbnails.enqueue(row.original.name for row in rows)


def check_owner(product: Product, producer: Producer) -> None:
    if product.producer_id != producer.pk:
        raise PermissionDenied(_("This product belongs to another producer."))


def ocop_product_class() -> ProductClass:
    """The one product class of the marketplace: every OCOP product is shipped and stock-tracked."""
    product_class, _created = ProductClass.objects.get_or_create(
        slug=PRODUCT_CLASS_SLUG,
        defaults={"name": PRODUCT_CLASS_NAME, "requires_shipping": True, "track_stock": True},
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
        product_class=ocop_product_class(),
        producer=producer,
        title=title,
        title_en=title_en,
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
    queue_thumbnails(
        [
            ProductImage.objects.create(
                product=product, original=image.file, caption=image.caption, display_order=order
            )
            for order, image in enumerate(images)
        ]
    )
    return product


def stockrecord_of(product: Product) -> StockRecord | None:
    return stock_owner.selling_record(product)


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
    check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    # Normalised as the model stores them, so that retyping the same text is no change.
    proposed = {
        "title": ocop.nfc(title),
        "title_en": ocop.nfc(title_en),
        "description": clean_description(description),
        "description_en": clean_description(description_en),
    }
    revision = None
    if is_moderated(product):
        open_revision = pending_revision(product)
        changed = any(
            not same_description(getattr(product, field), value)
            if field.startswith("description")
            else getattr(product, field) != value
            for field, value in proposed.items()
        )
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
    check_owner(product, producer)
    return stock_owner.set_level(
        product=product,
        partner=producer.partner,
        num_in_stock=stock,
        price=Decimal(price),
        sku=f"P{producer.pk}-{product.pk:05d}",
    )


def editable_images(product: Product) -> list:
    """The image set the producer is editing: the pending proposal if any, else the product's images."""
    revision = pending_revision(product) if is_moderated(product) else None
    if revision is not None:
        return list(revision.images.all())
    return list(product.images.all())


@transaction.atomic
def add_product_images(*, product: Product, producer: Producer, by, images: Sequence[NewImage]) -> None:
    check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if is_moderated(product):
        revision = _open_revision(product, by)
        rows = revision.images
    else:
        rows = product.images
    existing = list(rows.all())
    if len(existing) + len(images) > MAX_IMAGES_PER_PRODUCT:
        raise ValidationError(
            _("A product shows at most %(limit)s images; it has %(count)s. Delete some before adding more.")
            % {"limit": MAX_IMAGES_PER_PRODUCT, "count": len(existing)},
            code="too_many_images",
        )
    start = max((row.display_order for row in existing), default=-1) + 1
    queue_thumbnails(
        [
            rows.create(original=image.file, caption=image.caption, display_order=start + offset)
            for offset, image in enumerate(images)
        ]
    )


@dataclass
class ImageChange:
    id: int
    caption: str
    display_order: int
    delete: bool = False


def _changes_any(rows, changes: Sequence[ImageChange]) -> bool:
    by_id = {row.pk: row for row in rows}
    return any(
        change.delete
        or change.id not in by_id
        or (by_id[change.id].caption, by_id[change.id].display_order) != (change.caption, change.display_order)
        for change in changes
    )


@transaction.atomic
def arrange_product_images(*, product: Product, producer: Producer, by, changes: Sequence[ImageChange]) -> None:
    """Reorder, re-caption or remove images (of the proposal, for an approved product)."""
    check_owner(product, producer)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if is_moderated(product) and pending_revision(product) is None and not _changes_any(product.images.all(), changes):
        return  # saved unchanged: no empty proposal in the moderation queue
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
        row.caption = change.caption
        row.display_order = change.display_order
        row.save(update_fields=["caption", "display_order"])
