"""Fixtures shared by the portal's tests."""

import pytest

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user


@pytest.fixture
def uncertified_seller(client):
    """A producer's user, signed in, and their product "Trà sâm" with no certificate yet: (user, product)."""
    user, producer = producer_user()
    client.force_login(user)
    product = make_certified_product(producer=producer, title="Trà sâm")
    product.certificates.all().delete()
    return user, product
