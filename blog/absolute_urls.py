"""Absolute URLs, for HTML read away from the site (feed readers).

A feed reader shows a post's stored HTML outside the page it was written for,
so every href and src in it must carry the scheme and host: "#fn-12-1",
"/media/2026/11/x.png" and "x.png" all mean something only on the post page.
"""

import html
import re
from urllib.parse import urljoin

from django.conf import settings

# The stored HTML is bleach's serialization: "<" in text and in attribute
# values is always escaped, so a "<" followed by a letter opens a real tag,
# and a code sample showing `<a href="/x">` is text that never matches. Quoted
# values may hold ">", hence the attribute grammar instead of [^>]*.
TAG = re.compile(
    r"""<[a-zA-Z][^\s/>]*"""
    r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*"""
    r"""\s*/?>"""
)
ATTRIBUTE = re.compile(
    r"""(?P<name>\s+[^\s"'>/=]+)"""
    r"""(?:(?P<equals>\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
)
URL_ATTRIBUTES = {"href", "src"}


def absolute_url(path):
    """Return the public address of a site path, from settings.SITE_URL."""
    return urljoin(settings.SITE_URL + "/", path)


def absolutize_urls(fragment, base_url):
    """Return an HTML fragment with every href and src resolved against base_url.

    Fragment-only, root-relative and relative URLs become absolute as a
    browser would resolve them on the page at base_url; absolute, mailto: and
    other URLs with a scheme are left as they are.
    """

    def resolve_attribute(match):
        name, value = match["name"], match["value"]
        if value is None or name.strip().lower() not in URL_ATTRIBUTES:
            return match[0]
        url = html.unescape(value.strip("\"'")).strip()
        resolved = urljoin(base_url, url)
        if resolved == url:
            return match[0]
        return f'{name}{match["equals"]}"{html.escape(resolved)}"'

    def resolve_tag(match):
        return ATTRIBUTE.sub(resolve_attribute, match[0])

    return TAG.sub(resolve_tag, fragment)
