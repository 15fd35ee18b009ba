from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from blog.models import Page, Post, Tag
from blog.rendering import absolute_url


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with SITE_URL (absolute_url).

    The request's own host may be an internal name behind the proxy; the
    public address is the one search engines should index.
    """

    def get_protocol(self, protocol=None):
        return urlsplit(absolute_url("/")).scheme

    def get_domain(self, site=None):
        return urlsplit(absolute_url("/")).netloc


class PostSitemap(SiteSitemap):
    def items(self):
        return Post.objects.published().only("slug", "updated_at")

    def lastmod(self, post):
        return post.updated_at


class TagSitemap(SiteSitemap):
    def items(self):
        return Tag.objects.with_visible_posts()

    def lastmod(self, tag):
        return tag.last_modified_at


class ArchiveSitemap(SiteSitemap):
    """The year and month archive pages."""

    def items(self):
        # ((year, month or None), last modified), from one query.
        items = {}
        for row in Post.objects.published().archive_months():
            modified_at, start = row["last_modified_at"], row["month"]
            items[start.year, start.month] = modified_at
            year_modified_at = items.get((start.year, None), modified_at)
            items[start.year, None] = max(year_modified_at, modified_at)
        return list(items.items())

    def location(self, item):
        (year, month), _modified_at = item
        if month is None:
            return reverse("blog:archive_year", kwargs={"year": year})
        return reverse("blog:archive_month", kwargs={"year": year, "month": month})

    def lastmod(self, item):
        return item[1]


class PageSitemap(SiteSitemap):
    """The index, the tag list and the archive: they change with any post."""

    def items(self):
        modified_at = Post.objects.published().aggregate(at=Max("updated_at"))["at"]
        return [
            (name, modified_at)
            for name in ("blog:index", "blog:tag_list", "blog:archive")
        ]

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "pages": PageSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "archives": ArchiveSitemap,
}


class StandalonePageSitemap(SiteSitemap):
    """The published standalone pages (About, Now), at their own addresses.

    Not `PageSitemap`, which lists the index, tags and archive pages.
    """

    def items(self):
        return Page.objects.published().only("path", "updated_at")

    def lastmod(self, page):
        return page.updated_at


SITEMAPS["standalone_pages"] = StandalonePageSitemap
