import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from cms.models import HomePage


@pytest.fixture
def home() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def editor(django_user_model):
    """A Department editor, as ``demo_accounts`` makes one: no staff flag, the editor group only."""
    from cms.roles import EDITOR_GROUP

    user = django_user_model.objects.create_user(username="bientap", email="bientap@example.vn", password="pw-12345678")
    user.groups.add(Group.objects.get(name=EDITOR_GROUP))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def sections(home) -> dict:
    from cms.models import CampaignIndexPage, EventIndexPage, NewsIndexPage

    return {
        "campaigns": CampaignIndexPage.objects.get(),
        "events": EventIndexPage.objects.get(),
        "news": NewsIndexPage.objects.get(),
    }


@pytest.fixture
def reviewer(django_user_model):
    from cms.roles import REVIEWER_GROUP

    user = django_user_model.objects.create_user(username="pheduyet", email="pd@example.vn", password="pw-12345678")
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock without any write: ``clock(later)`` makes it now + ``later`` for Django and for Oscar's
    offers (which read it as ``now``)."""
    import datetime

    from django.utils import timezone
    from oscar.apps.offer import abstract_models, managers

    start = timezone.now()

    def move(later: datetime.timedelta) -> None:
        for module in (timezone, managers, abstract_models):
            monkeypatch.setattr(module, "now", lambda: start + later)

    return move
