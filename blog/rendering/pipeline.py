"""The pipeline, for one post: Markdown in, stored HTML and text out.

1. markdown-it parses the body once (blog/rendering/markdown.py); headings
   get ids and permalinks (ids.py), table cells their alignment class
   (tables.py), and the first `<!--more-->` marker becomes an anchor, with
   the excerpt the token stream up to it (cut.py).
2. The body and the excerpt are rendered to HTML, code highlighted by
   Pygments, and each is sanitized once (sanitizer.py): by bleach where the
   author wrote raw HTML (regions.py), else by reading markdown-it's own
   escaped output; either way only the allowlist and the ids made for this
   post are left.
3. The sanitized token stream is serialized twice: for the site, with
   relative URLs resolved against the post and external links marked
   (links.py), and for feeds with every href and src absolute.
4. The word count, the description and the plain text for the search
   index (text.py), and the first image, for sharing (images.py), come from
   the same stream.
"""

from dataclasses import dataclass
from urllib.parse import urljoin

from blog.rendering import (
    budget,
    code_blocks,
    cut,
    ids,
    images,
    links,
    markdown,
    regions,
    sanitizer,
    tables,
    text,
)
from blog.rendering.serialize import to_html

# The id key of a document rendered without a post id: the admin preview.
PREVIEW_KEY = "preview"


@dataclass(frozen=True)
class RenderedPost:
    body_html: str
    excerpt_html: str
    continue_text: str  # the marker's link text, "" when it names none
    word_count: int
    description: str  # plain text, for meta, OpenGraph and JSON-LD
    feed_body_html: str  # body_html with every href and src absolute
    feed_excerpt_html: str
    text: str = ""  # the body as one line of plain text, for the search index
    # A work budget was passed: part of the text shows as written (budget.py).
    is_over_budget: bool = False
    # The first image's src, site-relative or http(s), for sharing; "" if none.
    first_image_url: str = ""


@dataclass(frozen=True)
class _Html:
    site: str
    feed: str
    tokens: list  # the sanitized tokens, for the text


def render_post(body, *, excerpt="", post_id=None, post_url="", site_url=""):
    """Return a post's stored HTML (for the site and for feeds), excerpt,
    continue link text, word count and description.

    `post_id` prefixes every id in the HTML; `post_url` (the post page's
    path) is where excerpt links to footnotes after the cut go, and what
    relative URLs (`pic.png`) are resolved against. `site_url` makes the
    feed copies' URLs absolute. Pure: no settings, no database.
    """
    key = PREVIEW_KEY if post_id is None else str(post_id)
    feed_url = urljoin(site_url.rstrip("/") + "/", post_url) if site_url else post_url
    has_excerpt_field = bool(excerpt.strip())
    document = _parse(body, key)
    split = cut.cut(document.tokens, key=key, cuts=not has_excerpt_field)
    body_html = _to_html(split.body, document.env, key, post_url, feed_url)
    if has_excerpt_field:
        field = _parse(excerpt, f"{key}-excerpt")
        field_split = cut.cut(field.tokens, key=key, cuts=False)
        excerpt_tokens, excerpt_env = field_split.body, field.env
    else:
        excerpt_tokens, excerpt_env = split.excerpt, document.env
    excerpt_html = _to_html(
        excerpt_tokens or [], excerpt_env, key, post_url, feed_url, is_excerpt=True
    )
    return RenderedPost(
        body_html=_continue_anchor(key, has_excerpt_field) + body_html.site,
        excerpt_html=excerpt_html.site,
        continue_text=split.continue_text,
        word_count=text.count_words(body_html.tokens),
        description=text.description(excerpt_html.tokens or body_html.tokens),
        feed_body_html=_continue_anchor(key, has_excerpt_field) + body_html.feed,
        feed_excerpt_html=excerpt_html.feed,
        text=text.plain_text(body_html.tokens),
        is_over_budget=budget.is_over_budget(document.env)
        or budget.is_over_budget(excerpt_env),
        first_image_url=images.first_image_url(body_html.tokens)
        or images.first_image_url(excerpt_html.tokens),
    )


def _continue_anchor(key, has_excerpt_field):
    # With an excerpt field the reader has seen none of the body: "Continue
    # reading" lands at its start, wherever a marker is.
    return f'<span id="more-{key}"></span>\n' if has_excerpt_field else ""


@dataclass(frozen=True)
class _Document:
    tokens: list
    env: dict


def _parse(source, key):
    tokens, env = markdown.parse(source, key=key)
    ids.add_heading_ids(tokens, key)
    tables.align_by_class(tokens)
    return _Document(tokens=tokens, env=env)


def _to_html(tokens, env, key, post_url, feed_url, *, is_excerpt=False):
    clean, id_pattern = [], ids.id_pattern(key)
    for has_raw_html, run in regions.runs(tokens):
        html = markdown.render(run, env)
        if not has_raw_html:
            clean += sanitizer.trusted_tokens(html, id_pattern=id_pattern)
            continue
        # Without the last newline: after an unclosed `<b>` the parser would
        # wrap it in a `<b>` of its own.
        content = html.rstrip()
        clean += sanitizer.sanitized_tokens(content, id_pattern=id_pattern)
        if len(content) < len(html):
            clean.append({"type": "SpaceCharacters", "data": html[len(content) :]})
    clean = ids.keep_first_ids(clean)
    clean = list(code_blocks.focusable_blocks(tables.wrap_tables(clean)))
    site = links.site_links(clean, post_url=post_url, links_out_of_document=is_excerpt)
    return _Html(
        site=to_html(site),
        feed=to_html(links.absolute_links(site, feed_url)) if feed_url else "",
        tokens=site,
    )
