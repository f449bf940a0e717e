"""A producer opens a product filed under a whole group (as the demo's are) and saves it on the first try."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")


def test_saving_the_edit_form_unchanged_but_the_price_keeps_the_group_and_succeeds(client):
    food = Category.objects.get(depth=1, name="Thực phẩm")  # a group with sub-groups, not offered to new products
    product = make_certified_product(title="Bánh dừa nướng")
    product.categories.add(food)
    user, _producer = producer_user(producer=product.producer)
    client.force_login(user)
    url = reverse("portal:product_edit", kwargs={"pk": product.pk})

    form = client.get(url).context["form"]
    assert form["category"].value() == food.pk
    assert f'<option value="{food.pk}" selected>Thực phẩm</option>' in str(form["category"])
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(category=food.pk, price=165000)
    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    product.refresh_from_db()
    assert list(product.categories.all()) == [food]
    assert product.stockrecords.get().price == 165000


def test_a_demo_description_opens_without_tags_and_saving_it_unchanged_needs_no_approval(client):
    product = make_certified_product(
        title="Dầu phụng", description="<p>Ép lạnh &amp; lọc.</p><p>Hình ảnh minh hoạ.</p>"
    )
    product.moderation = "approved"
    product.save()
    food = Category.objects.get(depth=1, name="Thực phẩm")
    product.categories.add(food)
    user, _producer = producer_user(producer=product.producer)
    client.force_login(user)
    url = reverse("portal:product_edit", kwargs={"pk": product.pk})

    page = client.get(url).content.decode()
    assert "Ép lạnh &amp; lọc.\n\nHình ảnh minh hoạ.</textarea>" in page and "&lt;p&gt;" not in page
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    response = client.post(url, {**data, "category": food.pk, "stock": 7})

    assert response.status_code == 302
    assert not product.revisions.exists()
    assert product.stockrecords.get().num_in_stock == 7
