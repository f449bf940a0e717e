"""The 500 handler: a branded page that renders with no database.

It runs when something already went wrong, often the database itself, so the
page gets no request context (no context processors, no basket, no menu from the
database), exactly like Django's own handler. Its look lives in ``500.html``;
if even that fails to render, a plain inline page still answers.
"""

import logging

from django.http import HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("shop.errors")


def _fallback() -> str:
    title = _("The shop is having a problem")
    message = _("Please try again in a few minutes. Your basket is kept.")
    return (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>Chợ OCOP Quảng Nam</h1><p>{title}</p><p>{message}</p>"
        '<p><a href="/">Trang chủ</a></p></body></html>'
    )


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    try:
        body = loader.get_template(template_name).render({"request_path": request.path})
    except Exception:
        logger.exception("The 500 page itself failed to render; answering with the plain page")
        body = _fallback()
    return HttpResponseServerError(body)
