"""Builders for editorial pages: each is added under its section, published."""

import datetime

from django.utils import timezone

from cms.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage


def publish_under(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_news(*, title: str, date: datetime.date | None = None, **fields) -> NewsPage:
    fields.setdefault("summary", f"Tóm tắt: {title}")
    page = NewsPage(title=title, date=date or timezone.localdate(), **fields)
    return publish_under(NewsIndexPage.objects.get(), page)


def make_event(*, title: str, starts_in_days: int = 10, days: int = 3, producers=(), **fields) -> EventPage:
    starts_at = timezone.now() + datetime.timedelta(days=starts_in_days)
    fields.setdefault("summary", f"Tóm tắt: {title}")
    fields.setdefault("venue", "Công viên 29/3, Đà Nẵng")
    page = EventPage(title=title, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(days=days), **fields)
    page = publish_under(EventIndexPage.objects.get(), page)
    if producers:
        page.producers.set(producers)
        page.save_revision().publish()
    return page


def make_campaign(
    *,
    title: str = "Tết OCOP",
    products=(),
    percent: int | None = 10,
    starts_in: datetime.timedelta = datetime.timedelta(days=-1),
    lasts: datetime.timedelta = datetime.timedelta(days=14),
    publish: bool = True,
    **fields,
):
    """A campaign with one hand-picked product list; published unless asked not to (which syncs its offer)."""
    from decimal import Decimal

    from cms.models import CampaignIndexPage, CampaignPage

    starts_at = timezone.now() + starts_in
    if percent is not None:
        fields.setdefault("discount_kind", "percentage")
        fields.setdefault("discount_value", Decimal(percent))
    fields.setdefault("summary", f"Tóm tắt: {title}")
    products_block = {"title": "Sản phẩm khuyến mãi", "title_en": "", "products": list(products)}
    body = ([("products", products_block)] if products else []) + list(fields.pop("body", []))
    page = CampaignPage(title=title, starts_at=starts_at, ends_at=starts_at + lasts, body=body, **fields)
    CampaignIndexPage.objects.get().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def rule_block(*, limit: int = 12, **rule) -> tuple:
    """A "products chosen by rule" block: ``group``, ``district``, ``min_stars``, ``producer`` (primary keys)."""
    value = {"title": "Theo tiêu chí", "title_en": "", "limit_count": limit}
    value.update({name: str(getattr(choice, "pk", choice)) for name, choice in rule.items()})
    return ("product_rule", value)


def place_order(*items, user=None, email: str = "khach@example.vn", placed_at=None):
    """A placed order of (product, quantity) pairs, with the running offers applied as at checkout."""
    from oscar.core.loading import get_class, get_model
    from oscar.test.factories import create_order

    Basket = get_model("basket", "Basket")
    Country = get_model("address", "Country")
    ShippingAddress = get_model("order", "ShippingAddress")
    Order = get_model("order", "Order")

    basket = Basket.objects.create(owner=user)
    basket.strategy = get_class("partner.strategy", "Selector")().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    get_class("offer.applicator", "Applicator")().apply(basket, user)
    country, _created = Country.objects.get_or_create(
        iso_3166_1_a2="VN", defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704", "name": "Việt Nam"}
    )
    address = ShippingAddress.objects.create(
        first_name="Lan", line1="12 Trần Phú", line4="Hội An", state="Đà Nẵng", country=country
    )
    order = create_order(basket=basket, user=user, shipping_address=address, guest_email="" if user else email)
    if placed_at is not None:
        Order.objects.filter(pk=order.pk).update(date_placed=placed_at)
        order.refresh_from_db()
    return order
