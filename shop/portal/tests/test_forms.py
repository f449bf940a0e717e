"""Text typed in the portal is stored in NFC, however the keyboard composed it."""

import unicodedata

import pytest
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import producer_user
from shop.order.tests.factories import place_order
from shop.portal import forms

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_cancellation_reason_typed_decomposed_reaches_the_line_in_nfc(client):
    user, producer = producer_user()
    line = place_order(make_certified_product(producer=producer, stock=5)).lines.get()
    client.force_login(user)
    reason = "Hết hàng đợt này, xin lỗi quý khách"
    assert nfd(reason) != reason

    client.post(reverse("portal:line_cancel", args=[line.pk]), {"reason": nfd(reason) + "  "})

    line.refresh_from_db()
    assert (line.status, line.cancellation_reason) == ("cancelled", reason)


def test_every_free_text_field_of_the_portal_forms_gives_nfc():
    text = "Đường phèn Quế Sơn"
    product_form = forms.ProductForm({"title": nfd(text), "title_en": nfd("Quế"), "description": nfd(text)})
    product_form.is_valid()
    assert (product_form.cleaned_data["title"], product_form.cleaned_data["title_en"]) == (text, "Quế")
    assert product_form.cleaned_data["description"] == text
    cancel_form = forms.CancelLineForm({"reason": nfd(text)})
    decision_form = forms.DecisionForm({"decision": "rejected", "reason": nfd(text)})
    assert cancel_form.is_valid() and decision_form.is_valid()
    assert cancel_form.cleaned_data["reason"] == decision_form.cleaned_data["reason"] == text
    application_form = forms.ProducerApplicationForm({"producer_name": nfd(text), "address": nfd(text)})
    application_form.is_valid()
    assert application_form.cleaned_data["producer_name"] == application_form.cleaned_data["address"] == text


def test_the_product_forms_group_choices_are_named_in_the_pages_language():
    from django.utils import translation

    with translation.override("en"):
        english = [str(label) for _, label in forms.ProductForm().fields["category"].choices]
    with translation.override("vi"):
        vietnamese = [str(label) for _, label in forms.ProductForm().fields["category"].choices]

    assert english[0] == "Choose a group" and "Food › Fresh produce" in english
    assert vietnamese[0] == "Chọn nhóm sản phẩm" and "Thực phẩm › Nông sản tươi sống" in vietnamese
