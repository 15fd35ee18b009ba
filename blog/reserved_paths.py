"""The first path segments Inkwell's own routes use, which no page may take.

A page answers at `/<slug>/` through a catch-all route placed after every
other one, so a page whose slug starts another route would never be shown,
or worse, would take over that route's address on a site that later drops
it. The segments are read from the URLconf, so a new route is covered by
itself; the fixed list adds the ones that are not always routes (static and
media files are served outside Django in production) and the ones issue 11
names for routes still to come (search).
"""

import re

from django.conf import settings
from django.urls import URLResolver, get_resolver

ALWAYS_RESERVED = frozenset(
    {
        "admin",
        "archive",
        "favicon.ico",
        "feed",
        "markdownx",
        "media",
        "page",
        "posts",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
        "tags",
    }
)

# The literal start of a route or of a regex route (`^media/(?P<path>.*)$`).
_LITERAL_START = re.compile(r"\^?((?:[-\w.]|\\\.)+)(?:/|\$|$)")


def reserved_first_segments(urlconf=None):
    """Return the first path segments that belong to Inkwell's own routes."""
    segments = set(ALWAYS_RESERVED)
    segments.update(_route_first_segments(get_resolver(urlconf).url_patterns))
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        # A URL on another host (a CDN) takes nothing from this site.
        if url and "://" not in url:
            segments.add(url.strip("/").split("/", 1)[0])
    segments.discard("")
    return frozenset(segments)


def is_reserved(slug, urlconf=None):
    """Return whether a top-level page with this slug would shadow a route.

    Letter case is ignored: /Tags/ would not shadow /tags/, but readers
    would take one for the other.
    """
    reserved = {segment.casefold() for segment in reserved_first_segments(urlconf)}
    return slug.casefold() in reserved


def _route_first_segments(patterns):
    for pattern in patterns:
        route = str(pattern.pattern)
        if route in ("", "^") and isinstance(pattern, URLResolver):
            # An include() at the root: its own routes start the path.
            yield from _route_first_segments(pattern.url_patterns)
            continue
        match = _LITERAL_START.match(route)
        if match:
            yield match.group(1).replace("\\.", ".")
