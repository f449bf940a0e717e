"""Every filter value that reaches SQL is range-checked: an out-of-range one is ignored, never a 500."""

import pytest
from django.urls import reverse

from search.tests.factories import listed_product, subgroup

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = {
    "producer": ["9223372036854775808", "-9223372036854775809", "99999999999999999999999999"],
    "price_min": ["9223372036854775808", "1" + "0" * 40],
    "price_max": ["9223372036854775808", "1" + "0" * 40],
}


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in OUT_OF_RANGE.items() for value in values]
)
@pytest.mark.parametrize("page", ["catalogue", "search", "category"])
def test_an_out_of_range_filter_is_ignored_on_every_listing(
    client, name, value, page, django_capture_on_commit_callbacks
):
    category = subgroup("food")
    with django_capture_on_commit_callbacks(execute=True):  # the listing rows are kept in step on commit
        listed_product(title="Mì Quảng Phú Chiêm", category=category)
    url = {
        "catalogue": reverse("catalogue:index"),
        "search": reverse("search:search"),
        "category": category.get_absolute_url(),
    }[page]

    response = client.get(url, {name: value, "q": "mi quang"} if page == "search" else {name: value})

    assert response.status_code == 200
    assert "Mì Quảng Phú Chiêm" in response.content.decode()
