"""Branded error pages, in the page's language, rendered without touching the database."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation

from shop import errors

HANDLERS = {
    400: lambda request: errors.bad_request(request, Exception()),
    403: lambda request: errors.permission_denied(request, PermissionDenied()),
    404: lambda request: errors.page_not_found(request, Http404()),
    500: errors.server_error,
}
VIETNAMESE = {
    400: "Cửa hàng không hiểu được yêu cầu này",
    403: "Không có quyền truy cập",
    404: "Trang này không tồn tại",
    500: "Cửa hàng đang gặp sự cố",
}
ENGLISH = {
    400: "The shop could not understand this request",
    403: "Access denied",
    404: "This page does not exist",
    500: "The shop is having a problem",
}


@pytest.mark.parametrize("status", sorted(HANDLERS))
@pytest.mark.parametrize("language, headings", [("vi", VIETNAMESE), ("en", ENGLISH)])
def test_each_error_page_is_branded_in_the_pages_language_with_search_and_a_way_home(
    status, language, headings, db, django_assert_num_queries
):
    request = RequestFactory().get("/khong-co/")
    with translation.override(language), django_assert_num_queries(0):
        response = HANDLERS[status](request)

    html = response.content.decode()
    assert response.status_code == status
    assert f'<html lang="{language}">' in html
    assert f"<h1>{headings[status]}</h1>" in html
    assert 'action="/search/" role="search"' in html and 'href="/"' in html
    assert "Chợ OCOP Quảng Nam" in html
    # The search button draws the header's magnifier: the "⌕" character it showed was a speck on a phone.
    button = html.split('class="ocop-search__button"')[1].split("</button>")[0]
    assert "<svg" in button and "&#x2315;" not in button and "⌕" not in button


@pytest.mark.django_db
def test_an_unknown_address_answers_the_branded_404(client):
    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    assert "<h1>Trang này không tồn tại</h1>" in response.content.decode()
