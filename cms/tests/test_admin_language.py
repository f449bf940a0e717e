"""The Department's editors work in a Vietnamese Wagtail admin: none of our labels, help texts,
panel headings or block labels is left in English, and Wagtail's own strings are Vietnamese too."""

import html
import re

import pytest
from django.utils import translation
from wagtail import blocks as wagtail_blocks
from wagtail.admin.panels import Panel

from catalog.tests.factories import make_certified_product
from cms.models import CampaignPage, EventPage, HomePage, NewsPage
from cms.tests.factories import make_campaign, rule_block

pytestmark = pytest.mark.django_db


def block_strings(block) -> set[str]:
    strings = set()
    for name in ("label", "help_text"):
        value = getattr(block.meta, name, None)
        if value and not isinstance(value, str):  # a lazy translation of ours (Wagtail derives the rest from names)
            strings.add(value)
    for child in getattr(block, "child_blocks", {}).values():
        strings |= block_strings(child)
    if isinstance(block, wagtail_blocks.ListBlock):
        strings |= block_strings(block.child_block)
    choices = getattr(block, "_constructor_kwargs", {}).get("choices")
    if isinstance(block, wagtail_blocks.ChoiceBlock) and not callable(choices):  # callables list data, not labels
        strings |= {label for _value, label in choices if label and not isinstance(label, str)}
    return strings


def panel_strings(panel: Panel) -> set[str]:
    strings = {panel.heading} if panel.heading and not isinstance(panel.heading, str) else set()
    for child in getattr(panel, "children", []):
        strings |= panel_strings(child)
    return strings


def our_strings(model) -> set:
    """Every translatable text of ours the editor meets in ``model``'s form, as lazy translations."""
    strings = set()
    for field in model._meta.get_fields():
        if field.model is not model or not getattr(field, "editable", False):
            continue
        for value in (getattr(field, "verbose_name", None), getattr(field, "help_text", None)):
            if value and not isinstance(value, str):
                strings.add(value)
        for _value, label in getattr(field, "choices", None) or []:
            if label and not isinstance(label, str):
                strings.add(label)
        if hasattr(field, "stream_block"):
            strings |= block_strings(field.stream_block)
    strings |= panel_strings(model.get_edit_handler())
    return strings


SAME_IN_VIETNAMESE = {"Video"}


@pytest.mark.parametrize("model", [HomePage, CampaignPage, EventPage, NewsPage])
def test_every_label_help_text_and_heading_of_ours_has_a_vietnamese_translation(model):
    with translation.override("en"):
        english = {str(text) for text in our_strings(model)}
    with translation.override("vi"):
        untranslated = sorted(str(text) for text in our_strings(model) if str(text) in english - SAME_IN_VIETNAMESE)

    assert untranslated == []


def english_left(page: str, model) -> list[str]:
    """Our English strings (of two words or more, so as not to match markup) still on the editor's page.

    The block definitions (labels included) are in the page's JSON, and so they are searched too; the
    accessibility checker's rules (Wagtail's, in English) are left out.
    """
    with translation.override("en"):
        english = {str(text) for text in our_strings(model)}
    text = re.sub(r'<script id="checker-axe-configuration".*?</script>', "", page, flags=re.S)
    text = html.unescape(re.sub(r"\s+", " ", text))
    wagtail = {
        "Save draft",
        "Publish",
        "Schedule to publish",
        "Hero image",
        "Discount value",
        "English version",
        "The page title as you'd like it to be seen by the public",
    }
    return sorted(
        string
        for string in (english - SAME_IN_VIETNAMESE) | wagtail
        if (" " in string or string in wagtail) and re.search(rf"(?<![\w-]){re.escape(string)}(?![\w-])", text, re.I)
    )


def test_the_editor_creates_and_edits_a_campaign_in_a_vietnamese_admin(editor_client, sections):
    tea = make_certified_product(title="Trà sâm")
    campaign = make_campaign(products=[tea], body=[rule_block(min_stars=4)])

    create = editor_client.get(f"/cms-admin/pages/add/cms/campaignpage/{sections['campaigns'].pk}/").content.decode()
    edit = editor_client.get(f"/cms-admin/pages/{campaign.pk}/edit/").content.decode()

    for page in (create, edit):
        assert 'lang="vi"' in page
        assert "Lưu bản nháp" in page and "Ảnh bìa" in page
        assert english_left(page, CampaignPage) == []


def test_the_editors_admin_offers_only_the_sites_languages(editor_client, sections):
    page = editor_client.get("/cms-admin/account/").content.decode()

    assert 'value="vi"' in page and 'value="en"' in page
    assert 'value="de"' not in page and 'value="fr"' not in page


def test_the_demo_editor_gets_a_vietnamese_admin_even_from_an_english_browser(client, django_user_model, sections):
    from catalog.demo import ensure_demo_accounts

    ensure_demo_accounts()
    client.force_login(django_user_model.objects.get(email="bientap@demo.ocop.vn"))

    with translation.override("vi"):  # the request activates English for this thread: do not leak it to later tests
        page = client.get("/cms-admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert 'lang="vi"' in page and "Trang" in page
