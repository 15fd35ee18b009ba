"""Django's cache as the reader's pages use it: a cache server that cannot
be reached (Redis down, restarting, or slower than its timeout) is a miss,
never a 500.

Everything Inkwell keeps in the cache is made again from the database on a
miss, under keys that hold the content version or a digest of the value's
source, so a page made without the cache is the same page, only slower.
After a failure the cache is left alone for a few seconds, so that a dead
server costs each request nothing but its own work rather than a wait per
cache call; each failure is logged as a warning, at most once a minute per
process.
"""

import logging
import time

from django.core.cache import cache

try:
    from redis.exceptions import RedisError
except ImportError:  # no Redis client: only local caches
    RedisError = OSError

logger = logging.getLogger(__name__)

# What a cache server's client raises when the server is away or slow.
SERVER_ERRORS = (RedisError, OSError)
# How long the cache is left alone after a failure.
PAUSE_SECONDS = 5
# How often a process logs that the cache failed.
LOG_EVERY_SECONDS = 60

_paused_until = 0.0
_logged_at = None


def get(key):
    """Return cache.get(key), or None when the cache cannot answer."""
    return _asked(cache.get, key, missing=None)


def get_many(keys):
    """Return cache.get_many(keys), or {} when the cache cannot answer."""
    return _asked(cache.get_many, keys, missing={})


def set(key, value, timeout):  # noqa: A001 - the cache's own name for it
    """Keep `value` under `key`, unless the cache cannot take it."""
    _asked(cache.set, key, value, timeout)


def set_many(values, timeout):
    """Keep each of `values` (a dict), unless the cache cannot take them."""
    _asked(cache.set_many, values, timeout)


def _asked(call, *args, missing=None):
    """Return call(*args), or `missing` while the cache is paused or when
    it fails (which pauses it).
    """
    if _is_paused():
        return missing
    try:
        return call(*args)
    except SERVER_ERRORS as error:
        _failed(error)
        return missing


def resume():
    """Use the cache again at once (tests; a cache just restarted)."""
    global _paused_until, _logged_at
    _paused_until, _logged_at = 0.0, None


def _is_paused():
    return _paused_until and time.monotonic() < _paused_until


def _failed(error):
    global _paused_until, _logged_at
    now = time.monotonic()
    _paused_until = now + PAUSE_SECONDS
    if _logged_at is None or now - _logged_at >= LOG_EVERY_SECONDS:
        _logged_at = now
        logger.warning(
            "The cache could not be reached (%s); pages are made without it "
            "for the next %d seconds, then it is tried again.",
            error,
            PAUSE_SECONDS,
        )
