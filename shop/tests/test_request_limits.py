"""Requests over Django's field and file limits get a quick, plain 400 page, with DEBUG on or off."""

import html
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

REFUSED = "Cửa hàng không hiểu được yêu cầu này"


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def test_more_than_a_thousand_query_parameters_get_a_quick_400(client, debug):
    query = "&".join(f"producer={n}" for n in range(1001))

    started = time.monotonic()
    response = client.get(f"/catalogue/?{query}")
    waited = time.monotonic() - started

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert REFUSED in page
    assert "Traceback" not in page and "TooManyFieldsSent" not in page
    assert waited < 2


def test_a_hundred_and_one_files_in_one_form_get_a_400(client, debug):
    files = {f"images_{n}": SimpleUploadedFile(f"a{n}.jpg", b"x", content_type="image/jpeg") for n in range(101)}

    response = client.post("/accounts/login/", files)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert REFUSED in page
    assert "TooManyFilesSent" not in page


def test_a_form_within_the_limits_is_not_touched(client, debug):
    response = client.post(
        "/accounts/login/", {"login-username": "a@example.vn", "login-password": "x", "login_submit": "1"}
    )

    assert response.status_code == 200
