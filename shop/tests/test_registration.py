"""Registering never tells which e-mail addresses have accounts (issue 8, item 6).

A new and a taken address get the same answer: the same "check your e-mail" page, nobody
signed in. The e-mail itself tells the difference, to the address's owner only.
"""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Tra-sam-Ngoc-Linh-2026"
OWNER_PASSWORD = "Mat-khau-cu-rat-dai-1"


@pytest.fixture
def owner():
    return User.objects.create_user(username="lan", email="lan@example.vn", password=OWNER_PASSWORD)


def register_on(path: str, email: str, client: Client) -> tuple:
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    if path == "/accounts/login/":
        data = {f"registration-{name}": value for name, value in data.items()} | {"registration_submit": "1"}
    response = client.post(path, data)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    signed_in = "_auth_user_id" in client.session
    return response.status_code, response.get("Location"), signed_in, html.unescape(page.content.decode())


def strip_tokens(page: str) -> str:
    import re

    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'nonce="[^"]*"', "", page)
    return re.sub(r'<meta name="created" content="[^"]*"', "", page)


@pytest.mark.parametrize("path", ["/accounts/register/", "/accounts/login/"])
def test_a_taken_address_gets_the_same_answer_as_a_new_one(path, owner, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        new = register_on(path, "moi@example.vn", Client())
    with django_assert_max_num_queries(40):
        taken = register_on(path, "Lan@Example.vn", Client())

    assert new[:3] == taken[:3] == (302, "/accounts/register/sent/", False)
    assert strip_tokens(new[3]) == strip_tokens(taken[3])
    assert "Hãy kiểm tra hộp thư" in taken[3]
    assert "already exists" not in taken[3] and "đã tồn tại" not in taken[3]


@pytest.mark.parametrize("path", ["/accounts/register/", "/accounts/login/"])
def test_the_owner_of_a_taken_address_is_told_and_keeps_the_account(path, owner):
    register_on(path, "lan@example.vn", Client())

    assert User.objects.filter(email__iexact="lan@example.vn").count() == 1
    owner.refresh_from_db()
    assert owner.check_password(OWNER_PASSWORD)
    (message,) = mail.outbox
    assert message.to == ["lan@example.vn"]
    assert message.subject == "Có người vừa thử đăng ký tại Chợ OCOP Quảng Nam bằng địa chỉ e-mail của bạn"
    assert "Không có tài khoản mới nào được tạo" in message.body
    assert "/accounts/login/" in message.body and "/password-reset/" in message.body


def test_a_new_address_gets_its_account_and_can_sign_in():
    client = Client()
    register_on("/accounts/register/", "moi@example.vn", client)

    user = User.objects.get(email="moi@example.vn")
    assert user.check_password(PASSWORD)
    assert [message.to for message in mail.outbox] == [["moi@example.vn"]]
    signed_in = client.post(
        "/accounts/login/",
        {"login-username": "moi@example.vn", "login-password": PASSWORD, "login_submit": "1"},
    )
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session


def test_a_form_with_mistakes_is_shown_again_with_its_errors(client):
    response = client.post(
        "/accounts/register/", {"email": "moi@example.vn", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="moi@example.vn").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("option", ["anonymous", "new"])
def test_the_checkout_does_not_tell_whether_an_address_has_an_account(option, owner, django_assert_max_num_queries):
    from catalog.tests.factories import make_certified_product

    product = make_certified_product(stock=5)
    answers = []
    for email in ("moi@example.vn", "lan@example.vn"):
        client = Client()
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
        with django_assert_max_num_queries(60):
            response = client.post("/checkout/", {"username": email, "options": option})
        answers.append((response.status_code, response["Location"].replace(email.replace("@", "%40"), "")))

    assert answers[0] == answers[1]
    status, location = answers[0]
    assert status == 302 and "/basket/" not in location  # on to the next step, not back to the basket
    assert location.startswith("/accounts/register/") if option == "new" else location.startswith("/checkout/")
