"""Every URL of the URL map, in Vietnamese and in English: no English sentence of Oscar's, Django's or
Wagtail's on a Vietnamese page, and no page that breaks in either language.

Each pattern is reversed with ids from a small shop built here (a product, its producer and
certificate, orders of a customer and of a guest, a sales point, a wishlist, an address, an offer,
a voucher, a shipping method...) and fetched as the kind of user who uses it: the customer under
/accounts/ and /checkout/, the producer under /producer/, staff under /dashboard/ and the staff tools,
anyone elsewhere. A pattern that cannot be visited is listed in SKIPPED with the reason.
"""

import html
import re
from decimal import Decimal

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page

from catalog.tests.factories import make_certified_product
from catalog.tests.helpers import make_user, producer_user
from cms.demo import load_cms_demo
from outlets.tests.factories import make_outlet
from shop.checkout.tests.factories import basket_with, ensure_vietnam, submission
from shop.order import services

pytestmark = pytest.mark.django_db

# Sentences Oscar, Django and Wagtail print in English when a Vietnamese string is missing.
ENGLISH = (
    "Submit",
    "Oops",
    "Page 1 of",
    "Your basket",
    "Null characters",
    "Enter the following",
    "Add to basket",
    "Continue shopping",
    "Proceed to checkout",
    "Order history",
    "Sign in",
    "Log in",
    "Log out",
    "Forgotten your password",
    "Email address",
    "Return to site",
    "Dashboard",
    "Welcome",
    "No products found",
    "No results",
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Are you sure",
    "Save changes",
    "Show all",
    "Back to",
    "Offers, vouchers",
    "Status Changes",
    "You have no",
    "There are no",
    "Search results",
    "per page",
    "Product Alerts",
    "Read more",
    "Share wishlist",
    "Name, description and type",
    "Attached offers",
    "Number of vouchers",
    "Search engine optimisation",
    "Drag images to re-order",
    "QR code of this page",
    "Exclude from menu",
    "Update product prices",
    "Toggle navigation",
)
ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(phrase) for phrase in ENGLISH) + r")(?![\w-])")

# Patterns that cannot be visited, and why.
SKIPPED = {
    "django-admin/": "Django's own admin, a developer tool in English only",
    "cms-admin/": "Wagtail's admin: Wagtail's catalogue, checked by cms/tests for our labels",
    "^media/(?P<path>.*)$": "serves uploaded files, not pages",
    "documents/": "Wagtail document downloads, not pages",
    "_util/authenticate_with_password/": "Wagtail's password prompt for a restricted page; the demo has none",
    "i18n/": "the language switch redirects",
    "((?:[\\w\\-]+/)*)": "Wagtail's catch-all: each live page is visited by its own URL instead",
    "accounts/logout/": "signs the user out (a redirect)",
    "healthz/": "a JSON health probe for the load balancer",
    "password-reset/confirm/": "needs a token from an e-mail; the page is Django's form with our labels",
    "dashboard/logout/": "signs the user out",
    "dashboard/catalogue/^products/create/": "Oscar's product class picker redirects to it with a slug",
    "moderation/files/": "serves a private scan file, not a page",
    "moderation/<str:subject>/<int:pk>/decide/": "POST only (a staff decision)",
    "producer/lines/": "POST only (confirm or cancel a line)",
    "producer/orders/<str:number>/ship/": "POST only",
    "producer/certificates/<int:pk>/scan/": "serves the producer's certificate scan file",
    "checkout/stripe/": "Stripe's payment and refund endpoints talk to Stripe",
    "chung-nhan/du-lieu": "open data (CSV, JSON), not a page",
    "chung-nhan/schema.json": "open data schema, not a page",
    "qr.<str:fmt>": "QR code images",
    "dia-chi/": "JSON ward list for the address form",
    "export.csv": "a CSV file",
    "producer/products/labels/": "printable QR label sheet (PDF)",
    "dashboard/vouchers/sets/download/": "a CSV file",
    "accounts/wishlists/<str:key>/lines/": "a POST action on a wishlist line",
    "accounts/wishlists/<str:key>/products/": "a POST action on a wishlist line",
    "search/suggest": "JSON suggestions for the search box",
    "sitemap": "XML for search engines",
    "robots.txt": "plain text for crawlers",
    "feeds/": "RSS/Atom XML",
}

STAFF_PREFIXES = ("dashboard/", "moderation/", "sales-points/staff/", "sales-points/manage/", "chuong-trinh/")
STAFF_PATTERNS = ("/counter/", "/transfer/", "/collections/")
CUSTOMER_PREFIXES = ("accounts/", "checkout/", "basket/")

Range = get_model("offer", "Range")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Benefit = get_model("offer", "Benefit")
Condition = get_model("offer", "Condition")
Voucher = get_model("voucher", "Voucher")
VoucherSet = get_model("voucher", "VoucherSet")
WishList = get_model("wishlists", "WishList")
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")
ProductAlert = get_model("customer", "ProductAlert")
Notification = get_model("communication", "Notification")
Email = get_model("communication", "Email")
CommunicationEventType = get_model("communication", "CommunicationEventType")
ProductReview = get_model("reviews", "ProductReview")
WeightBased = get_model("shipping", "WeightBased")
OrderNote = get_model("order", "OrderNote")
AttributeOptionGroup = get_model("catalogue", "AttributeOptionGroup")
Option = get_model("catalogue", "Option")
Category = get_model("catalogue", "Category")


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def build_path(route: str, values: dict) -> str | None:
    """The route with its parameters filled from ``values``; None when one has no value."""
    missing = []

    def value(name: str) -> str:
        if name not in values:
            missing.append(name)
            return ""
        return str(values[name])

    path, start = "", 0
    while (found := route.find("(?P<", start)) != -1:  # a regex group: replace it up to its closing bracket
        depth, end = 0, found
        for end in range(found, len(route)):
            depth += {"(": 1, ")": -1}.get(route[end], 0) if route[end - 1] != "\\" else 0
            if depth == 0:
                break
        path += route[start:found] + value(route[found + 4 : route.index(">", found)])
        start = end + 1
    path += route[start:]
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: value(match.group(1)), path)
    path = path.replace("^", "").replace("$", "").replace("(/[\\w-]+)*", "")
    return None if missing else "/" + path


def visible_text(page: str) -> str:
    """The words a visitor reads or hears: text, and placeholder, title, aria-label and button values."""
    page = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    said = re.findall(r'(?:placeholder|title|aria-label|alt)="([^"]*)"', page)
    said += re.findall(r'<input[^>]*type="submit"[^>]*value="([^"]*)"', page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page) + " " + " ".join(said))


@pytest.fixture
def shop(django_user_model):
    """A small shop with one of everything a URL names, and the users who visit."""
    ensure_vietnam()
    product = make_certified_product(title="Nước mắm Cửa Đại")
    load_cms_demo()  # the home page, sections, a campaign, an event and news
    producer = product.producer
    certificate = product.certificates.first()
    seller, _ = producer_user("nongdan@example.vn", producer=producer)
    customer = make_user("khach@example.vn")
    staff = django_user_model.objects.create_superuser(username="canbo", email="canbo@example.vn", password="x-1-y")
    outlet = make_outlet(managers=[staff])

    order = services.place_order(**submission(basket_with((product, 1), owner=customer), user=customer))
    line = order.lines.first()
    guest_order = services.place_order(**submission(basket_with((product, 1))))
    note = OrderNote.objects.create(order=order, message="Gọi trước khi giao")

    address = UserAddress.objects.create(
        user=customer, first_name="Lan", line1="12 Trần Phú", line4="Hội An", country=Country.objects.first()
    )
    wishlist = WishList.objects.create(owner=customer, name="Quà Tết", visibility=WishList.PUBLIC)
    wishlist.add(product)
    alert = ProductAlert.objects.create(user=customer, product=product, key="khoa-thong-bao")
    notification = Notification.objects.create(recipient=customer, subject="Đơn hàng đã gửi")
    email = Email.objects.create(user=customer, email=customer.email, subject="Xác nhận", body_text="Cảm ơn")
    review = ProductReview.objects.create(product=product, user=customer, score=5, title="Ngon", body="Rất ngon")
    product_range = Range.objects.create(name="Quà Tết", slug="qua-tet", includes_all_products=True, is_public=True)
    condition = Condition.objects.create(range=product_range, type=Condition.COUNT, value=1)
    benefit = Benefit.objects.create(range=product_range, type=Benefit.PERCENTAGE, value=Decimal("10"))
    offer = ConditionalOffer.objects.create(
        name="Giảm 10%", slug="giam-10", offer_type=ConditionalOffer.SITE, condition=condition, benefit=benefit
    )
    voucher_set = VoucherSet.objects.create(
        name="Mã Tết", count=1, code_length=8, start_datetime=timezone.now(), end_datetime=timezone.now()
    )
    voucher = Voucher.objects.create(
        name="TET10", code="TET10", start_datetime=timezone.now(), end_datetime=timezone.now()
    )
    method = WeightBased.objects.create(name="Giao hàng tiết kiệm")
    band = method.bands.create(upper_limit=Decimal("5"), charge=Decimal("30000"))
    event_type = CommunicationEventType.objects.create(code="CHAO_MUNG", name="Chào mừng")
    option_group = AttributeOptionGroup.objects.create(name="Kích cỡ")
    option = Option.objects.create(name="Lời chúc")
    category = Category.objects.filter(depth=1).first()
    flatpage = FlatPage.objects.create(url="/gioi-thieu/", title="Giới thiệu", content="Chợ OCOP")
    flatpage.sites.add(Site.objects.get_current())

    values = {
        "pk": product.pk,
        "product_pk": product.pk,
        "product_slug": product.slug,
        "parent_pk": product.pk,
        "code": producer.partner.code,
        "slug": outlet.slug,
        "number": order.number,
        "order_number": order.number,
        "line_id": line.pk,
        "note_id": note.pk,
        "key": wishlist.key,
        "to_key": wishlist.key,
        "line_pk": wishlist.lines.first().pk,
        "email_id": email.pk,
        "user_pk": seller.pk,
        "partner_pk": producer.partner.pk,
        "method_pk": method.pk,
        "action": "default_for_shipping",
        "hash": guest_order.verification_hash(),
        "category_slug": category.slug if category else "",
        "parent": category.pk if category else 0,
    }
    # Some routes name a different object by "pk"; each gets its own id here.
    by_route = {
        "producer/certificates/": {"pk": certificate.pk},
        "chung-nhan/<int:pk>/": {"pk": certificate.pk},
        "catalogue/^category/": {"pk": category.pk if category else 0},
        "reviews/<int:pk>/": {"pk": review.pk},
        "accounts/addresses/": {"pk": address.pk},
        "accounts/notifications/": {"pk": notification.pk},
        "accounts/alerts/cancel/<int:pk>/": {"pk": alert.pk},
        "accounts/alerts/confirm/": {"key": alert.key},
        "accounts/alerts/cancel/key/": {"key": alert.key},
        "accounts/^order-status": {"order_number": guest_order.number},
        "accounts/^addresses/": {"pk": address.pk},
        "/collections/<str:number>/<slug:action>/": {"action": "ready"},
        "checkout/user-address/": {"pk": address.pk},
        "dashboard/catalogue/categories/": {"pk": category.pk if category else 0},
        "dashboard/catalogue/product-type/": {"pk": product.product_class_id},
        "dashboard/catalogue/attribute-option-group/": {"pk": option_group.pk},
        "dashboard/catalogue/option/": {"pk": option.pk},
        "dashboard/users/^alerts/": {"pk": alert.pk},
        "dashboard/users/": {"pk": customer.pk},
        "dashboard/partners/<int:pk>/": {"pk": producer.partner.pk},
        "dashboard/offers/": {"pk": offer.pk},
        "dashboard/pages/": {"pk": flatpage.pk},
        "dashboard/ranges/": {"pk": product_range.pk},
        "dashboard/reviews/": {"pk": review.pk},
        "dashboard/vouchers/sets/": {"pk": voucher_set.pk},
        "dashboard/vouchers/": {"pk": voucher.pk},
        "dashboard/comms/": {"slug": event_type.code},
        "dashboard/shipping/weight-based/<int:method_pk>/bands/": {"pk": band.pk},
        "dashboard/shipping/weight-based/": {"pk": method.pk},
        "catalogue/^ranges/": {"slug": product_range.slug},
        "offers/": {"slug": offer.slug},
        "basket/vouchers/": {"pk": voucher.pk},
        "customer:anon": {},
    }
    return {
        "values": values,
        "by_route": by_route,
        "users": {"customer": customer, "producer": seller, "staff": staff, None: None},
    }


def visitor(route: str) -> str | None:
    if route.startswith(STAFF_PREFIXES) or (
        route.startswith("sales-points/") and any(p in route for p in STAFF_PATTERNS)
    ):
        return "staff"
    if route.startswith("producer/") and not route.startswith("producer/apply"):
        return "producer"
    if route.startswith(CUSTOMER_PREFIXES) and "order-status" not in route:
        return "customer"
    return None


def planned_visits(shop) -> tuple[list[tuple[str, str, str | None]], list[str]]:
    visits, unfilled = [], []
    for route in dict.fromkeys(walk(get_resolver().url_patterns)):
        if any(marker in route for marker in SKIPPED):
            continue
        values = dict(shop["values"])
        for marker, override in shop["by_route"].items():
            if marker in route:
                values.update(override)
                break
        path = build_path(route, values)
        if path is None:
            unfilled.append(route)
            continue
        visits.append((route, path, visitor(route)))
    visits += [("wagtail", page.url, None) for page in Page.objects.live().filter(depth__gt=1).specific()]
    return visits, unfilled


@pytest.mark.slow
def test_every_url_speaks_vietnamese_and_works_in_english(client, shop):
    visits, unfilled = planned_visits(shop)
    assert not unfilled, f"routes with a parameter the sweep cannot fill (fill it or list it in SKIPPED): {unfilled}"
    english_on_vietnamese, broken = [], []
    client.raise_request_exception = False  # list every broken page, not only the first
    # All Vietnamese visits first: a message queued by an English visit would otherwise show on the next page.
    for language in ("vi", "en"):
        current = "nobody"
        for _route, path, role in sorted(visits, key=lambda visit: str(visit[2])):
            if role != current:
                client.logout()
                if shop["users"][role] is not None:
                    client.force_login(shop["users"][role])
                current = role
            client.cookies["django_language"] = language
            response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code >= 500:
                broken.append(f"{response.status_code} {language} {path}")
                continue
            if language == "vi" and response.get("Content-Type", "").startswith("text/html"):
                found = sorted(set(ENGLISH_RE.findall(visible_text(response.content.decode()))))
                if found:
                    english_on_vietnamese.append(f"{path} ({role or 'anyone'}): {', '.join(found)}")

    assert not broken, "pages that break:\n" + "\n".join(broken)
    assert not english_on_vietnamese, "English on Vietnamese pages:\n" + "\n".join(english_on_vietnamese)
