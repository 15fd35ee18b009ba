"""A post as the lists show it (the index, tag and archive pages): its
`<article>`, built in Python from the stored HTML.

Through the template engine (an include per post, another for its meta
line) this cost about half a millisecond a post, most of an uncached list
page's time; here it is a few string operations. The markup is the one the
templates wrote before, and nothing is stored: a post's article is made
from its row and its tags as they are now, so it is never behind a write.
"""

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from blog.models import Tag
from blog.templatetags.blog_tags import machine_datetime

ARTICLE = (
    '<article class="post-summary">\n  <header>\n'
    '    <h2 class="post-title"><a href="{}">{}</a></h2>\n'
    '    <p class="post-meta">\n'
    '  <time datetime="{}">{}</time>{}\n</p>\n  </header>\n{}</article>\n'
)
BODY = '  <div class="post-body">\n{}\n  </div>\n'
CONTINUE = (
    '  <p class="continue"><a href="{}">{}'
    '<span class="visually-hidden">: {}</span></a></p>\n'
)
TAGS = (
    '\n  <span class="post-tags">\n'
    '    <span class="visually-hidden">{}</span>\n    {}\n  </span>'
)


def add_summaries(posts, *, featured=False):
    """Set `summary` on each post: its article as a list shows it.

    The posts come from PostQuerySet.with_tag_ids(). A featured slot
    (`featured`) shows no tags and always an excerpt: an uncut post there
    gets its opening words.
    """
    tags = {} if featured else Tag.objects.by_id()
    for post in posts:
        post.summary = summary(post, _tags_of(post, tags), featured=featured)
    return posts


def summary(post, tags, *, featured=False):
    """Return the article of `post` with its `tags` (Tag objects) as a list
    shows it.
    """
    url = post.get_absolute_url()
    published_at = localtime(post.published_at)
    return format_html(
        ARTICLE,
        url,
        post.title,
        machine_datetime(published_at),
        formats.date_format(published_at, "DATE_FORMAT"),
        tag_links(tags),
        _body(post, url, featured),
    )


def tag_links(tags):
    if not tags:
        return ""
    links = format_html_join(
        ", ",
        '<a href="{}" rel="tag">{}</a>',
        ((tag.get_absolute_url(), tag.name) for tag in tags),
    )
    return format_html(TAGS, gettext("Tags:"), links)


def _body(post, url, featured):
    # The stored HTML was sanitized when the post was rendered
    # (blog.rendering): the templates showed it with |safe.
    if post.excerpt_html:
        excerpt = format_html(BODY, mark_safe(post.excerpt_html))
        return excerpt + _continue(post.continue_url, post)
    if featured:
        opening = format_html(BODY, format_html("<p>{}</p>", post.description))
        return opening + _continue(url, post)
    return format_html(BODY, mark_safe(post.body_html))


def _continue(url, post):
    return format_html(CONTINUE, url, post.continue_link_text, post.title)


def _tags_of(post, tags):
    ids = getattr(post, "tag_ids", None) or ""
    found = [tags[int(pk)] for pk in ids.split(",") if pk and int(pk) in tags]
    # In the tags' own order (by name, as the database sorts them).
    return sorted(found, key=lambda tag: tag.rank)
