"""Middleware of the project itself (not of a domain)."""

import logging

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError

from shop.errors import bad_request

logger = logging.getLogger("shop.security")

OVERSIZED = (TooManyFieldsSent, TooManyFilesSent, RequestDataTooBig, MultiPartParserError)


class RequestLimitsMiddleware:
    """Refuse a request over Django's upload limits with a plain 400 page, in any mode.

    Django parses the query string and body lazily and, with DEBUG on, answers a
    request over ``DATA_UPLOAD_MAX_NUMBER_FIELDS``/``_FILES`` with its debug page
    (and after the view has already run its queries). Parsing here, first, turns
    every such request into the same quick 400 the customer sees in production.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.GET  # noqa: B018  (parsing is the point)
            if request.method in ("POST", "PUT", "PATCH"):
                request.POST  # noqa: B018
                request.FILES  # noqa: B018
        except OVERSIZED as exc:
            logger.warning("Refused %s %s: %s", request.method, request.path, exc)
            return bad_request(request, exc)
        return self.get_response(request)
