"""A WordPress export, once read: plain, frozen dataclasses.

blog/importers/wxr.py makes them from a WXR file; nothing here reads files
or touches the database.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

# WordPress status -> Inkwell state. Statuses not listed (trash, inherit,
# auto-draft) are not imported as posts or pages.
STATUS_STATES = {
    "publish": "published",
    "future": "scheduled",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}


@dataclass(frozen=True)
class Site:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    language: str = ""


@dataclass(frozen=True)
class Author:
    login: str
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass(frozen=True)
class Term:
    """A tag, category or other term, from the export's list of terms."""

    taxonomy: str  # "post_tag", "category", "nav_menu", ...
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass(frozen=True)
class ItemTerm:
    """A term an item carries: `<category domain="post_tag" nicename=...>`."""

    taxonomy: str
    slug: str
    name: str


@dataclass(frozen=True)
class Item:
    """One `<item>`: a post, page, attachment, menu item, revision..."""

    wp_id: int
    post_type: str
    status: str
    title: str = ""
    slug: str = ""  # wp:post_name, percent-decoded
    link: str = ""
    guid: str = ""
    author_login: str = ""
    published_at: datetime | None = None  # aware, UTC
    modified_at: datetime | None = None  # aware, UTC
    local_date: datetime | None = None  # wp:post_date, the site's wall time
    is_date_local: bool = False  # published_at came from the local date
    parent_id: int = 0
    menu_order: int = 0
    is_sticky: bool = False
    password: str = ""  # a published post only readers with it could see
    content: str = ""
    excerpt: str = ""
    terms: tuple[ItemTerm, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    attachment_url: str = ""
    comment_count: int = 0

    @property
    def state(self):
        """Return Inkwell's state for this status, or None: not imported."""
        return STATUS_STATES.get(self.status)

    @property
    def tags(self):
        return [term.name for term in self.terms if term.taxonomy == "post_tag"]

    @property
    def categories(self):
        return [term.name for term in self.terms if term.taxonomy == "category"]

    @property
    def link_path(self):
        """Return `<link>` without its host: the old address on its site.

        With plain permalinks that is `/?p=123`, query included.
        """
        parts = urlsplit(self.link)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def meta_value(self, key, default=""):
        """Return the first value of a post meta key, or `default`."""
        return next((value for name, value in self.meta if name == key), default)

    @property
    def footnotes(self):
        """Return WordPress 6.3+ core footnotes: [{"id": ..., "content": ...}]."""
        raw = self.meta_value("footnotes")
        try:
            notes = json.loads(raw) if raw else []
        except ValueError:
            return []
        if not isinstance(notes, list):
            return []
        return [note for note in notes if isinstance(note, dict) and "id" in note]

    @property
    def attached_file(self):
        """Return an attachment's path under wp-content/uploads, or ""."""
        return self.meta_value("_wp_attached_file")

    @property
    def alt_text(self):
        """Return an image attachment's alternative text, or ""."""
        return self.meta_value("_wp_attachment_image_alt")


@dataclass(frozen=True)
class Export:
    site: Site
    authors: tuple[Author, ...] = ()
    terms: tuple[Term, ...] = ()
    items: tuple[Item, ...] = field(default=(), repr=False)

    def of_type(self, post_type):
        return [item for item in self.items if item.post_type == post_type]

    def counts(self):
        """Return how many items there are, by (post type, status)."""
        return Counter((item.post_type, item.status) for item in self.items)

    def sticky_posts(self):
        """Return the sticky posts as WordPress shows them: newest first."""
        sticky = [item for item in self.of_type("post") if item.is_sticky]
        return sorted(sticky, key=_newest_first)


def _newest_first(item):
    published = item.published_at or datetime.min.replace(tzinfo=UTC)
    return (-published.timestamp(), -item.wp_id)
