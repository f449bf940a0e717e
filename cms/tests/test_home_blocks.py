"""The home page's campaign carousel and upcoming events (cms/fragments.py): kept as HTML, and every change
they show (a campaign or an event published, edited, unpublished; one starting or ending by the clock) is on
the next page at once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.tests.factories import make_certified_product
from cms.tests.factories import make_campaign, make_event

pytestmark = pytest.mark.django_db


def home(**headers) -> str:
    """The home page as a new visitor sees it (no cookies)."""
    response = Client().get("/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def carousel(html: str) -> str:
    start = html.find('id="home-campaigns"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def events(html: str) -> str:
    start = html.find('class="home-events')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def test_the_blocks_are_kept_and_a_later_visitor_gets_them_without_reading_the_pages(
    fragment_cache, sections, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(title="Tết OCOP", percent=None)
        make_event(title="Hội chợ OCOP Tam Kỳ")
    first = home()

    with CaptureQueriesContext(connection) as queries:
        second = home()

    assert (carousel(first), events(first)) == (carousel(second), events(second))
    assert "Tết OCOP" in carousel(second) and "Hội chợ OCOP Tam Kỳ" in events(second)
    assert not [query for query in queries.captured_queries if "cms_eventpage" in query["sql"]]


def test_a_campaign_published_edited_and_unpublished_shows_at_once(
    fragment_cache, sections, django_capture_on_commit_callbacks
):
    assert "Tết OCOP" not in home()

    with django_capture_on_commit_callbacks(execute=True):
        campaign = make_campaign(title="Tết OCOP", percent=10, products=[make_certified_product()])
    assert "Tết OCOP" in carousel(home())
    home()  # kept again

    with django_capture_on_commit_callbacks(execute=True):
        campaign.title = "Tết OCOP 2027"
        campaign.save_revision().publish()
    assert "Tết OCOP 2027" in carousel(home())

    with django_capture_on_commit_callbacks(execute=True):
        campaign.unpublish()
    assert "Tết OCOP" not in home()


def test_an_event_published_shows_at_once(fragment_cache, sections, django_capture_on_commit_callbacks):
    home()

    with django_capture_on_commit_callbacks(execute=True):
        make_event(title="Tuần lễ OCOP Hội An")

    assert "Tuần lễ OCOP Hội An" in events(home())


def test_a_campaign_starting_and_one_ending_by_the_clock_show_at_once_with_their_prices(
    fragment_cache, card_cache, sections, clock
):
    tea = make_certified_product(title="Trà sâm Ngọc Linh", stars=5, price=Decimal("150000"))
    make_campaign(title="Tết sắp tới", products=[tea], percent=10, starts_in=datetime.timedelta(hours=1))
    make_campaign(title="Hè sắp hết", percent=None, lasts=datetime.timedelta(days=1, hours=2))
    for _visitor in range(2):  # the second from the cached blocks and cards
        page = home()
        assert "Hè sắp hết" in carousel(page) and "Tết sắp tới" not in carousel(page)
        assert "135.000" not in page and "150.000" in page

    clock(datetime.timedelta(hours=1, minutes=1))  # no write: the clock alone
    for _visitor in range(2):
        page = home()
        assert "Tết sắp tới" in carousel(page) and "Hè sắp hết" in carousel(page)
        assert "135.000" in page

    clock(datetime.timedelta(hours=2, minutes=1))
    page = home()
    assert "Tết sắp tới" in carousel(page) and "Hè sắp hết" not in carousel(page)


def test_an_event_that_ends_makes_room_for_the_next_one(fragment_cache, sections, clock):
    make_event(title="Sự kiện một", starts_in_days=1, days=1)
    for number, title in enumerate(["Sự kiện hai", "Sự kiện ba", "Sự kiện bốn"], start=2):
        make_event(title=title, starts_in_days=number, days=5)
    for _visitor in range(2):
        shown = events(home())
        assert "Sự kiện một" in shown and "Sự kiện ba" in shown and "Sự kiện bốn" not in shown

    clock(datetime.timedelta(days=2, hours=1))

    shown = events(home())
    assert "Sự kiện một" not in shown and "Sự kiện bốn" in shown


def test_each_language_gets_its_own_blocks(fragment_cache, sections):
    make_campaign(title="Tết OCOP", title_en="OCOP Lunar New Year", percent=None)
    home(HTTP_ACCEPT_LANGUAGE="vi")

    assert "OCOP Lunar New Year" in carousel(home(HTTP_ACCEPT_LANGUAGE="en"))
    assert "Tết OCOP" in carousel(home(HTTP_ACCEPT_LANGUAGE="vi"))


def test_a_campaign_picture_replaced_in_wagtail_shows_at_once(
    fragment_cache, sections, django_capture_on_commit_callbacks
):
    import re

    from wagtail.images import get_image_model

    from search.tests.factories import image_upload

    picture = get_image_model().objects.create(title="Tết", file=image_upload("tet.jpg"))
    with django_capture_on_commit_callbacks(execute=True):
        make_campaign(title="Tết OCOP", percent=None, hero_image=picture)
    before = re.search(r'<img[^>]+src="([^"]+)"', carousel(home())).group(1)
    assert "tet" in before

    with django_capture_on_commit_callbacks(execute=True):
        # As Wagtail's image edit view does when a new file is uploaded.
        picture.renditions.all().delete()
        picture.file = image_upload("tet-moi.jpg")
        picture.save()

    after = re.search(r'<img[^>]+src="([^"]+)"', carousel(home())).group(1)
    assert "tet-moi" in after and after != before
