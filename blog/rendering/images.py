"""The first image of a post, for sharing it (og:image).

Read from the sanitized, site-resolved token stream when the post is
rendered, so the URL is one a reader's browser would load.
"""

from blog.rendering.links import IMAGE_PROTOCOLS, url_scheme

_TAG_TOKENS = frozenset({"StartTag", "EmptyTag"})


def first_image_url(tokens):
    """Return the src of the first image in `tokens` that is site-relative
    (`/media/pic.png`) or http(s), or "" when there is none.
    """
    for token in tokens:
        if token["type"] not in _TAG_TOKENS or token["name"] != "img":
            continue
        src = token["data"].get((None, "src"), "").strip()
        if src.startswith("/") and not src.replace("\\", "/").startswith("//"):
            return src
        if url_scheme(src) in IMAGE_PROTOCOLS:
            return src
    return ""
