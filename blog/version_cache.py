"""Small values every reader's page needs (the month counts, the featured
posts, the tags, a feed's validators), kept in Django's cache for the
current content version.

Every write readers could see bumps the version in its own transaction
(blog.content_version), and a scheduled post's time coming bumps it on the
first request that notices, so a value made at one version is exact for as
long as the version lasts: no write or passing time can change it without
a new version, hence a new key. Between writes a page asks the cache
instead of running these queries.
"""

from blog import content_version, page_cache, shared_cache

# A dead version's values are never read again; they only take room.
KEPT_SECONDS = 24 * 60 * 60


def kept(name, make):
    """Return make(), made once per content version and kept under `name`
    (which names everything the value depends on besides the version).
    """
    # The code's fingerprint too: app servers of a new deploy sharing one
    # Redis with the old ones must not read what the old code pickled.
    stamp = content_version.current().key
    key = f"blog:{name}:{page_cache.code_fingerprint()}:{stamp}"
    value = shared_cache.get(key)
    if value is None:
        value = make()
        shared_cache.set(key, value, KEPT_SECONDS)
    return value
