"""Staff decide in one queue; every decision is logged; the approved version stays on sale."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from oscar.core.loading import get_model
from oscar.core.thumbnails import get_thumbnailer

from catalog import images, moderation, services
from catalog.tests.factories import CertificateFactory, ProductFactory, make_certified_product
from catalog.tests.helpers import media_files, producer_user, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ModerationDecision = get_model("catalogue", "ModerationDecision")
ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")


def test_approving_a_new_product_puts_it_on_sale_and_logs_who(staff, django_capture_on_commit_callbacks):
    user, producer = producer_user()
    product = ProductFactory(producer=producer, is_public=False, moderation="pending")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(subject="product", decision="approved", target=product, by=staff)
    product.refresh_from_db()
    assert product.is_public and product.moderation == "approved"
    decision = ModerationDecision.objects.get()
    assert (decision.subject, decision.decision, decision.decided_by) == ("product", "approved", staff)
    assert user.email in mail.outbox[0].to


def test_rejecting_needs_a_reason_which_reaches_the_producer(staff, django_capture_on_commit_callbacks):
    _user, producer = producer_user()
    product = ProductFactory(producer=producer, is_public=False, moderation="pending")
    with pytest.raises(ValidationError):
        moderation.decide(subject="product", decision="rejected", target=product, by=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(subject="product", decision="rejected", target=product, by=staff, reason="Ảnh bị mờ")
    product.refresh_from_db()
    assert product.moderation == "rejected" and not product.is_public
    assert "Ảnh bị mờ" in mail.outbox[0].body
    assert ModerationDecision.objects.get().reason == "Ảnh bị mờ"


def test_only_staff_can_decide():
    user, producer = producer_user()
    product = ProductFactory(producer=producer, is_public=False, moderation="pending")
    with pytest.raises(PermissionDenied):
        moderation.decide(subject="product", decision="approved", target=product, by=user)


def test_approved_edit_replaces_text_and_images_on_approval(staff, settings):
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Cũ", description="Mô tả cũ")
    kept = ProductImage.objects.create(product=product, original=upload("k.jpg"), caption="Giữ", display_order=0)
    dropped = ProductImage.objects.create(product=product, original=upload("d.jpg"), caption="Bỏ", display_order=1)
    category = product.categories.first() or get_model("catalogue", "Category").objects.filter(depth=2).first()
    services.update_product(
        product=product,
        producer=producer,
        by=user,
        title="Mới",
        description="Mô tả mới",
        category=category,
        price=150000,
        stock=5,
    )
    services.add_product_images(
        product=product,
        producer=producer,
        by=user,
        images=[services.NewImage(file=images.clean_product_image(upload()), caption="Ảnh mới")],
    )
    revision = ProductRevision.objects.get()
    services.arrange_product_images(
        product=product,
        producer=producer,
        by=user,
        changes=[
            services.ImageChange(
                id=row.pk, caption=row.caption, display_order=row.display_order, delete=row.source_id == dropped.pk
            )
            for row in revision.images.all()
        ],
    )
    product.refresh_from_db()
    assert product.title == "Cũ" and product.images.count() == 2  # the approved version stays on sale

    moderation.decide(subject="revision", decision="approved", target=revision, by=staff)
    product.refresh_from_db()
    assert (product.title, product.description) == ("Mới", "Mô tả mới")
    assert sorted(product.images.values_list("caption", flat=True)) == ["Giữ", "Ảnh mới"]
    assert not ProductImage.objects.filter(pk=dropped.pk).exists()
    assert ProductImage.objects.filter(pk=kept.pk).exists()
    revision.refresh_from_db()
    assert revision.status == "approved" and revision.reviewed_by == staff


def test_rejected_edit_leaves_the_product_untouched(staff):
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Cũ")
    category = get_model("catalogue", "Category").objects.filter(depth=2).first()
    revision = services.update_product(
        product=product, producer=producer, by=user, title="Sai", category=category, price=150000, stock=5
    )
    moderation.decide(
        subject="revision", decision="rejected", target=revision, by=staff, reason="Tên không đúng giấy chứng nhận"
    )
    product.refresh_from_db()
    assert product.title == "Cũ"
    assert ProductRevision.objects.get().status == "rejected"


def propose_new_image(product, user):
    """An approved product's edit that keeps its images and adds one upload; returns the upload's row."""
    services.add_product_images(
        product=product,
        producer=product.producer,
        by=user,
        images=[services.NewImage(file=images.clean_product_image(upload("moi.jpg")), caption="Mới")],
    )
    return ProductRevision.objects.get(product=product).images.get(source=None)


def test_rejecting_an_edit_deletes_its_new_images_and_their_thumbnails_not_the_products(
    staff, settings, django_capture_on_commit_callbacks
):
    user, producer = producer_user()
    product = make_certified_product(producer=producer)
    own = ProductImage.objects.create(product=product, original=upload("own.jpg"), caption="Đang bán")
    new = propose_new_image(product, user)
    thumbnailer = get_thumbnailer()
    own_thumb = thumbnailer.generate_thumbnail(own.original, size="80x80")
    new_thumb = thumbnailer.generate_thumbnail(new.original, size="80x80")
    assert {own.original.name, new.original.name, own_thumb.name, new_thumb.name} <= set(media_files(settings))

    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            subject="revision", decision="rejected", target=new.revision, by=staff, reason="Ảnh không phải sản phẩm"
        )
    assert sorted(media_files(settings)) == sorted([own.original.name, own_thumb.name])
    assert list(product.images.all()) == [own]


def test_approving_an_edit_keeps_the_new_images_and_deletes_the_dropped_ones(
    staff, settings, django_capture_on_commit_callbacks
):
    user, producer = producer_user()
    product = make_certified_product(producer=producer)
    dropped = ProductImage.objects.create(product=product, original=upload("cu.jpg"), caption="Cũ")
    new = propose_new_image(product, user)
    kept_row = new.revision.images.get(source=dropped)
    services.arrange_product_images(
        product=product,
        producer=producer,
        by=user,
        changes=[
            services.ImageChange(id=kept_row.pk, caption="", display_order=0, delete=True),
            services.ImageChange(id=new.pk, caption="Mới", display_order=1),
        ],
    )
    assert dropped.original.name in media_files(settings)  # still on sale while the edit waits

    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(subject="revision", decision="approved", target=new.revision, by=staff)
    assert media_files(settings) == [new.original.name]
    assert product.images.get().original.name == new.original.name


def test_an_image_deletion_that_is_rolled_back_keeps_its_file(settings, django_capture_on_commit_callbacks):
    product = make_certified_product()
    image = ProductImage.objects.create(product=product, original=upload("giu.jpg"))
    pk, name = image.pk, image.original.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            image.delete()
            raise RuntimeError("a later step failed")
    assert ProductImage.objects.filter(pk=pk).exists()
    assert media_files(settings) == [name]

    with django_capture_on_commit_callbacks(execute=True):
        ProductImage.objects.get(pk=pk).delete()
    assert media_files(settings) == []


def test_verifying_a_certificate_gives_the_badge(staff):
    product = make_certified_product()
    product.certificates.all().delete()
    certificate = CertificateFactory(product=product, status="pending")
    assert type(product).objects.get(pk=product.pk).ocop_stars is None
    moderation.decide(subject="certificate", decision="approved", target=certificate, by=staff)
    assert type(product).objects.get(pk=product.pk).ocop_stars == certificate.stars
