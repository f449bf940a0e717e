"""ensure_home_page: a front page even after every page was deleted (as browser tests do)."""

import pytest
from wagtail.models import Locale, Page, Site

from cms.models import HomePage
from cms.services import ensure_home_page

pytestmark = pytest.mark.django_db


def test_the_migration_home_page_is_kept(client):
    before = HomePage.objects.get()

    assert ensure_home_page() == before
    assert HomePage.objects.count() == 1


def test_an_emptied_database_gets_its_home_page_back(client):
    Site.objects.all().delete()
    Page.objects.filter(depth=1).delete()
    Locale.objects.all().delete()

    home = ensure_home_page()

    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    response = client.get("/")
    assert response.status_code == 200
    assert "Sản phẩm OCOP chính hiệu của Quảng Nam" in response.content.decode()
