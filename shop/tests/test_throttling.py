"""Sign-in lockout (django-axes) on the three login pages, and rate limits on the forms robots post in bulk."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.core.loading import get_model

from catalog.tests.factories import make_certified_product

pytestmark = pytest.mark.django_db

User = get_user_model()
ProducerApplication = get_model("catalogue", "ProducerApplication")
PASSWORD = "Mat-khau-dung-2026"
LOCKED = "Đăng nhập sai quá nhiều lần với tài khoản này hoặc từ địa chỉ này"
TOO_MANY = "Bạn đã gửi biểu mẫu này quá nhiều lần"


@pytest.fixture
def staff():
    return User.objects.create_superuser(username="canbo", email="canbo@sct.quangnam.gov.vn", password=PASSWORD)


LOGINS = {
    "shop": (
        "/accounts/login/",
        lambda name, password: {"login-username": name, "login-password": password, "login_submit": "1"},
        "email",
    ),
    "cms": ("/cms-admin/login/", lambda name, password: {"username": name, "password": password}, "username"),
    "django-admin": (
        "/django-admin/login/",
        lambda name, password: {"username": name, "password": password, "next": "/django-admin/"},
        "username",
    ),
}


def sign_in(client, door, user, password, **extra):
    url, form, name_field = LOGINS[door]
    return client.post(url, form(getattr(user, name_field), password), **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("door", LOGINS)
def test_ten_wrong_passwords_lock_the_account_and_the_right_one_no_longer_works(client, settings, staff, door):
    answers = [sign_in(client, door, staff, "sai-mat-khau").status_code for _n in range(settings.AXES_FAILURE_LIMIT)]
    assert answers == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the tenth failure locks

    response = sign_in(client, door, staff, PASSWORD)

    assert response.status_code == 429
    assert LOCKED in html.unescape(response.content.decode())
    assert "15 phút" in html.unescape(response.content.decode())
    assert not signed_in(client)


@pytest.mark.parametrize("door", LOGINS)
def test_a_few_wrong_passwords_still_let_the_right_one_in(client, settings, staff, door):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, door, staff, "sai-mat-khau")

    response = sign_in(client, door, staff, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_an_account_is_locked_even_when_each_failure_comes_from_a_new_address(client, settings, staff):
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "shop", staff, "sai-mat-khau", REMOTE_ADDR=f"10.0.0.{n + 1}")

    response = sign_in(client, "shop", staff, PASSWORD, REMOTE_ADDR="10.0.1.1")

    assert response.status_code == 429
    assert not signed_in(client)


def test_changing_the_e_mails_case_does_not_start_a_new_count(client, settings, staff):
    url, form, _field = LOGINS["shop"]
    for n in range(settings.AXES_FAILURE_LIMIT):
        name = staff.email.upper() if n % 2 else staff.email
        client.post(url, form(f" {name} ", "sai-mat-khau"), REMOTE_ADDR=f"10.0.0.{n + 1}")

    assert sign_in(client, "shop", staff, PASSWORD, REMOTE_ADDR="10.0.1.1").status_code == 429


def test_an_address_trying_many_accounts_is_locked_for_all_of_them(client, settings, staff):
    fail_for_many_accounts(client, settings, headers=lambda n: {"REMOTE_ADDR": "203.0.113.9"})

    response = sign_in(client, "shop", staff, PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 429
    assert sign_in(client, "shop", staff, PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302


def fail_for_many_accounts(client, settings, headers):
    """One address getting AXES_FAILURE_LIMIT wrong passwords, each for another account."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", LOGINS["shop"][1](f"khach{n}@example.vn", "sai"), **headers(n))


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_count(client, settings, staff):
    settings.TLS_PROXY = False
    fail_for_many_accounts(
        client, settings, headers=lambda n: {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
    )

    assert sign_in(client, "shop", staff, PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429


def test_behind_the_tls_proxy_each_visitor_is_counted_by_the_address_the_proxy_saw(client, settings, staff):
    settings.TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail_for_many_accounts(client, settings, headers=lambda n: {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"})

    assert sign_in(client, "shop", staff, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 429
    assert sign_in(client, "shop", staff, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 302


# --- Rate limits ------------------------------------------------------------------------------------


def test_password_reset_sends_at_most_three_e_mails_an_hour_to_one_address(client, staff):
    answers = [client.post("/password-reset/", {"email": staff.email}).status_code for _attempt in range(10)]

    assert answers[:3] == [302, 302, 302]
    assert set(answers[3:]) == {429}
    assert len(mail.outbox) == 3
    page = html.unescape(client.post("/password-reset/", {"email": staff.email}).content.decode())
    assert TOO_MANY in page


def test_registration_is_limited_per_address(client):
    def register(n):
        data = {"email": f"khach{n}@example.vn", "password1": PASSWORD, "password2": PASSWORD}
        return client.post("/accounts/register/", data, REMOTE_ADDR="203.0.113.5")

    answers = [register(n).status_code for n in range(6)]

    assert answers[:5] == [302] * 5
    assert answers[5] == 429
    assert User.objects.filter(email__startswith="khach").count() == 5
    assert client.post("/accounts/register/", {}, REMOTE_ADDR="203.0.113.6").status_code == 200


def test_seller_applications_are_limited_to_three_a_day_per_address(client, settings):
    from shop.portal.tests.test_apply import application_post

    # The form with its errors is shown as often as needed: only accepted applications count.
    for _attempt in range(5):
        assert client.post("/producer/apply/", application_post(phone="12")).status_code == 200
    answers = [
        client.post("/producer/apply/", application_post(email=f"htx{n}@example.vn")).status_code for n in range(4)
    ]

    assert answers == [302, 302, 302, 429]
    assert ProducerApplication.objects.count() == 3


def test_reviews_are_limited_per_address(client, staff):
    product = make_certified_product()
    client.force_login(staff)
    url = f"/catalogue/{product.slug}_{product.pk}/reviews/add/"

    answers = [client.post(url, {"title": "Ngon", "score": 5, "body": "Rất ngon"}).status_code for _n in range(11)]

    assert 429 not in answers[:10]
    assert answers[10] == 429
