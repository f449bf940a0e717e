"""The producer's images page never drops edits or uploads silently (issue 8, item 9).

A bad position or caption is shown next to its field, in Vietnamese; new images that were
fine are saved all the same; a page left open in another tab is refused with a message;
saving an approved product's images unchanged puts nothing in the moderation queue.
"""

import html

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.models import Moderation
from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user, upload

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
ProductRevision = get_model("catalogue", "ProductRevision")


@pytest.fixture
def seller(client):
    user, producer = producer_user()
    client.force_login(user)
    return producer


@pytest.fixture
def approved(seller):
    """An approved product (its image edits are moderated) with two images."""
    product = make_certified_product(producer=seller, title="Trà sâm")
    for order, caption in enumerate(["Mặt trước", "Mặt sau"]):
        ProductImage.objects.create(
            product=product, original=upload(f"{order}.jpg"), caption=caption, display_order=order
        )
    return product


def rows_post(product, **changes) -> dict:
    data = {}
    for image in product.images.order_by("display_order"):
        data[f"caption_{image.pk}"] = image.caption
        data[f"order_{image.pk}"] = str(image.display_order)
    data.update(changes)
    return data


def post(client, product, data):
    response = client.post(reverse("portal:product_images", args=[product.pk]), data)
    return response, html.unescape(response.content.decode())


@pytest.mark.parametrize("position", ["abc", "-1", "1000"])
def test_a_bad_position_is_shown_next_to_its_field_and_the_new_image_is_kept(
    client, approved, position, django_assert_max_num_queries
):
    first = approved.images.order_by("display_order").first()
    data = rows_post(approved, **{f"order_{first.pk}": position, "new_caption": "Hộp quà"}) | {"images": [upload()]}

    with django_assert_max_num_queries(60):
        response, page = post(client, approved, data)

    assert response.status_code == 200
    assert f'data-field-error="order_{first.pk}">Nhập vị trí là một số nguyên từ 0 đến 999.' in page
    assert f'value="{position}"' in page  # what the producer typed stays in the field
    assert "1 ảnh mới đã được lưu" in page
    revision = ProductRevision.objects.get(product=approved)
    assert [image.caption for image in revision.images.order_by("display_order")] == ["Mặt trước", "Mặt sau", "Hộp quà"]


def test_a_caption_over_200_characters_is_shown_next_to_its_field(client, approved):
    second = approved.images.order_by("display_order").last()
    response, page = post(client, approved, rows_post(approved, **{f"caption_{second.pk}": "chữ" * 80}))

    assert response.status_code == 200
    assert f'data-field-error="caption_{second.pk}">Mô tả ảnh chỉ được dài tối đa 200 ký tự (hiện có 240).' in page
    assert not ProductRevision.objects.filter(product=approved).exists()


def test_a_page_left_open_in_another_tab_is_refused_with_a_message_and_shows_the_images_as_they_are(client, seller):
    product = make_certified_product(producer=seller, title="Trà sâm")
    product.moderation = Moderation.PENDING  # not approved yet: edits apply directly
    product.save()
    kept = ProductImage.objects.create(product=product, original=upload("a.jpg"), caption="Còn", display_order=0)
    stale = rows_post(product) | {"caption_999999": "Ảnh đã xoá ở tab khác", "order_999999": "1"}
    stale[f"caption_{kept.pk}"] = "Sửa ở tab cũ"

    response, page = post(client, product, stale)

    assert response.status_code == 200
    assert "Ảnh đã thay đổi ở một cửa sổ khác" in page
    kept.refresh_from_db()
    assert kept.caption == "Còn"
    assert 'value="Còn"' in page


def test_an_image_added_in_another_tab_keeps_its_caption_and_position(client, approved):
    older_page = rows_post(approved)
    newcomer = ProductImage.objects.create(product=approved, original=upload("c.jpg"), caption="Mới", display_order=7)
    first = approved.images.order_by("display_order").first()

    response, _page = post(client, approved, older_page | {f"caption_{first.pk}": "Mặt trước mới"})

    assert response.status_code == 302
    revision = ProductRevision.objects.get(product=approved)
    assert {(image.caption, image.display_order) for image in revision.images.all()} == {
        ("Mặt trước mới", 0),
        ("Mặt sau", 1),
        ("Mới", 7),
    }
    assert newcomer.pk


def test_saving_the_images_unchanged_puts_nothing_in_the_moderation_queue(client, approved):
    response, _page = post(client, approved, rows_post(approved))

    assert response.status_code == 302
    assert not ProductRevision.objects.filter(product=approved).exists()
