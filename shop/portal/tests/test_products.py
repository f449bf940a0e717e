"""Producers list, create and edit their own products through the portal."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import images, moderation
from catalog.tests.factories import CertificateFactory, make_certified_product
from catalog.tests.helpers import bomb_png, image_bytes, make_user, media_files, producer_user, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductRevision = get_model("catalogue", "ProductRevision")
ThumbnailJob = get_model("catalogue", "ThumbnailJob")


@pytest.fixture
def seller(client):
    user, producer = producer_user()
    client.force_login(user)
    return producer


def subgroup():
    return Category.objects.filter(depth=2).order_by("path").first()


def product_post(**overrides):
    data = {
        "title": "Mật ong rừng Tây Giang",
        "title_en": "Tay Giang wild honey",
        "description": "Mật ong rừng nguyên chất.",
        "description_en": "",
        "category": subgroup().pk,
        "price": "185000",
        "stock": "12",
        "weight_grams": "700",
        "sku": "MO-01",
    }
    data.update(overrides)
    return data


def test_new_product_with_two_images_waits_for_approval(client, seller, settings):
    data = product_post(images=[upload("a.jpg"), upload("../../b.png", image_bytes("PNG"), "image/png")])
    response = client.post(reverse("portal:product_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    product = Product.objects.get(producer=seller)
    assert response.status_code == 302
    assert product.is_public is False and product.moderation == "pending"
    assert product.stockrecords.get().price == 185000
    assert product.stockrecords.get().partner_sku == "MO-01"
    assert product.categories.get() == subgroup()
    assert product.images.count() == 2
    files = media_files(settings)
    assert len(files) == 2 and all(".." not in f and not f.endswith("/b.png") for f in files)
    page = client.get(reverse("portal:product_edit", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Waiting for approval" in page.content.decode()
    listing = client.get(reverse("portal:product_list")).content.decode()
    assert 'src="/media/cache/' in listing  # sorl made the thumbnail
    assert Client().get(product.get_absolute_url()).status_code == 404  # not in the shop yet


def test_the_upload_request_queues_the_thumbnails_and_the_worker_makes_them(
    client, seller, settings, django_capture_on_commit_callbacks
):
    photos = [upload("a.jpg", image_bytes(size=(800, 600))), upload("b.jpg", image_bytes(size=(600, 800)))]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:product_create"), product_post(images=photos))
    product = Product.objects.get(producer=seller)
    # The request made none: it queued both images for the worker.
    assert [name for name in media_files(settings) if name.startswith("cache/")] == []
    assert sorted(ThumbnailJob.objects.values_list("name", flat=True)) == sorted(
        image.original.name for image in product.images.all()
    )

    call_command("make_thumbnails", "--once", stdout=io.StringIO())

    made = [name for name in media_files(settings) if name.startswith("cache/")]
    assert len(made) == 2 * len(images.SHOP_THUMBNAILS)
    assert not ThumbnailJob.objects.exists()

    moderation.decide(
        subject="product", decision="approved", target=product, by=make_user("kiemduyet@so.vn", is_staff=True)
    )
    CertificateFactory(product=product)
    visitor = Client()
    assert visitor.get(reverse("catalogue:index")).status_code == 200
    assert visitor.get(product.get_absolute_url()).status_code == 200
    visitor.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    assert product.title in visitor.get(reverse("basket:summary")).content.decode()
    # Card, gallery and basket found the thumbnails already made: none was made on display.
    assert [name for name in media_files(settings) if name.startswith("cache/")] == made


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (lambda: upload("anh.jpg", b"GIF89a? no, just text"), "is not a JPEG, PNG or WebP image"),
        (lambda: upload("bom.png", bomb_png(), "image/png"), "decompression bomb"),
    ],
)
def test_refused_image_shows_a_clear_message_and_writes_nothing(client, seller, settings, payload, message):
    response = client.post(
        reverse("portal:product_create"), product_post(images=[payload()]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Product.objects.filter(producer=seller).exists()
    assert media_files(settings) == []


def test_refused_image_on_the_images_page_writes_nothing(client, seller, settings):
    product = make_certified_product(producer=seller)
    response = client.post(
        reverse("portal:product_images", args=[product.pk]),
        {"images": [upload("x.jpg", b"not an image")]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "is not a JPEG, PNG or WebP image" in response.content.decode()
    assert media_files(settings) == []
    assert not ProductRevision.objects.exists()


def test_price_and_stock_change_at_once_without_moderation(client, seller):
    product = make_certified_product(producer=seller, title="Trà sâm")
    record = product.stockrecords.get()
    response = client.post(
        reverse("portal:product_edit", args=[product.pk]),
        product_post(title="Trà sâm", description=product.description, title_en="", price="99000", stock="3"),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.price, record.num_in_stock) == (99000, 3)
    assert not ProductRevision.objects.exists()


def test_title_edit_waits_while_the_approved_version_stays_on_sale(client, seller):
    product = make_certified_product(producer=seller, title="Trà sâm", description="Cũ")
    client.post(reverse("portal:product_edit", args=[product.pk]), product_post(title="Trà sâm Ngọc Linh"))
    product.refresh_from_db()
    assert product.title == "Trà sâm" and product.is_public
    revision = ProductRevision.objects.get(product=product, status="pending")
    assert revision.title == "Trà sâm Ngọc Linh"
    shop_page = client.get(product.get_absolute_url())
    assert "Trà sâm Ngọc Linh" not in shop_page.content.decode()
    form = client.get(reverse("portal:product_edit", args=[product.pk]))
    assert 'value="Trà sâm Ngọc Linh"' in form.content.decode()  # the producer sees their proposal


def test_image_changes_of_an_approved_product_go_into_the_revision(client, seller, settings):
    product = make_certified_product(producer=seller)
    client.post(reverse("portal:product_images", args=[product.pk]), {"images": [upload()], "new_caption": "Hũ"})
    assert product.images.count() == 0
    revision = ProductRevision.objects.get(product=product)
    assert [image.caption for image in revision.images.all()] == ["Hũ"]


def test_images_of_a_pending_product_can_be_reordered_recaptioned_and_removed(client, seller):
    client.post(reverse("portal:product_create"), product_post(images=[upload("1.jpg"), upload("2.jpg")]))
    product = Product.objects.get(producer=seller)
    first, second = product.images.order_by("display_order")
    response = client.post(
        reverse("portal:product_images", args=[product.pk]),
        {
            f"caption_{first.pk}": "Mặt trước",
            f"order_{first.pk}": "5",
            f"caption_{second.pk}": "Mặt sau",
            f"order_{second.pk}": "1",
            f"delete_{first.pk}": "",
        },
    )
    assert response.status_code == 302
    assert [(i.caption, i.display_order) for i in product.images.order_by("display_order")] == [
        ("Mặt sau", 1),
        ("Mặt trước", 5),
    ]
    client.post(
        reverse("portal:product_images", args=[product.pk]),
        {
            f"caption_{first.pk}": "x",
            f"order_{first.pk}": "0",
            f"delete_{first.pk}": "on",
            f"caption_{second.pk}": "Mặt sau",
            f"order_{second.pk}": "1",
        },
    )
    assert list(product.images.values_list("caption", flat=True)) == ["Mặt sau"]


def image_rows_post(rows, delete=()) -> dict:
    data = {}
    for row in rows:
        data.update({f"caption_{row.pk}": row.caption, f"order_{row.pk}": str(row.display_order)})
        if row in delete:
            data[f"delete_{row.pk}"] = "on"
    return data


def test_removing_an_image_of_a_pending_product_deletes_its_file(
    client, seller, settings, django_capture_on_commit_callbacks
):
    client.post(reverse("portal:product_create"), product_post(images=[upload("1.jpg"), upload("2.jpg")]))
    product = Product.objects.get(producer=seller)
    first, second = product.images.order_by("display_order")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:product_images", args=[product.pk]), image_rows_post([first, second], [first]))
    assert media_files(settings) == [second.original.name]


def test_removing_a_proposed_upload_deletes_it_but_a_removed_image_on_sale_stays_until_approval(
    client, seller, settings, django_capture_on_commit_callbacks
):
    product = make_certified_product(producer=seller)
    on_sale = product.images.create(original=upload("dang-ban.jpg"), caption="Đang bán")
    client.post(
        reverse("portal:product_images", args=[product.pk]), {**image_rows_post([on_sale]), "images": [upload()]}
    )
    kept, new = ProductRevision.objects.get(product=product).images.order_by("display_order")
    assert new.source is None and len(media_files(settings)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:product_images", args=[product.pk]), image_rows_post([kept, new], [kept, new]))
    assert media_files(settings) == [on_sale.original.name]
    assert list(product.images.all()) == [on_sale]


def test_product_form_refuses_bad_price_and_duplicate_sku(client, seller):
    make_certified_product(producer=seller)
    sku = seller.partner.stockrecords.get().partner_sku
    response = client.post(reverse("portal:product_create"), product_post(price="12.5", sku=sku))
    body = response.content.decode()
    assert 'data-field-error="price"' in body and 'data-field-error="sku"' in body


def test_product_list_query_count_is_constant(client, seller, django_assert_max_num_queries):
    for n in range(3):
        make_certified_product(producer=seller, title=f"Sản phẩm {n}")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("portal:product_list"))
    for n in range(6):
        make_certified_product(producer=seller, title=f"Sản phẩm thêm {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:product_list"))
    assert response.content.decode().count("data-product=") == 9


def test_dashboard_query_count_does_not_grow_with_products_and_orders(client, seller, django_assert_max_num_queries):
    from shop.order.tests.factories import place_order

    product = make_certified_product(producer=seller, stock=50)
    place_order(product)
    with django_assert_max_num_queries(20) as baseline:
        client.get(reverse("portal:dashboard"))
    for n in range(4):
        place_order(make_certified_product(producer=seller, title=f"Thêm {n}", stock=5))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Order lines to confirm" in response.content.decode()


def test_edit_and_images_pages_query_count_does_not_grow_with_images(client, seller, django_assert_max_num_queries):
    product = make_certified_product(producer=seller)
    ProductImage = get_model("catalogue", "ProductImage")
    ProductImage.objects.create(product=product, original=upload("0.jpg"), display_order=0)
    counts = {}
    # sorl-thumbnail stores a new thumbnail's key once (a cold-cache write): warm up first.
    for name in ("portal:product_edit", "portal:product_images"):
        client.get(reverse(name, args=[product.pk]))
        with django_assert_max_num_queries(30) as baseline:
            client.get(reverse(name, args=[product.pk]))
        counts[name] = len(baseline.captured_queries)
    for n in range(1, 5):
        ProductImage.objects.create(product=product, original=upload(f"{n}.jpg"), display_order=n)
    for name, count in counts.items():
        client.get(reverse(name, args=[product.pk]))
        with django_assert_max_num_queries(count):
            response = client.get(reverse(name, args=[product.pk]))
    assert response.content.decode().count("data-image=") == 5
