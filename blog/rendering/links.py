"""Every URL rewrite: relative links, fragment links, external rel, and
absolute URLs for feeds, meta tags, the sitemap and JSON-LD.

Stored HTML is shown on the post page, the index and tag pages, so relative
URLs (`pic.png`) are resolved against the post's own address when it is
rendered. An excerpt's link to an id it lacks (a footnote defined after the
cut) goes to the post page. A feed reader shows the HTML away from the site,
so the feed copy has every href and src absolute. These run on the
sanitizer's token stream, after it: the rel they add is ours, never the
author's.
"""

import re
from functools import lru_cache
from urllib.parse import urljoin

EXTERNAL_REL = "noopener noreferrer"
IMAGE_PROTOCOLS = frozenset({"http", "https"})
URL_ATTRIBUTES = ((None, "href"), (None, "src"))

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# Browsers ignore these characters inside a URL's scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
_TAG_TOKENS = frozenset({"StartTag", "EmptyTag"})


def absolute_url(path, site_url=None):
    """Return the public address of a site path, from `site_url` (by
    default settings.SITE_URL).
    """
    if site_url is None:
        from django.conf import settings

        site_url = settings.SITE_URL
    return _joined(site_url, path)


@lru_cache(maxsize=4096)
def _joined(site_url, path):
    # A feed asks for each of its posts' addresses on every request.
    return urljoin(site_url.rstrip("/") + "/", path)


def _as_browsers_read(url):
    # Browsers drop these characters and read `\` as `/` in http(s) URLs,
    # so `/\evil.example/` goes to another host, like `//evil.example/`.
    return _IGNORED_IN_URL.sub("", url).replace("\\", "/")


def url_scheme(url):
    """Return a URL's scheme in lower case, or "" for a relative URL."""
    match = _SCHEME.match(_as_browsers_read(url))
    return match.group(1).lower() if match else ""


def is_external(url):
    """Return whether a link leaves the site (absolute http(s) URLs)."""
    compact = _as_browsers_read(url)
    return url_scheme(compact) in {"http", "https"} or compact.startswith("//")


def is_document_relative(url):
    """Return whether `url` depends on the page showing it (`pic.png`).

    Root-relative (`/a`), protocol-relative (`//host`), fragment-only and
    absolute URLs do not.
    """
    compact = _as_browsers_read(url)
    return bool(compact) and not url_scheme(compact) and compact[0] not in "/#"


def site_links(tokens, *, post_url, links_out_of_document=False):
    """Return sanitized tokens with their links made right for the site.

    Relative URLs are resolved against `post_url` (when given), external
    links get EXTERNAL_REL, and with `links_out_of_document` (an excerpt),
    links to ids the tokens lack go to the post page.
    """
    ids = _ids(tokens) if links_out_of_document and post_url else None
    return [_site_link(token, post_url, ids) for token in tokens]


def _site_link(token, post_url, ids):
    if token["type"] not in _TAG_TOKENS or not _has_url(token):
        return token
    attrs = dict(token["data"])
    for name in URL_ATTRIBUTES:
        url = attrs.get(name)
        if url is None or not post_url:
            continue
        if is_document_relative(url):
            attrs[name] = urljoin(post_url, url.strip())
        elif ids is not None and url.startswith("#") and url[1:] not in ids:
            attrs[name] = post_url + url
    if token["name"] == "a" and is_external(attrs.get((None, "href"), "")):
        attrs[(None, "rel")] = EXTERNAL_REL
    return {**token, "data": attrs}


def _has_url(token):
    return any(name in token["data"] for name in URL_ATTRIBUTES)


def _ids(tokens):
    return {
        token["data"][(None, "id")]
        for token in tokens
        if token["type"] in _TAG_TOKENS and (None, "id") in token["data"]
    }


def absolute_links(tokens, base_url):
    """Return tokens with every href and src resolved against `base_url`, as
    a browser on that page would; URLs with a scheme are left as they are.
    """
    return [_absolute_link(token, base_url) for token in tokens]


def _absolute_link(token, base_url):
    if token["type"] not in _TAG_TOKENS:
        return token
    if not _has_url(token):
        return token
    attrs = dict(token["data"])
    for name in URL_ATTRIBUTES:
        if name in attrs:
            attrs[name] = urljoin(base_url, attrs[name].strip())
    return {**token, "data": attrs}
