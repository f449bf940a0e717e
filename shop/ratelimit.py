"""Rate limits on the forms a robot would post in bulk: password reset, registration, seller
applications and reviews. (Sign-in has its own lockout: django-axes.)

Only accepted submissions count (the view redirects): a visitor correcting a form's
errors is never held back. Counts live in the cache, in fixed windows. While the
cache is unreachable the limits do not apply (the shop keeps selling;
``shop.cache`` logs the outage).
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from shop.security import client_ip, too_many_attempts

logger = logging.getLogger("shop.security")

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int
    field: str = ""  # count by this posted value (lower-cased) instead of by address


@dataclass(frozen=True)
class Rule:
    name: str
    views: frozenset[str]
    limits: tuple[Limit, ...]
    only_if_posted: str = ""  # the view serves several forms: count only the one with this button


RULES = (
    Rule("password-reset", frozenset({"password-reset"}), (Limit(10, HOUR), Limit(3, HOUR, field="email"))),
    Rule("registration", frozenset({"customer:register", "account-register"}), (Limit(5, HOUR),)),
    Rule(
        "registration",
        frozenset({"customer:login", "account-login"}),
        (Limit(5, HOUR),),
        only_if_posted="registration_submit",
    ),
    Rule("seller-application", frozenset({"portal:apply"}), (Limit(3, DAY),)),
    Rule("review", frozenset({"catalogue:reviews-add"}), (Limit(10, HOUR),)),
)


def _rule_for(request) -> Rule | None:
    try:
        view_name = resolve(request.path_info).view_name
    except Resolver404:
        return None
    for rule in RULES:
        if view_name in rule.views and (not rule.only_if_posted or rule.only_if_posted in request.POST):
            return rule
    return None


def _windows(request, rule: Rule):
    """(key, limit, seconds left in its window) for each of the rule's limits that applies to ``request``."""
    now = int(time.time())
    for limit in rule.limits:
        who = (request.POST.get(limit.field) or "").strip().lower() if limit.field else client_ip(request)
        if who:
            window = now // limit.seconds
            key = f"ratelimit:{rule.name}:{limit.field or 'ip'}:{who}:{limit.seconds}:{window}"
            yield key, limit, (window + 1) * limit.seconds - now


def exceeded(request, rule: Rule) -> int:
    """Seconds until the rule lets ``request`` through again, or 0 to let it through now."""
    for key, limit, left in _windows(request, rule):
        if (cache.get(key) or 0) >= limit.count:
            return left
    return 0


def count(request, rule: Rule) -> None:
    for key, limit, _left in _windows(request, rule):
        cache.add(key, 0, limit.seconds)
        try:
            cache.incr(key)
        except ValueError:  # the cache cannot count right now: no limit meanwhile
            pass


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rule = _rule_for(request) if request.method == "POST" else None
        if rule is None:
            return self.get_response(request)
        retry_after = exceeded(request, rule)
        if retry_after:
            logger.warning("Rate limit %s reached by %s", rule.name, client_ip(request))
            message = _("You have sent this form too many times. Please try again in %(minutes)s minutes.") % {
                "minutes": max(1, retry_after // 60)
            }
            return too_many_attempts(request, message, retry_after=retry_after)
        response = self.get_response(request)
        if response.status_code in (301, 302, 303):  # accepted
            count(request, rule)
        return response
