"""What a browser or feed reader would run, found in served HTML and feeds.

`executable_constructs(html)` parses a page as the test client got it and
returns one line per construct that could run script or load a document:
a script, an event-handler attribute, a javascript:, vbscript: or data: URL
in any attribute that takes a URL, an embedding element, `<base>`, a
refresh, a style sheet in content, `srcdoc`. The admin's own pages may load
the admin's scripts (from /static/ and its translation catalog) and hold
its forms; nothing else.
"""

import json
import re
from html.parser import HTMLParser

from defusedxml import ElementTree

URL_ATTRIBUTES = {
    "action", "archive", "background", "cite", "classid", "codebase", "data",
    "dynsrc", "formaction", "href", "icon", "longdesc", "lowsrc", "manifest",
    "ping", "poster", "profile", "src", "srcset", "usemap", "xlink:href",
    # SVG animation writes its values into another attribute (href).
    "from", "to", "values",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Never in a page, whatever its source.
EMBEDDING = {
    "applet", "base", "embed", "frame", "frameset", "iframe", "noembed",
    "noframes", "noscript", "object", "portal", "style", "template", "xmp",
}  # fmt: skip
# Only the admin's own pages may hold these.
FORMS = {"button", "form", "input", "isindex", "keygen", "select", "textarea"}
# The site's own search box (templates/base.html): a GET form to /search/
# with one search field and its button. One per page; any other form
# outside the admin, or a second one, is a finding.
SITE_SEARCH_FORM = {"class": "site-search", "action": "/search/", "method": "get"}
SITE_SEARCH_FIELDS = ({"type": "search", "name": "q"}, {"type": "submit"})
# Where the admin's own scripts come from.
ADMIN_SCRIPTS = ("/static/", "/admin/jsi18n/")
# Script types that hold data, not code.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# What a browser drops from a URL before reading its scheme.
URL_NOISE = re.compile(r"[\x00-\x20]")
STYLE_SCRIPT = re.compile(
    r"expression\s*\(|javascript:|behavior\s*:|-moz-binding", re.I
)


def executable_constructs(html, *, admin=False):
    """Return what in `html` could run script, one description each."""
    finder = ExecutableFinder(admin=admin)
    finder.feed(html)
    finder.close()
    return finder.found


def served_findings(client, urls, *, admin=False):
    """Return {url: what could run} for every URL whose answer (through the
    test client) has any, and fail on an answer other than 200.
    """
    findings = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        if "xml" in response["Content-Type"]:
            found = feed_executable_constructs(response.content)
        else:
            found = executable_constructs(content, admin=admin)
        if found:
            findings[url] = found
    return findings


def bad_url(value):
    """Return whether a URL attribute's value (entities decoded) has a
    scheme that runs script or makes a document.
    """
    candidates = value.split(",")  # srcset lists several
    for candidate in candidates:
        url = URL_NOISE.sub("", candidate).lower()
        if url.startswith(BAD_SCHEMES):
            return True
    return False


class ExecutableFinder(HTMLParser):
    def __init__(self, *, admin):
        super().__init__(convert_charrefs=True)
        self.admin = admin
        self.found = []
        self.data_script = None  # the text of a JSON script being read
        self.site_search = None  # the site search form's fields, while in it
        self.site_searches = 0

    def handle_starttag(self, tag, attrs):
        self.check_element(tag, dict(attrs))
        for name, value in attrs:
            self.check_attribute(tag, name, value or "")

    handle_startendtag = handle_starttag

    def check_element(self, tag, attrs):
        if tag in EMBEDDING:
            self.found.append(f"<{tag}> element")
        elif tag in FORMS and not self.admin and not self.is_site_search(tag, attrs):
            self.found.append(f"<{tag}> element outside the admin")
        elif tag == "meta" and attrs.get("http-equiv", "").lower() == "refresh":
            self.found.append("<meta http-equiv=refresh>")
        elif tag == "script":
            self.check_script(attrs)

    def is_site_search(self, tag, attrs):
        if tag == "form":
            if self.site_searches or not SITE_SEARCH_FORM.items() <= attrs.items():
                return False
            self.site_searches += 1
            self.site_search = list(SITE_SEARCH_FIELDS)
            return True
        fields = self.site_search or []
        expected = fields[0] if fields else None
        if (
            expected
            and tag in ("input", "button")
            and expected.items() <= attrs.items()
        ):
            fields.pop(0)
            return True
        return False

    def check_script(self, attrs):
        if attrs.get("type") in DATA_SCRIPT_TYPES and "src" not in attrs:
            self.data_script = []
        elif self.admin and (attrs.get("src") or "").startswith(ADMIN_SCRIPTS):
            return  # the admin's own script: its static files, its catalog
        else:
            self.found.append(f"<script> {attrs}")

    def check_attribute(self, tag, name, value):
        if name.startswith("on"):
            self.found.append(f"<{tag} {name}={value!r}>")
        elif name == "srcdoc":
            self.found.append(f"<{tag} srcdoc>")
        elif name in URL_ATTRIBUTES and bad_url(value):
            self.found.append(f"<{tag} {name}={value!r}>")
        elif name == "style" and STYLE_SCRIPT.search(value):
            self.found.append(f"<{tag} style={value!r}>")

    def handle_data(self, data):
        if self.data_script is not None:
            self.data_script.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.site_search = None
        if tag == "script" and self.data_script is not None:
            text, self.data_script = "".join(self.data_script), None
            try:
                json.loads(text)
            except ValueError:
                self.found.append(f"a data <script> that is not JSON: {text[:80]!r}")


# An item's elements whose text is HTML: RSS description and content:encoded,
# Atom summary and content. The feed's own title, description and subtitle,
# and every title, are text (the generator escapes them).
HTML_ELEMENTS = {"description", "encoded", "summary", "content"}
ITEMS = {"item", "entry"}


def feed_executable_constructs(xml):
    """Return what in a feed could run script in a reader: an element that
    is not RSS or Atom, a bad URL, or an executable construct in its HTML.
    """
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        return [f"the feed is not well-formed XML: {error}"]
    found = []
    html_elements = {
        element
        for item in root.iter()
        if local_name(item) in ITEMS
        for element in item
        if local_name(element) in HTML_ELEMENTS
    }
    for element in root.iter():
        name = local_name(element)
        if name in EMBEDDING or name == "script":
            found.append(f"<{name}> element in the feed")
        for attribute, value in element.attrib.items():
            if attribute in URL_ATTRIBUTES and bad_url(value):
                found.append(f"<{name} {attribute}={value!r}> in the feed")
        if element in html_elements and element.text:
            found += executable_constructs(element.text)
    return found


def local_name(element):
    return element.tag.rpartition("}")[2]
