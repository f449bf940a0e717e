"""Templated e-mail for the whole project: one way to render and send a message.

Every sender (catalogue decisions, certificate notices, order notices, ...) names a
template pair, ``<template>_subject.txt`` and ``<template>_body.txt``, and passes
its context; the site's address and the shop's name are added here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def site_url() -> str:
    return getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL


def send_templated_mail(*, template: str, context: dict, recipients: Iterable[str]) -> int:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` and send them."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return 0
    context = {"site_url": site_url(), "shop_name": settings.OSCAR_SHOP_NAME, **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
