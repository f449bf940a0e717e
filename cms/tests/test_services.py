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


def test_a_rebuilt_home_page_has_its_english_version(client, settings):
    Site.objects.all().delete()
    Page.objects.filter(depth=1).delete()
    Locale.objects.all().delete()
    ensure_home_page()
    settings.LANGUAGE_CODE = "en"

    page = client.get("/").content.decode()

    assert "Genuine OCOP products of Quảng Nam" in page
    assert "Sản phẩm OCOP chính hiệu của Quảng Nam" not in page


def test_the_english_content_migration_fills_the_page_and_its_saved_revision():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("cms.migrations.0005_home_page_english_content")
    home = HomePage.objects.get()
    home.hero_title_en = ""
    home.featured_title_en = "Our pick"
    revision = home.save_revision()
    HomePage.objects.filter(pk=home.pk).update(hero_title_en="")

    migration.fill_english(apps, None)

    home.refresh_from_db()
    assert home.hero_title_en == "Genuine OCOP products of Quảng Nam"
    assert home.featured_title_en == "Featured OCOP products"  # the row's own, untouched by the revision
    revision.refresh_from_db()
    assert revision.content["hero_title_en"] == "Genuine OCOP products of Quảng Nam"
    assert revision.content["featured_title_en"] == "Our pick"  # an editor's English is kept
