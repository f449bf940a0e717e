"""The page tree: a locked home page, three fixed sections, and each page type only where it belongs."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page

from cms.models import (
    CampaignIndexPage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
)

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    """Wagtail answers a forbidden admin action with a redirect to the dashboard (and a message), or 403."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/cms-admin/")


def test_a_new_site_has_the_campaigns_events_and_news_sections_under_the_home_page(client, home, sections):
    for path, title in (("/khuyen-mai/", "Khuyến mãi"), ("/su-kien/", "Sự kiện"), ("/tin-tuc/", "Tin tức")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert title in response.content.decode()
    assert {page.specific_class for page in home.get_children()} == {
        CampaignIndexPage,
        EventIndexPage,
        NewsIndexPage,
    }


@pytest.mark.parametrize("action", ["delete", "move", "unpublish"])
def test_the_editor_cannot_delete_move_or_unpublish_the_home_page(editor_client, home, action):
    url = f"/cms-admin/pages/{home.pk}/{action}/"

    assert refused(editor_client.get(url))
    assert refused(editor_client.post(url))

    home.refresh_from_db()
    assert home.live
    assert Page.objects.get(pk=home.pk).depth == 2
    assert editor_client.get("/").status_code == 200


@pytest.mark.parametrize("action", ["delete", "move", "unpublish"])
def test_not_even_an_administrator_can_delete_move_or_unpublish_the_home_page(admin_client, home, action):
    assert refused(admin_client.post(f"/cms-admin/pages/{home.pk}/{action}/"))
    assert HomePage.objects.get(pk=home.pk).live


def test_the_bulk_actions_cannot_delete_the_home_page_either(admin_client, home):
    admin_client.post(f"/cms-admin/bulk/wagtailcore/page/delete/?id={home.pk}")
    admin_client.post(f"/cms-admin/bulk/wagtailcore/page/unpublish/?id={home.pk}")

    assert HomePage.objects.get(pk=home.pk).live


def test_the_edit_screen_offers_no_delete_or_unpublish_for_the_home_page(editor_client, home):
    page = editor_client.get(f"/cms-admin/pages/{home.pk}/edit/").content.decode()

    assert f"/cms-admin/pages/{home.pk}/delete/" not in page
    assert f"/cms-admin/pages/{home.pk}/unpublish/" not in page
    assert f"/cms-admin/pages/{home.pk}/move/" not in page


def test_the_home_page_cannot_be_set_to_expire(home):
    home.expire_at = timezone.now() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        home.full_clean()

    assert "expire_at" in error.value.message_dict


def test_the_sections_are_locked_like_the_home_page(editor_client, sections):
    for section in sections.values():
        assert refused(editor_client.post(f"/cms-admin/pages/{section.pk}/delete/"))
    assert CampaignIndexPage.objects.exists()


def test_each_page_type_lives_only_in_its_own_section(home, sections):
    assert EventPage.can_create_at(sections["events"])
    assert not EventPage.can_create_at(sections["news"])
    assert not EventPage.can_create_at(home)
    assert NewsPage.can_create_at(sections["news"])
    assert not NewsPage.can_create_at(sections["events"])
    assert not NewsIndexPage.can_create_at(home)  # there is one already
    assert not HomePage.can_create_at(home)
    assert set(HomePage.allowed_subpage_models()) == {CampaignIndexPage, EventIndexPage, NewsIndexPage}


def test_the_editor_is_offered_only_event_pages_under_the_events_section(editor_client, sections):
    page = editor_client.get(f"/cms-admin/pages/add/cms/newspage/{sections['events'].pk}/")

    assert refused(page)
    assert editor_client.get(f"/cms-admin/pages/add/cms/eventpage/{sections['events'].pk}/").status_code == 200
