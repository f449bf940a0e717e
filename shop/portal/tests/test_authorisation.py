"""The authorisation matrix of the producer portal: every URL, every kind of visitor.

Producer A must neither see nor change producer B's products, images,
certificates, order lines, sales or CSV exports; anonymous visitors are sent
to log in; customers (and staff, who are not producers) get 403; every POST
is CSRF-protected. ``MATRIX`` must list every URL of shop.portal.urls.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, reverse

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import make_user, pdf_bytes, producer_user, upload
from shop.order.tests.factories import place_order
from shop.portal import urls as portal_urls

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Entry:
    methods: tuple[str, ...]
    target: str | None = None  # "product", "certificate", "order" or "line": the object in the URL
    public: bool = False
    lists: bool = False  # shows the producer's own data: B's must not appear


MATRIX = {
    "apply": Entry(("GET", "POST"), public=True),
    "apply_sent": Entry(("GET",), public=True),
    "dashboard": Entry(("GET",), lists=True),
    "product_list": Entry(("GET",), lists=True),
    "product_create": Entry(("GET", "POST")),
    "product_export": Entry(("GET",), lists=True),
    "labels": Entry(("GET",), lists=True),
    "product_import": Entry(("GET", "POST")),
    "product_edit": Entry(("GET", "POST"), target="product"),
    "product_images": Entry(("GET", "POST"), target="product"),
    "certificate_create": Entry(("GET", "POST"), target="product"),
    "certificate_scan": Entry(("GET",), target="certificate"),
    "order_list": Entry(("GET",), lists=True),
    "order_detail": Entry(("GET",), target="order"),
    "order_ship": Entry(("POST",), target="order"),
    "line_confirm": Entry(("POST",), target="line"),
    "line_cancel": Entry(("POST",), target="line"),
    "sales": Entry(("GET",), lists=True),
    "sales_export": Entry(("GET",), lists=True),
}


def _portal_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            names.add(pattern.name)
        else:  # an include: walk it too
            names |= _portal_names(pattern.url_patterns)
    return names


def test_every_portal_url_is_in_the_matrix():
    assert _portal_names(portal_urls.urlpatterns) == set(MATRIX)


@pytest.fixture
def world():
    user_a, producer_a = producer_user("a@htx-a.vn")
    user_b, producer_b = producer_user("b@htx-b.vn")
    product_a = make_certified_product(producer=producer_a, title="Trà sâm A", stock=10)
    product_b = make_certified_product(producer=producer_b, title="Nước mắm B", stock=10)
    order_b = place_order(product_b, email="khach-b@example.vn")
    mixed = place_order(product_a, product_b, email="khach-chung@example.vn")
    line_b = order_b.lines.get()
    for product in (product_a, product_b):  # business documents: only the owner (and staff) may read them
        product.certificates.get().scan.save("quyet-dinh.pdf", ContentFile(pdf_bytes()))
    return {
        "a": user_a,
        "b": user_b,
        "producer_a": producer_a,
        "product_a": product_a,
        "product_b": product_b,
        "certificate_a": product_a.certificates.get(),
        "certificate_b": product_b.certificates.get(),
        "order_b": order_b,
        "mixed": mixed,
        "line_b": line_b,
        "mixed_line_b": mixed.lines.get(partner=producer_b.partner),
    }


def url_for(name: str, world, owner: str = "b") -> str:
    entry = MATRIX[name]
    if entry.target == "product":
        return reverse(f"portal:{name}", args=[world[f"product_{owner}"].pk])
    if entry.target == "certificate":
        return reverse(f"portal:{name}", args=[world[f"certificate_{owner}"].pk])
    if entry.target == "order":
        return reverse(f"portal:{name}", args=[world[f"order_{owner}"].number])
    if entry.target == "line":
        return reverse(f"portal:{name}", args=[world[f"line_{owner}"].pk])
    return reverse(f"portal:{name}")


def hostile_post_data() -> dict:
    return {
        "title": "Bị sửa trộm",
        "category": "",
        "price": "1000",
        "stock": "0",
        "tracking_number": "HACK",
        "lines": [],
        "reason": "trộm",
    }


PRIVATE = [name for name, entry in MATRIX.items() if not entry.public]
PRIVATE_CALLS = [(name, method) for name in PRIVATE for method in MATRIX[name].methods]


@pytest.mark.parametrize(("name", "method"), PRIVATE_CALLS)
def test_anonymous_visitor_is_sent_to_log_in(client, world, name, method):
    url = url_for(name, world)
    response = client.get(url) if method == "GET" else client.post(url, hostile_post_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("customer:login"))


@pytest.mark.parametrize(("name", "method"), PRIVATE_CALLS)
@pytest.mark.parametrize("who", ["customer", "staff"])
def test_user_who_is_not_a_producer_gets_403(client, world, name, method, who):
    client.force_login(make_user(f"{who}@example.vn", is_staff=who == "staff"))
    url = url_for(name, world)
    response = client.get(url) if method == "GET" else client.post(url, hostile_post_data())
    assert response.status_code == 403


OBJECT_CALLS = [(name, method) for name, method in PRIVATE_CALLS if MATRIX[name].target]


@pytest.mark.parametrize(("name", "method"), OBJECT_CALLS)
def test_producer_cannot_see_or_change_another_producers_object(client, world, name, method):
    client.force_login(world["a"])
    url = url_for(name, world, owner="b")
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, {**hostile_post_data(), "lines": [world["line_b"].pk]})
    assert response.status_code == 404
    world["product_b"].refresh_from_db()
    world["line_b"].refresh_from_db()
    assert world["product_b"].title == "Nước mắm B"
    assert world["product_b"].certificates.count() == 1
    assert world["line_b"].status == "pending" and world["line_b"].tracking_number == ""


def test_producer_cannot_act_on_another_producers_line_inside_a_shared_order(client, world):
    client.force_login(world["a"])
    line = world["mixed_line_b"]
    assert client.post(reverse("portal:line_confirm", args=[line.pk])).status_code == 404
    assert client.post(reverse("portal:line_cancel", args=[line.pk]), {"reason": "x"}).status_code == 404
    response = client.post(
        reverse("portal:order_ship", args=[world["mixed"].number]), {"lines": [line.pk], "tracking_number": "VN1"}
    )
    line.refresh_from_db()
    assert line.status == "pending" and line.tracking_number == ""
    assert response.status_code == 302  # the form refused a line that is not A's


def test_shared_order_shows_only_own_lines_and_delivery_details(client, world):
    client.force_login(world["a"])
    response = client.get(reverse("portal:order_detail", args=[world["mixed"].number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Trà sâm A" in body
    assert "Nước mắm B" not in body
    assert "Nguyễn Thị Lan" in body and "Hội An" in body
    assert "khach-chung@example.vn" not in body  # the customer's e-mail is not needed to deliver


@pytest.mark.parametrize("name", [name for name in PRIVATE if MATRIX[name].lists])
def test_lists_and_exports_show_only_own_data(client, world, name):
    client.force_login(world["a"])
    body = client.get(url_for(name, world)).content.decode("utf-8-sig")
    assert "Nước mắm B" not in body
    assert str(world["order_b"].number) not in body
    assert world["product_b"].stockrecords.get().partner_sku not in body


def test_sales_count_only_own_lines(client, world):
    client.force_login(world["a"])
    body = client.get(reverse("portal:sales_export")).content.decode("utf-8-sig")
    rows = body.strip().splitlines()
    assert len(rows) == 2 and "Trà sâm A" in rows[1]


POST_NAMES = [name for name, entry in MATRIX.items() if "POST" in entry.methods]


@pytest.mark.parametrize("name", POST_NAMES)
def test_every_post_needs_a_csrf_token(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["b"])
    response = client.post(url_for(name, world, owner="b"), {"reason": "x", "tracking_number": "VN1"})
    assert response.status_code == 403
    world["line_b"].refresh_from_db()
    assert world["line_b"].status == "pending"


def test_every_post_form_on_a_page_carries_a_csrf_token(client, world):
    client.force_login(world["b"])
    for name in ("product_create", "product_import", "product_edit", "product_images", "certificate_create"):
        body = client.get(url_for(name, world)).content.decode()
        assert body.count('method="post"') == body.count("csrfmiddlewaretoken"), name
    body = client.get(reverse("portal:order_detail", args=[world["order_b"].number])).content.decode()
    assert body.count('method="post"') == body.count("csrfmiddlewaretoken") > 0


def test_owner_gets_200_on_every_page(client, world):
    """The other side of the matrix: the rules do not lock the owner out."""
    client.force_login(world["b"])
    for name, entry in MATRIX.items():
        if "GET" in entry.methods:
            assert client.get(url_for(name, world, owner="b")).status_code == 200, name


def test_producer_reads_its_own_certificate_scan_but_not_another_producers(client, world):
    client.force_login(world["a"])
    own = client.get(url_for("certificate_scan", world, owner="a"))
    assert own.status_code == 200 and b"".join(own.streaming_content) == pdf_bytes()
    other = client.get(url_for("certificate_scan", world, owner="b"))
    assert other.status_code == 404 and pdf_bytes() not in other.content


def test_a_user_linked_to_two_producers_is_refused(client, world):
    world["producer_a"].partner.users.add(world["b"])
    client.force_login(world["b"])
    assert client.get(reverse("portal:dashboard")).status_code == 403


# --- The staff moderation queue -------------------------------------------------


def test_moderation_queue_is_for_staff_only(client, world):
    queue = reverse("moderation:queue")
    decide = reverse("moderation:decide", args=["product", world["product_b"].pk])
    assert client.get(queue)["Location"].startswith(reverse("customer:login"))
    assert client.post(decide, {"decision": "approved"})["Location"].startswith(reverse("customer:login"))
    client.force_login(world["a"])
    assert client.get(queue).status_code == 403
    assert client.post(decide, {"decision": "rejected", "reason": "x"}).status_code == 403
    world["product_b"].refresh_from_db()
    assert world["product_b"].moderation == "approved"


def test_scans_in_the_moderation_queue_are_for_staff_only(client, world):
    url = world["certificate_b"].scan.url
    assert url.startswith("/moderation/files/")
    assert client.get(url)["Location"].startswith(reverse("customer:login"))
    for user in (world["a"], world["b"], make_user("khach@example.vn")):  # even the owner: this is the staff view
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(make_user("staff@example.vn", is_staff=True))
    assert client.get(url).status_code == 200


def test_moderation_decision_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("staff@example.vn", is_staff=True))
    response = client.post(reverse("moderation:decide", args=["product", world["product_b"].pk]), {"decision": "x"})
    assert response.status_code == 403


def test_apply_form_is_public_and_csrf_protected(client, world):
    assert client.get(reverse("portal:apply")).status_code == 200
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("portal:apply"), {"producer_name": "X", "certificate_scan": upload()})
    assert response.status_code == 403
