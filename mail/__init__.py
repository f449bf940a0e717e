"""E-mail for the whole project: one way to render and send a message.

Every sender names a template pair, ``<template>_subject.txt`` and
``<template>_body.txt`` (plus ``<template>_body.html`` when it has one), and
passes its context to ``send_templated_mail``; the site's address and the shop's
name are added here. ``send_message`` is the one place that hands a message to
Django's mail backend (the sender address, the HTML alternative); Oscar's
communication dispatcher (order confirmations) sends through it too
(``shop.order.emails``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string


def site_url() -> str:
    return getattr(settings, "SITE_URL", "") or settings.WAGTAILADMIN_BASE_URL


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping: ``&`` stays ``&`` in a text e-mail."""
    return engines["text"].get_template(template_name).render(context)


def send_message(
    *, subject: str, body: str, recipients: Iterable[str], html: str = ""
) -> EmailMultiAlternatives | None:
    """Send one message to ``recipients`` (blank and repeated addresses dropped); None if nobody is left."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return None
    message = EmailMultiAlternatives(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return message


def send_templated_mail(*, template: str, context: dict, recipients: Iterable[str]) -> int:
    """Render ``<template>_subject.txt``, ``_body.txt`` (and ``_body.html`` if present) and send them.

    Returns the number of messages sent (0 when there is nobody to send to).
    """
    context = {"site_url": site_url(), "shop_name": settings.OSCAR_SHOP_NAME, **context}
    try:
        html = render_to_string(f"{template}_body.html", context)
    except TemplateDoesNotExist:
        html = ""
    message = send_message(
        subject=render_text(f"{template}_subject.txt", context),
        body=render_text(f"{template}_body.txt", context),
        html=html,
        recipients=recipients,
    )
    return 0 if message is None else 1
