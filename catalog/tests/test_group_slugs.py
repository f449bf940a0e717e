"""Product groups have Vietnamese addresses without tone marks, and the old English ones still lead there."""

import pytest
from oscar.core.loading import get_model

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")


def test_the_six_groups_have_vietnamese_slugs_without_tone_marks():
    slugs = list(Category.objects.filter(depth=1).order_by("path").values_list("slug", flat=True))

    assert slugs == ["thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe", "sinh-vat-canh", "du-lich"]


def test_an_old_english_group_address_redirects_to_the_vietnamese_one(client):
    food = Category.objects.get(depth=1, code="food")

    response = client.get(f"/catalogue/category/food_{food.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/catalogue/category/thuc-pham_{food.pk}/"
