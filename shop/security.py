"""Who is asking: the client address and the account name that login throttling and rate limits count by."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The visitor's address.

    Behind the TLS-terminating proxy (``TLS_PROXY=true``) every request comes from
    the proxy, so the address is the last one the proxy appended to
    X-Forwarded-For; without that switch the header is the client's to forge and
    is ignored.
    """
    if settings.TLS_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR") or None  # None: a request made in code (force_login, a command)


def login_name(request, credentials) -> str:
    """The account a login attempt is for, as the e-mail back-end matches it: "An@Example.vn " is an@example.vn."""
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("email") or ""
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("username") or request.POST.get("login-username") or ""
    return name.strip().lower()


def too_many_attempts(request, message: str, *, retry_after: int):
    response = render(request, "429.html", {"message": message, "minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer: the same page for the shop, the CMS and the Django admin."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed sign-ins for this account or from this address. "
        "Sign-in is locked for %(minutes)s minutes; you can reset your password meanwhile."
    ) % {"minutes": minutes}
    return too_many_attempts(request, message, retry_after=int(settings.AXES_COOLOFF_TIME.total_seconds()))


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, skipped for sign-ins made in code without a request.

    Oscar signs a new customer in right after registration with
    ``authenticate(username=..., password=...)`` and no request; every login page passes one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
