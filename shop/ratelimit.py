"""Rate limits on the forms a robot would post in bulk: password reset, registration, seller
applications and reviews. (Sign-in has its own lockout: django-axes.)

Counts live in the cache, in fixed windows. While the cache is unreachable the
limits do not apply (the shop keeps selling; ``shop.cache`` logs the outage).
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
    Rule("registration", frozenset({"customer:register"}), (Limit(5, HOUR),)),
    Rule("registration", frozenset({"customer:login"}), (Limit(5, HOUR),), only_if_posted="registration_submit"),
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


def _count(key: str, seconds: int) -> int:
    """This window's count after adding one; 0 when the cache cannot count (no limit then)."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:
        return 0


def exceeded(request, rule: Rule) -> int:
    """Seconds until the rule lets ``request`` through again, or 0 to let it through now."""
    now = int(time.time())
    for limit in rule.limits:
        who = (request.POST.get(limit.field) or "").strip().lower() if limit.field else client_ip(request)
        if not who:
            continue
        window = now // limit.seconds
        key = f"ratelimit:{rule.name}:{limit.field or 'ip'}:{who}:{limit.seconds}:{window}"
        if _count(key, limit.seconds) > limit.count:
            return (window + 1) * limit.seconds - now
    return 0


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            rule = _rule_for(request)
            retry_after = exceeded(request, rule) if rule else 0
            if retry_after:
                logger.warning("Rate limit %s reached by %s", rule.name, client_ip(request))
                message = _("You have sent this form too many times. Please try again in %(minutes)s minutes.") % {
                    "minutes": max(1, retry_after // 60)
                }
                return too_many_attempts(request, message, retry_after=retry_after)
        return self.get_response(request)
