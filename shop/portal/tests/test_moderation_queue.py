"""The staff moderation queue: every kind of pending item, decisions and their log."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import services
from catalog.tests.factories import CertificateFactory, ProductFactory, make_certified_product
from catalog.tests.helpers import producer_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_queue_shows_every_kind_and_the_log_with_constant_queries(client, staff, django_assert_max_num_queries):
    def fill(n):
        for _ in range(n):
            user, producer = producer_user(f"p{ProductFactory._meta.model.objects.count()}@x.vn")
            ProductFactory(producer=producer, is_public=False, moderation="pending")
            CertificateFactory(product=make_certified_product(producer=producer), status="pending")
            services.update_product(
                product=make_certified_product(producer=producer),
                producer=producer,
                by=user,
                title="Sửa",
                category=get_model("catalogue", "Category").objects.filter(depth=2).first(),
                price=1000,
                stock=1,
            )

    client.force_login(staff)
    fill(1)
    with django_assert_max_num_queries(40) as baseline:
        client.get(reverse("moderation:queue"))
    fill(3)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("moderation:queue"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert body.count('data-item="product-') == 4
    assert body.count('data-item="revision-') == 4
    assert body.count('data-item="certificate-') == 4


def test_decision_through_the_queue_is_shown_in_the_log(client, staff):
    _user, producer = producer_user()
    product = ProductFactory(producer=producer, is_public=False, moderation="pending", title="Bánh tráng")
    client.force_login(staff)
    response = client.post(
        reverse("moderation:decide", args=["product", product.pk]), {"decision": "rejected", "reason": ""}
    )
    product.refresh_from_db()
    assert product.moderation == "pending"  # no reason, no rejection
    client.post(
        reverse("moderation:decide", args=["product", product.pk]), {"decision": "rejected", "reason": "Thiếu ảnh"}
    )
    response = client.get(reverse("moderation:queue"))
    log = response.content.decode().split('data-testid="decision-log"')[1]
    assert "Bánh tráng" in log and "Thiếu ảnh" in log and "Trần Kiểm" in log
