"""The 400, 403, 404 and 500 handlers: branded pages that render with no database.

It runs when something already went wrong, often the database itself, so the
page gets no request context (no context processors, no basket, no menu from the
database), exactly like Django's own handler. Its look lives in ``500.html``;
if even that fails to render, a plain inline page still answers.
"""

import logging

from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("shop.errors")


def _fallback(title: str, message: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>Chợ OCOP Quảng Nam</h1><p>{title}</p><p>{message}</p>"
        '<p><a href="/">Trang chủ</a></p></body></html>'
    )


def _render(template_name: str, request, title: str, message: str) -> str:
    try:
        return loader.get_template(template_name).render({"request_path": request.path})
    except Exception:
        logger.exception("The error page %s failed to render; answering with the plain page", template_name)
        return _fallback(title, message)


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    title = _("The shop is having a problem")
    message = _("Please try again in a few minutes. Your basket is kept.")
    return HttpResponseServerError(_render(template_name, request, title, message))


@requires_csrf_token
def bad_request(request, exception=None, template_name: str = "400.html"):
    title = _("The shop could not understand this request")
    message = _("The address or the form sent too much at once. Go back and try again with less.")
    return HttpResponseBadRequest(_render(template_name, request, title, message))


def page_not_found(request, exception=None, template_name: str = "404.html"):
    title = _("This page does not exist")
    message = _("Search for it or start from the home page.")
    return HttpResponseNotFound(_render(template_name, request, title, message))


@requires_csrf_token
def permission_denied(request, exception=None, template_name: str = "403.html"):
    title = _("Access denied")
    message = _("Sign in with another account, or go back to the shop.")
    return HttpResponseForbidden(_render(template_name, request, title, message))
