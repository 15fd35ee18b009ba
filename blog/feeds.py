"""RSS 2.0 and Atom feeds, site-wide and per tag, through django.contrib.syndication.

Each item carries the excerpt as its summary and the whole post as its
content, stored at render time with every URL inside absolute. The views
answer conditional GETs from one aggregate query, without building the feed.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.db.models import Count, F, Max, Min, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition

from blog import version_cache
from blog.compiled_queries import CompiledQuery
from blog.control_characters import xml_safe
from blog.escaped_xml import escaped_many
from blog.models import Post, SiteIdentity, Tag, tags_of
from blog.rendering import absolute_url

# Readers may reuse a feed for this long before asking again; a scheduled
# post shows up in readers at most this late.
FEED_MAX_AGE = 300


class XmlSafeFeed:
    """A feed generator that drops what XML 1.0 cannot hold from every text.

    Django's generator answers a control character with an exception (so
    the feed was a 500 until the text was fixed) and writes attributes
    unchecked. Every element's text and attribute comes from the feed's and
    the items' values, so they are cleaned as they are added. Forms refuse
    these characters already; this holds for rows written any other way
    (an import, the shell, an older version).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = xml_safe_values(self.feed)

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        item = self.items[-1]
        # The post's summary and content come escaped and XML-safe already
        # (blog.escaped_xml).
        escaped = {key: item.pop(key) for key in ESCAPED}
        self.items[-1] = {**xml_safe_values(item), **escaped}

    def write(self, outfile, encoding):
        # Into a string first: the generator writes each bit of markup to
        # its file, and a response's write() is costly.
        text = io.StringIO()
        super().write(text, encoding)
        outfile.write(text.getvalue())


# The item values written as they are: XML-safe and escaped already.
ESCAPED = ("summary_xml", "content_xml")


def add_escaped_element(handler, name, escaped_text, attrs=None):
    """Write an element whose content is escaped already."""
    handler.startElement(name, attrs or {})
    # Writes the text as it is (characters() would escape it again).
    handler.ignorableWhitespace(escaped_text)
    handler.endElement(name)


def xml_safe_values(value):
    """Return value (a text, or a dict, list or tuple of them) made XML-safe."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: xml_safe_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_values(item) for item in value)
    return value


class RssWithContent(XmlSafeFeed, Rss201rev2Feed):
    """RSS 2.0 with the whole post in content:encoded."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        add_escaped_element(handler, "description", item["summary_xml"])
        add_escaped_element(handler, "content:encoded", item["content_xml"])


class AtomWithContent(XmlSafeFeed, Atom1Feed):
    """Atom 1.0 with the whole post in content."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        html = {"type": "html"}
        add_escaped_element(handler, "summary", item["summary_xml"], html)
        add_escaped_element(handler, "content", item["content_xml"], html)


def feed_posts(tag_slug=None, now=None):
    """Return the published posts of the site, or of one tag, newest first."""
    posts = Post.objects.published(now)
    return posts if tag_slug is None else posts.filter(tags__slug=tag_slug)


def as_items(posts):
    """Return `posts` with what a feed item shows: its tags' ids and its
    author's names, without the columns the feed never reads.
    """
    return (
        posts.with_tag_ids()
        .defer("body", "excerpt", "body_html", "excerpt_html", "search_text")
        .annotate(
            author_first_name=F("author__first_name"),
            author_last_name=F("author__last_name"),
        )
    )


# The feeds' items: their queries written once per process, as building
# them cost the ORM more than the database's work (blog.compiled_queries).
SITE_ITEMS = CompiledQuery(lambda now: as_items(feed_posts(None, now)), moments=["now"])
TAG_ITEMS = CompiledQuery(
    lambda slug, now: as_items(feed_posts(slug, now)), texts=["slug"], moments=["now"]
)


def author_full_name(post):
    """Return the full name of a feed item's author (as_items), as the user
    model makes it, or "" for a post without an author.
    """
    if post.author_id is None:
        return ""
    return _full_name(post.author_first_name or "", post.author_last_name or "")


@lru_cache(maxsize=256)
def _full_name(first_name, last_name):
    # A feed's 20 items have a few authors, and a user instance costs as
    # much to make as the rest of an item: one per pair of names.
    author = get_user_model()(first_name=first_name, last_name=last_name)
    return author.get_full_name()


@dataclass(frozen=True)
class Subject:
    """What a feed is about: the site, and for a tag feed the tag. The site
    identity is read once, when the request starts.
    """

    site: SiteIdentity
    tag: Tag | None = None


class SiteFeed(Feed):
    feed_type = RssWithContent
    url_name = "blog:feed_rss"
    item_guid_is_permalink = False

    @property
    def language(self):
        return settings.LANGUAGE_CODE

    def get_object(self, request):
        return Subject(site=SiteIdentity.for_request(request))

    def title(self, subject):
        return subject.site.title

    def description(self, subject):
        return subject.site.tagline or subject.site.title

    def subtitle(self, subject):
        return self.description(subject)

    def link(self, subject):
        return absolute_url(reverse("blog:index"))

    def feed_url(self, subject):
        return absolute_url(reverse(self.url_name))

    def author_name(self, subject):
        return subject.site.author_name or subject.site.title

    def items(self, subject):
        page = {"now": timezone.now(), "offset": 0, "limit": settings.INKWELL_FEED_SIZE}
        if subject.tag is None:
            posts = SITE_ITEMS.run(**page)
        else:
            posts = TAG_ITEMS.run(slug=subject.tag.slug, **page)
        # What the index shows (the excerpt, or the whole post when it has
        # none) as the summary, and the whole post as the content.
        texts = [post.feed_excerpt_html or post.feed_body_html for post in posts]
        texts += [post.feed_body_html for post in posts]
        escaped = escaped_many(texts)
        tags = Tag.objects.kept_index()
        for post, summary, content in zip(
            posts, escaped[: len(posts)], escaped[len(posts) :], strict=True
        ):
            # Item methods see only the item: the site's author rides on it.
            post.site_author_name = subject.site.author_name
            post.author_full_name = author_full_name(post)
            post.summary_xml, post.content_xml = summary, content
            post.tag_names = [name for name, _slug in tags_of(tags, post.tag_ids)]
        return posts

    def item_title(self, post):
        return post.title

    def item_link(self, post):
        return absolute_url(post.get_absolute_url())

    def item_guid(self, post):
        # Never the URL: a new title, slug or date must not make readers
        # announce the post again. The id and creation date never change.
        host = urlsplit(settings.SITE_URL).hostname
        created = post.created_at.astimezone(UTC).date().isoformat()
        return f"tag:{host},{created}:post-{post.pk}"

    def item_pubdate(self, post):
        return post.published_at.astimezone(UTC)

    def item_updateddate(self, post):
        # A re-rendering (rendered_at) changes what readers get, as an edit
        # does.
        changed_at = max(filter(None, [post.updated_at, post.rendered_at]))
        return changed_at.astimezone(UTC)

    def item_author_name(self, post):
        # The author's full name, never the login name; a post without one
        # is signed with the site's author.
        return post.author_full_name or post.site_author_name or None

    def item_categories(self, post):
        return post.tag_names

    def item_description(self, post):
        # Written by the feed type, from summary_xml.
        return None

    def item_extra_kwargs(self, post):
        return {"summary_xml": post.summary_xml, "content_xml": post.content_xml}


class SiteAtomFeed(SiteFeed):
    feed_type = AtomWithContent
    url_name = "blog:feed_atom"


class TagFeed(SiteFeed):
    url_name = "blog:tag_feed_rss"

    def get_object(self, request, slug):
        # A tag whose posts are all drafts or scheduled is a 404, as its
        # page is: its name and description would tell what is coming.
        tags = Tag.objects.with_post_counts().filter(post_count__gt=0)
        tag = get_object_or_404(tags, slug=slug)
        return Subject(site=SiteIdentity.for_request(request), tag=tag)

    def title(self, subject):
        return f"{subject.site.title}: {subject.tag.name}"

    def description(self, subject):
        tag = subject.tag
        return tag.description or _("Posts tagged “%(tag)s” on %(site)s") % {
            "tag": tag.name,
            "site": subject.site.title,
        }

    def link(self, subject):
        return absolute_url(subject.tag.get_absolute_url())

    def feed_url(self, subject):
        slug = subject.tag.slug
        return absolute_url(reverse(self.url_name, kwargs={"slug": slug}))


class TagAtomFeed(TagFeed):
    feed_type = AtomWithContent
    url_name = "blog:tag_feed_atom"


def freshness(request, slug=None):
    """Return what a feed's validators are made of, from one aggregate query.

    The aggregate runs over the very posts the feed lists, so Last-Modified
    is the feed's own newest change. A scheduled post whose time has passed
    joins them and moves the newest published date; a post that leaves them
    (unpublished, deleted, untagged) changes the count or the oldest date.
    """
    if not hasattr(request, "_feed_freshness"):
        # Kept per content version: every change to these posts or tags
        # bumps it, and so does a scheduled post's time coming.
        request._feed_freshness = version_cache.kept(
            f"feed-freshness:{slug or ''}", lambda: _freshness(slug)
        )
    return request._feed_freshness


def _freshness(slug):
    # Tag names are the items' categories, and a tag feed's title: the
    # newest change of any tag is read in the same query (the same for every
    # row, so its maximum is itself).
    newest_tag_change = Tag.objects.order_by("-updated_at").values("updated_at")
    return feed_posts(slug)[: settings.INKWELL_FEED_SIZE].aggregate(
        count=Count("pk"),
        newest_update=Max("updated_at"),
        newest_publication=Max("published_at"),
        newest_rendering=Max("rendered_at"),
        oldest_publication=Min("published_at"),
        newest_tag_change=Max(Subquery(newest_tag_change[:1])),
    )


def last_modified(request, slug=None):
    state = freshness(request, slug)
    if not state["count"]:
        # An empty feed (or an unknown tag's) has no date to validate.
        return None
    changes = [
        state["newest_update"],
        state["newest_publication"],
        state["newest_rendering"],
        state["newest_tag_change"],
    ]
    return max(filter(None, changes))


def etag(request, slug=None):
    state = freshness(request, slug)
    if not state["count"]:
        return None
    site = SiteIdentity.for_request(request)
    fingerprint = repr([*state.values(), site.title, site.tagline, site.author_name])
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def feed_view(feed):
    """Return a view of feed that answers conditional GETs and may be cached."""
    conditional = condition(etag_func=etag, last_modified_func=last_modified)
    return cache_control(public=True, max_age=FEED_MAX_AGE)(conditional(feed))


site_rss = feed_view(SiteFeed())
site_atom = feed_view(SiteAtomFeed())
tag_rss = feed_view(TagFeed())
tag_atom = feed_view(TagAtomFeed())
