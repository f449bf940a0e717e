"""The Department's editor and reviewer: what they can do in the Wagtail admin, and what they never reach."""

import pytest

from catalog.tests.factories import make_certified_product
from cms.models import CampaignPage
from cms.roles import WORKFLOW_NAME
from cms.tests.factories import make_campaign
from cms.tests.test_tree import refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/users/",
        "/dashboard/orders/",
        "/dashboard/offers/",
        "/moderation/",
        "/moderation/files/certificates/scan.pdf",
        "/producer/",
        "/django-admin/",
        "/django-admin/auth/user/",
        "/cms-admin/users/",
        "/cms-admin/groups/",
    ],
)
def test_the_editor_never_reaches_staff_screens_customers_or_private_scans(editor_client, url):
    response = editor_client.get(url)

    assert response.status_code != 200, url
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "login" in response.url or response.url in ("/cms-admin/", "/producer/apply/"), response.url


@pytest.mark.parametrize(
    "url",
    ["/cms-admin/", "/cms-admin/images/", "/cms-admin/documents/", "/cms-admin/campaign-reports/"],
)
def test_the_editor_works_in_the_wagtail_admin(editor_client, url, sections):
    assert editor_client.get(url).status_code == 200


def test_the_editor_creates_a_campaign_in_vietnamese_with_its_discount_fields(editor_client, sections):
    response = editor_client.get(f"/cms-admin/pages/add/cms/campaignpage/{sections['campaigns'].pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Lưu bản nháp", "Thời gian chiến dịch", "Giảm giá", "mức giảm", "ngân sách (₫)", "Bản tiếng Anh"):
        assert text.lower() in page.lower(), text
    for english in ("Save draft", "Hero image", "Discount value"):
        assert english not in page, english


def test_a_reviewer_approves_a_campaign_the_editor_submitted_and_its_discount_opens(editor, reviewer, sections):
    tea = make_certified_product(title="Trà sâm")
    campaign = make_campaign(products=[tea], publish=False)
    campaign.save_revision(user=editor)
    workflow = campaign.get_workflow()
    assert workflow.name == WORKFLOW_NAME

    state = workflow.start(campaign, editor)
    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(campaign, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve")

    campaign = CampaignPage.objects.get(pk=campaign.pk)
    assert campaign.live
    assert campaign.offer is not None and campaign.offer.is_available()


def test_the_reviewer_reaches_no_staff_screen_either(reviewer, client):
    client.force_login(reviewer)

    assert refused(client.get("/cms-admin/users/"))
    assert client.get("/dashboard/").status_code != 200
