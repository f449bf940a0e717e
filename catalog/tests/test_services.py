"""Producer accounts: the public application, staff approval, and one producer per user."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from catalog import services
from catalog.tests.factories import ProducerFactory
from catalog.tests.helpers import (
    make_user,
    producer_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

User = get_user_model()
Producer = get_model("catalogue", "Producer")
ProducerApplication = get_model("catalogue", "ProducerApplication")
ModerationDecision = get_model("catalogue", "ModerationDecision")


def test_a_user_works_for_one_producer_only():
    user, _producer = producer_user()
    with pytest.raises(ValidationError, match="one producer only"):
        services.link_user_to_producer(user=user, producer=ProducerFactory())


def test_a_producer_may_have_several_users():
    _user, producer = producer_user()
    second = make_user("ke-toan@htx.vn")
    services.link_user_to_producer(user=second, producer=producer)
    assert services.producer_of(second) == producer
    assert producer.partner.users.count() == 2


def test_system_check_reports_users_linked_to_two_producers():
    from catalog.checks import check_one_producer_per_user

    user, _producer = producer_user()
    assert check_one_producer_per_user(databases=["default"]) == []
    ProducerFactory().partner.users.add(user)
    errors = check_one_producer_per_user(databases=["default"])
    assert [error.id for error in errors] == ["catalogue.E101"]
    assert user.email in errors[0].msg
