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
