"""The Redis cache (shop/cache.py) as the catalogue version's shared copy needs it."""

from django.core.cache import cache


def test_raise_to_never_lowers_a_number_so_racing_writers_cannot_undo_a_later_change(redis_cache):
    cache.raise_to("version", 5, 60)
    cache.raise_to("version", 3, 60)  # a writer that read its number before the other's change committed
    assert cache.get("version") == 5
    cache.raise_to("version", 6, 60)
    assert cache.get("version") == 6
    assert 0 < redis_cache.ttl(cache.make_key("version")) <= 60


def test_raise_to_does_nothing_while_redis_is_unreachable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_AFTER": 0},
        }
    }
    cache.raise_to("version", 5, 60)
    assert cache.get("version") is None
