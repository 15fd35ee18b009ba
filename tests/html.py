"""The HTML parsing the page tests share: a page's links, ids and `#` links,
and the post titles of a list page.
"""

import html
import re
from html.parser import HTMLParser


class PageParser(HTMLParser):
    """Collect a page's links (`<a>` and `<link>`), its `<link>`s by rel,
    every id (repeats included) and every `#` link's fragment.
    """

    def __init__(self):
        super().__init__()
        self.links = []
        self.head_links = {}
        self.ids = []
        self.fragments = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        href = attrs.get("href")
        if href and href.startswith("#"):
            self.fragments.append(href[1:])
        if tag == "a" and href:
            self.links.append(href)
        if tag == "link" and attrs.get("rel") and href:
            self.head_links.setdefault(attrs["rel"], []).append(href)
            self.links.append(href)


def parse(response):
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def titles(response):
    """Return the post titles of a list page, in order."""
    found = re.findall(
        r'<h2 class="post-title"><a href="[^"]*">([^<]*)</a></h2>',
        response.content.decode(),
    )
    return [html.unescape(title) for title in found]
