"""A post as the lists show it (the index, tag and archive pages): its
`<article>`, built in Python from the stored HTML.

Through the template engine (an include per post, another for its meta
line) this cost about half a millisecond a post, most of an uncached list
page's time; here it is a few string operations. The markup is the one the
templates wrote before, and nothing is stored: a post's article is made
from its row and its tags as they are now, so it is never behind a write.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from blog.models import Tag, slug_urls, tags_of
from blog.templatetags.blog_tags import machine_datetime


def add_summaries(posts, *, featured=False):
    """Set `summary` on each post: its article as a list shows it.

    The posts come from PostQuerySet.with_tag_ids(). A featured slot
    (`featured`) shows no tags and always an excerpt: an uncut post there
    gets its opening words.
    """
    tags = {} if featured else Tag.objects.kept_index()
    urls = Urls(post=slug_urls("blog:post_detail"), tag=slug_urls("blog:tag_detail"))
    tags_label = escape(gettext("Tags:"))
    for post in posts:
        links = _tag_links(post, tags, urls)
        post.summary = summary(post, links, urls, tags_label, featured=featured)
    return posts


@dataclass(frozen=True)
class Urls:
    post: Callable
    tag: Callable


def summary(post, tag_links, urls, tags_label, *, featured=False):
    """Return the article of `post` with its tags' `tag_links` (HTML) as a
    list shows it.
    """
    # Django's escape() is html.escape() behind a lazy-text check that cost
    # more than the escaping; every text here is a plain str.
    url = escape(urls.post(post.slug))
    published_at = localtime(post.published_at)
    tags = ""
    if tag_links:
        tags = (
            '\n  <span class="post-tags">\n'
            f'    <span class="visually-hidden">{tags_label}</span>\n'
            f"    {', '.join(tag_links)}\n  </span>"
        )
    return mark_safe(
        '<article class="post-summary">\n  <header>\n'
        f'    <h2 class="post-title"><a href="{url}">{escape(post.title)}</a></h2>\n'
        '    <p class="post-meta">\n'
        f'  <time datetime="{machine_datetime(published_at)}">'
        f"{escape(_day(published_at.date(), get_language()))}</time>{tags}\n"
        f"</p>\n  </header>\n{_body(post, url, featured)}</article>\n"
    )


@lru_cache(maxsize=4096)
def _day(day, language):
    # The language is part of the key: DATE_FORMAT is the active one's.
    return formats.date_format(day, "DATE_FORMAT")


def _body(post, url, featured):
    # The stored HTML was sanitized when the post was rendered
    # (blog.rendering): the templates showed it with |safe.
    if post.excerpt_html:
        return _div(post.excerpt_html) + _continue(f"{url}#more-{post.pk}", post)
    if featured:
        return _div(f"<p>{escape(post.description)}</p>") + _continue(url, post)
    return _div(post.body_html)


def _div(html):
    return f'  <div class="post-body">\n{html}\n  </div>\n'


def _continue(url, post):
    text, title = escape(str(post.continue_link_text)), escape(post.title)
    return (
        f'  <p class="continue"><a href="{url}">{text}'
        f'<span class="visually-hidden">: {title}</span></a></p>\n'
    )


def _tag_links(post, index, urls):
    return [
        f'<a href="{escape(urls.tag(slug))}" rel="tag">{escape(name)}</a>'
        for name, slug in tags_of(index, getattr(post, "tag_ids", None))
    ]
