"""The old addresses of an imported WordPress blog, and where each goes now.

Stored as django.contrib.redirects rows (see blog.old_addresses): each
post's and page's old path (whatever the permalink structure was) and its
`?p=ID` / `?page_id=ID` address; the tag and category archives with their
feeds; the date archives; the blog's feeds. Paths are stored as Django
compares them with a request's: percent-encoded, upper-case hex.
"""

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.urls import reverse
from django.utils.encoding import escape_uri_path

# django.contrib.redirects keeps paths in 200 characters.
MAX_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length
# An empty target answers 410 Gone: Inkwell has no comments feed.
GONE = ""


class OldAddresses:
    """Collect {old path: new path} for one export, then store them."""

    def __init__(self, site):
        # A blog installed under /blog had every address under it.
        self.prefix = urlsplit(site.base_blog_url).path.rstrip("/")
        self.paths = {}
        self.too_long = 0

    def add(self, old_path, new_path):
        old_path = normalized(old_path)
        if old_path == new_path or not old_path.startswith("/"):
            return
        if max(len(old_path), len(new_path)) > MAX_PATH_LENGTH:
            self.too_long += 1
            return
        self.paths[old_path] = new_path

    def add_item(self, item, new_path):
        """The old addresses of an imported post or page."""
        if item.link:
            self.add(item.link_path, new_path)
        parameter = "page_id" if item.post_type == "page" else "p"
        self.add(f"{self.prefix}/?{parameter}={item.wp_id}", new_path)

    def add_term(self, taxonomy_path, tag):
        """A tag or category archive (`/tag/c/`, `/category/a/b/`) and its
        feeds, for the tag it became.
        """
        old = f"{self.prefix}/{taxonomy_path}/"
        self.add(old, tag.get_absolute_url())
        self.add(f"{old}feed/", reverse("blog:tag_feed_rss", args=[tag.slug]))
        self.add(f"{old}feed/atom/", reverse("blog:tag_feed_atom", args=[tag.slug]))

    def add_dates(self, local_date):
        """The year, month and day archives a visible post was listed in;
        Inkwell has no day archives, so a day goes to its month.
        """
        year, month = local_date.year, local_date.month
        year_url = reverse("blog:archive_year", kwargs={"year": year})
        month_url = reverse("blog:archive_month", kwargs={"year": year, "month": month})
        self.add(f"{self.prefix}/{year:04d}/", year_url)
        self.add(f"{self.prefix}/{year:04d}/{month:02d}/", month_url)
        self.add(
            f"{self.prefix}/{year:04d}/{month:02d}/{local_date.day:02d}/", month_url
        )

    def add_site(self):
        """The blog's own front page and feeds."""
        rss, atom = reverse("blog:feed_rss"), reverse("blog:feed_atom")
        if self.prefix:
            self.add(f"{self.prefix}/", reverse("blog:index"))
        for feed in ("feed/", "feed/rss/", "feed/rss2/", "feed/rdf/"):
            self.add(f"{self.prefix}/{feed}", rss)
        self.add(f"{self.prefix}/feed/atom/", atom)
        self.add(f"{self.prefix}/comments/feed/", GONE)

    def save(self):
        """Create or update the rows; return how many were new or changed."""
        rows = Redirect.objects.filter(site_id=settings.SITE_ID)
        # All of them: an IN list of one per old address would pass
        # SQLite's limit on a query's parameters.
        existing = {row.old_path: row for row in rows}
        new, changed = [], []
        for old_path, new_path in self.paths.items():
            row = existing.get(old_path)
            if row is None:
                new.append(
                    Redirect(
                        site_id=settings.SITE_ID, old_path=old_path, new_path=new_path
                    )
                )
            elif row.new_path != new_path:
                row.new_path = new_path
                changed.append(row)
        Redirect.objects.bulk_create(new, batch_size=500)
        Redirect.objects.bulk_update(changed, ["new_path"], batch_size=500)
        return len(new) + len(changed)


def normalized(path):
    """Return a path (with its query) as a request's get_full_path() has it."""
    path, _, query = path.partition("?")
    path = escape_uri_path(unquote(path)) or "/"
    return f"{path}?{query}" if query else path
