"""The portal's tabs say where the producer is: the section of the page is the current tab."""

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url_name", "kwargs", "tab"),
    [
        ("portal:product_list", {}, "Sản phẩm"),
        ("portal:product_edit", "product", "Sản phẩm"),
        ("portal:sales", {}, "Doanh số"),
    ],
)
def test_the_current_section_is_the_highlighted_tab(client, django_assert_max_num_queries, url_name, kwargs, tab):
    user, producer = producer_user()
    product = make_certified_product(producer=producer, title="Trà sâm")
    client.force_login(user)
    url = reverse(url_name, kwargs={"pk": product.pk} if kwargs == "product" else kwargs)

    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()

    nav = page.split('data-testid="portal-nav">')[1].split("</nav>")[0]
    current = nav.split('aria-current="page">')
    assert len(current) == 2, "exactly one current tab"
    assert current[1].startswith(tab + "</a>")
