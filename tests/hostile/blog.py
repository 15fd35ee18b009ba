"""A blog whose every author-controlled field holds a payload of the corpus,
and the addresses that serve them: for the stored-output test and the
browser test alike.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from blog import content_version
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, Tag
from tests.hostile import payloads
from tests.wxr_files import WXR_OPENING

# The plain-text fields and their lengths (longer payloads cannot be stored
# there, so they go through the other fields only).
TITLE_LENGTH, SHORT_TEXT_LENGTH, NAME_LENGTH = 200, 100, 150


@dataclass
class HostileBlog:
    """What was written where, and the addresses that show it."""

    fields: dict = field(default_factory=dict)  # field name -> payloads stored
    posts: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    pages: list = field(default_factory=list)

    def stored(self, name, count):
        self.fields[name] = self.fields.get(name, 0) + count

    def reader_urls(self, *, every_tag=1, every=1, every_page=None):
        """Return the public addresses that show the payloads: the lists,
        the feeds, every `every`th post and page (`every_page`th page, if
        given), and every `every_tag`th tag's page.
        """
        urls = ["/", "/tags/", "/archive/", "/feed/", "/feed/atom/", "/sitemap.xml"]
        years = sorted({post.published_at.year for post in self.posts})
        urls += [f"/archive/{year}/" for year in years]
        urls += [post.get_absolute_url() for post in self.posts[::every]]
        urls += [tag.get_absolute_url() for tag in self.tags[::every_tag]]
        pages = self.pages[:: every_page or every]
        urls += [page.get_absolute_url() for page in pages]
        return urls

    def tag_feed_urls(self, every=1):
        """Return the feeds of every `every`th tag."""
        return [
            reverse(route, kwargs={"slug": tag.slug})
            for tag in self.tags[::every]
            for route in ("blog:tag_feed_rss", "blog:tag_feed_atom")
        ]

    def admin_urls(self, every=1):
        """Return the admin's lists and the change forms of every `every`th
        post, tag and page.
        """
        lists = [
            reverse(f"admin:{app}_{model}_changelist") + "?all="
            for app, model in [
                ("blog", "post"),
                ("blog", "tag"),
                ("blog", "featuredslot"),
                ("blog", "page"),
                ("auth", "user"),
            ]
        ]
        forms = [
            reverse(f"admin:blog_{type(obj).__name__.lower()}_change", args=[obj.pk])
            for objects in [self.posts, self.tags, self.pages]
            for obj in objects[::every]
        ]
        forms.append(reverse("admin:blog_siteidentity_change", args=[1]))
        return lists + forms


def build_hostile_blog(corpus=None):
    """Write every payload into every author-controlled field; return what
    was written. One post, tag, author and page per payload, so that no
    payload can hide another.

    Each object goes through its own save, as the admin's would; the two
    thousand saves count as one change of the content version, as an
    import's do (a bump a save was half the build).
    """
    with content_version.one_bump():
        return _build_hostile_blog(corpus or payloads())


def _build_hostile_blog(corpus):
    blog = HostileBlog()
    identity_fields(blog, corpus[0].text)
    published_at = timezone.now() - timedelta(days=1)
    for number, payload in enumerate(corpus):
        text = payload.text
        author = get_user_model().objects.create_user(
            f"hostile{number}",
            first_name=fit(text, NAME_LENGTH),
            last_name=fit(text, NAME_LENGTH),
        )
        post = Post.objects.create(
            title=fit(text, TITLE_LENGTH) or f"Post {number}",
            # The payload as text, and as an image's alt text.
            body=f"{text}\n\n![{text}](/media/images/x.png)\n\nAfter.",
            excerpt=text,
            continue_text=fit(text, SHORT_TEXT_LENGTH),
            status=Post.Status.PUBLISHED,
            published_at=published_at - timedelta(minutes=number),
            author=author,
        )
        tag = Tag.objects.create(
            name=fit(text, SHORT_TEXT_LENGTH) or f"Tag {number}", description=text
        )
        post.tags.add(tag)
        FeaturedSlot.objects.create(
            position=number + 1, post=post, label=fit(text, SHORT_TEXT_LENGTH)
        )
        page = Page.objects.create(
            title=fit(text, TITLE_LENGTH) or f"Page {number}",
            body=text,
            status=Page.Status.PUBLISHED,
            show_in_navigation=number < 10,
        )
        blog.posts.append(post)
        blog.tags.append(tag)
        blog.pages.append(page)
        count_fields(blog, text)
    return blog


def fit(text, length):
    """Return text when a field of `length` characters holds it, else ""."""
    return text if len(text) <= length else ""


def count_fields(blog, text):
    for name, length in [
        ("post title", TITLE_LENGTH),
        ("page title", TITLE_LENGTH),
        ("continue text", SHORT_TEXT_LENGTH),
        ("tag name", SHORT_TEXT_LENGTH),
        ("featured-slot label", SHORT_TEXT_LENGTH),
        ("author first name", NAME_LENGTH),
        ("author last name", NAME_LENGTH),
    ]:
        blog.stored(name, 1 if fit(text, length) else 0)
    for name in ["post body", "post excerpt", "image alt text", "tag description"]:
        blog.stored(name, 1)
    blog.stored("page body", 1)


IDENTITY_FIELDS = {
    "title": SHORT_TEXT_LENGTH,
    "tagline": TITLE_LENGTH,
    "author_name": SHORT_TEXT_LENGTH,
    "author_bio": None,
    "footer_text": TITLE_LENGTH,
}


def identity_fields(blog, text):
    """Write one payload into every site identity field that holds it."""
    identity = SiteIdentity.load()
    for name, length in IDENTITY_FIELDS.items():
        if length is None or len(text) <= length:
            setattr(identity, name, text)
            blog.stored(f"site {name.replace('_', ' ')}", 1)
    identity.save()


def wxr_with_payloads(path, corpus=None):
    """Write a WordPress export with one published post per payload (the
    payload in its title, content and excerpt); return its path.
    """
    corpus = corpus or payloads()
    items = "".join(
        WXR_ITEM.format(
            id=1000 + number,
            title=escape(fit(payload.text, TITLE_LENGTH) or f"Imported {number}"),
            text=escape(payload.text),
            minute=number % 60,
            hour=number // 60,
        )
        for number, payload in enumerate(corpus)
    )
    Path(path).write_text(WXR.format(items=items), encoding="utf-8")
    return path


def import_payloads(tmp_path):
    """Import a WXR of the corpus; return the imported posts."""
    path = wxr_with_payloads(tmp_path / "hostile.xml")
    call_command("import_wordpress", str(path), stdout=open("/dev/null", "w"))
    return list(Post.objects.filter(origin__startswith="wordpress:"))


WXR = (
    WXR_OPENING
    + """<channel>
 <title>Hostile</title>
 <link>https://hostile.example.com</link>
 <description>Payloads</description>
 <wp:wxr_version>1.2</wp:wxr_version>
 <wp:base_site_url>https://hostile.example.com</wp:base_site_url>
 <wp:base_blog_url>https://hostile.example.com</wp:base_blog_url>
 <wp:author><wp:author_id>1</wp:author_id><wp:author_login>mallory</wp:author_login>
 <wp:author_display_name>Mallory</wp:author_display_name></wp:author>
{items}
</channel>
</rss>
"""
)

WXR_ITEM = """<item>
 <title>{title}</title>
 <link>https://hostile.example.com/?p={id}</link>
 <dc:creator>mallory</dc:creator>
 <guid isPermaLink="false">https://hostile.example.com/?p={id}</guid>
 <description></description>
 <content:encoded>{text}</content:encoded>
 <excerpt:encoded>{text}</excerpt:encoded>
 <wp:post_id>{id}</wp:post_id>
 <wp:post_date>2024-01-01 {hour:02d}:{minute:02d}:00</wp:post_date>
 <wp:post_date_gmt>2024-01-01 {hour:02d}:{minute:02d}:00</wp:post_date_gmt>
 <wp:post_name></wp:post_name>
 <wp:status>publish</wp:status>
 <wp:post_parent>0</wp:post_parent>
 <wp:menu_order>0</wp:menu_order>
 <wp:post_type>post</wp:post_type>
 <wp:is_sticky>0</wp:is_sticky>
</item>
"""
