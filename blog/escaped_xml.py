"""Long texts (a feed's posts) made XML-safe and escaped for an element's
content, kept in Django's cache by their digest.

A feed carries each post twice (summary and content), about 1 MB of HTML
for 20 long posts; escaping it for XML and dropping what XML cannot hold
took most of an uncached feed's time (some 35 ms). The key is a digest of
the text itself, so a kept copy is exact by construction: an edited or
re-rendered post is a new text, hence a new key, whatever wrote it.
"""

import hashlib
from xml.sax.saxutils import escape

from django.core.cache import cache

from blog.control_characters import xml_safe

# Unused copies only take room; the cache drops them first when full.
KEPT_SECONDS = 7 * 24 * 60 * 60


def escaped_many(texts):
    """Return each of `texts` as XML element content: without what XML
    cannot hold, with &, < and > escaped (as the feed generator would).
    """
    keys = [_key(text) for text in texts]
    kept = cache.get_many(set(keys))
    made = {
        key: escape(xml_safe(text))
        for key, text in zip(keys, texts, strict=True)
        if key not in kept
    }
    if made:
        cache.set_many(made, KEPT_SECONDS)
    return [kept[key] if key in kept else made[key] for key in keys]


def _key(text):
    digest = hashlib.sha256(text.encode(), usedforsecurity=False).hexdigest()
    return f"blog:escaped-xml:{digest}"
