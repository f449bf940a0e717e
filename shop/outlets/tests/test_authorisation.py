"""Who may open each sales point URL. ``MATRIX`` must list every URL of shop/outlets/urls.py.

A manager of point A must neither see nor change anything of point B (404),
registry pages are staff-only (403 for managers and customers), anonymous
visitors are sent to log in; the public pages are open to all.
"""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from catalog.tests.factories import make_certified_product
from outlets.models import StockMovement
from outlets.tests.factories import make_outlet, manager, stock_at
from shop.outlets import urls as outlet_urls

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Entry:
    methods: tuple[str, ...]
    point: bool = False  # the URL names a point
    access: str = "manager"  # "public", "manager" (of that point, or staff) or "staff"
    order: bool = False  # the URL names a collection order too


MATRIX = {
    "map": Entry(("GET",), access="public"),
    "detail": Entry(("GET",), point=True, access="public"),
    "manage": Entry(("GET",)),
    "counter": Entry(("GET", "POST"), point=True),
    "transfer": Entry(("GET", "POST"), point=True),
    "collections": Entry(("GET",), point=True),
    "collection_action": Entry(("POST",), point=True, order=True),
    "staff_list": Entry(("GET",), access="staff"),
    "create": Entry(("GET", "POST"), access="staff"),
    "edit": Entry(("GET", "POST"), point=True, access="staff"),
    "import": Entry(("GET", "POST"), access="staff"),
    "export": Entry(("GET",), access="staff"),
    "coverage": Entry(("GET",), access="staff"),
}


def test_every_outlets_url_is_in_the_matrix():
    assert {p.name for p in outlet_urls.urlpatterns} == set(MATRIX)


@pytest.fixture
def world():
    ana, bao = manager("ana@example.vn"), manager("bao@example.vn")
    point_a = make_outlet(name="Điểm A", managers=[ana])
    point_b = make_outlet(name="Điểm B", managers=[bao])
    tea = make_certified_product(title="Trà của B")
    stock_at(point_b, tea, 5)
    return {"ana": ana, "bao": bao, "a": point_a, "b": point_b, "tea": tea}


def _url(name, entry, point):
    kwargs = {"slug": point.slug} if entry.point else {}
    if entry.order:
        kwargs |= {"number": "100001", "action": "collected"}
    return reverse(f"outlets:{name}", kwargs=kwargs)


def _as(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


POST = {"code": "x", "kind": "sale", "quantity": "1", "target": "", "name": "X"}


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_manager_of_point_a_reaches_nothing_of_point_b(world, name):
    entry = MATRIX[name]
    client = _as(world["ana"])
    for method in entry.methods:
        response = getattr(client, method.lower())(_url(name, entry, world["b"]), POST if method == "POST" else None)
        if entry.access == "public":
            assert response.status_code == 200
        elif entry.access == "staff":
            assert response.status_code == 403
        elif entry.point:
            assert response.status_code == 404
        else:  # the manager's own list: B's point is not in it
            assert "Điểm B" not in response.content.decode()
    assert StockMovement.objects.filter(outlet=world["b"]).count() == 1  # only the fixture's receipt


@pytest.mark.parametrize("name", sorted(n for n, e in MATRIX.items() if e.access != "public"))
def test_anonymous_visitors_are_sent_to_log_in(world, name):
    entry = MATRIX[name]
    for method in entry.methods:
        response = getattr(Client(), method.lower())(_url(name, entry, world["a"]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", sorted(n for n, e in MATRIX.items() if e.access != "public" and "GET" in e.methods))
def test_a_manager_and_staff_reach_the_pages_meant_for_them(world, name, admin_user):
    entry = MATRIX[name]
    own = _as(world["ana"]).get(_url(name, entry, world["a"]))
    staff = _as(admin_user).get(_url(name, entry, world["b"]))
    assert own.status_code == (403 if entry.access == "staff" else (302 if name == "manage" else 200))
    assert staff.status_code == 200
