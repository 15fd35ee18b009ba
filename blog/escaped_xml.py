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

from blog import shared_cache
from blog.control_characters import xml_safe

# Unused copies only take room; the cache drops them first when full.
KEPT_SECONDS = 7 * 24 * 60 * 60


def escaped_many(texts):
    """Return each of `texts` as XML element content: without what XML
    cannot hold, with &, < and > escaped (as the feed generator would).
    """
    # A post without an excerpt has its whole text as the summary too:
    # each distinct text is digested, read and escaped once.
    keys = {}
    for text in texts:
        if text not in keys:
            keys[text] = _key(text)
    kept = shared_cache.get_many(keys.values())
    made = {
        key: escape(xml_safe(text)) for text, key in keys.items() if key not in kept
    }
    if made:
        shared_cache.set_many(made, KEPT_SECONDS)
    escaped = kept | made
    return [escaped[keys[text]] for text in texts]


def _key(text):
    digest = hashlib.sha256(text.encode(), usedforsecurity=False).hexdigest()
    return f"blog:escaped-xml:{digest}"
