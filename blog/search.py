"""Full-text search over visible posts and published pages.

`search(query)` returns the hits ranked by relevance, title matches first,
each with a snippet of its text where the terms are highlighted. One
interface, two backends over the index blog.search_index keeps:

- PostgreSQL: `websearch_to_tsquery` against the weighted vector, ranked by
  whether the title matches and then by `ts_rank`, quoted by `ts_headline`.
- SQLite: FTS5's MATCH with the query rewritten by blog.search_query,
  ranked by `bm25` with the title weighing most, quoted by `snippet()`.

Visibility is decided here, by joining each hit with its row: a draft is
never found, and a scheduled post is found from its time on.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe

from blog import search_index
from blog.models import Post
from blog.search_query import SearchQuery

# The backends mark the terms in a snippet with these, which no text a
# reader sees holds (Unicode's private use area); the snippet is escaped
# first and the marks become <mark> after, so a query or a post can never
# put markup on the page.
MARK_START, MARK_END = "\ue000", "\ue001"
# What `<` is while PostgreSQL quotes a text: its parser would take
# `<script>` for a tag and leave it out (see search_index).
LESS_THAN = "\ue002"
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
SNIPPET_WORDS = 30
# SQLite's bm25 weights of the title, tags-and-excerpt and body columns.
BM25_WEIGHTS = "10.0, 3.0, 1.0"


@dataclass
class SearchHit:
    kind: str  # "post" or "page"
    pk: int
    title: str
    url: str
    published_at: datetime | None  # None for a page
    snippet: str  # safe HTML: escaped text with <mark>ed terms
    tags: list = field(default_factory=list)


class SearchResults:
    """A query's hits, best first, counted and sliced on demand (as
    django.core.paginator.Paginator asks): one query to count, two to
    read a page of hits.
    """

    def __init__(self, query: SearchQuery):
        self.query = query
        self.backend = {"postgresql": PostgresSearch, "sqlite": SqliteSearch}[
            connection.vendor
        ](query, now=connection.ops.adapt_datetimefield_value(timezone.now()))

    @cached_property
    def total(self):
        return self.backend.count()

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SearchResults only takes slices without a step.")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.total
        if stop <= start:
            return []
        rows = self.backend.page(limit=stop - start, offset=start)
        return with_tags([hit_from_row(*row) for row in rows])


def search(query: SearchQuery) -> SearchResults:
    """Return the visible posts and published pages that match `query`."""
    return SearchResults(query)


def hit_from_row(kind, pk, title, address, published_at, snippet):
    if kind == "post":
        url = reverse("blog:post_detail", kwargs={"slug": address})
    else:
        url = reverse("page_detail", kwargs={"path": address})
    return SearchHit(
        kind=kind,
        pk=pk,
        title=title,
        url=url,
        published_at=_aware(published_at),
        snippet=highlighted(snippet or ""),
    )


def highlighted(snippet):
    """Return `snippet` escaped, with its marked terms in <mark>."""
    html = _MARKED.sub(r"<mark>\1</mark>", escape(snippet))
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))


def with_tags(hits):
    """Give the post hits their tags, in one query."""
    posts = {hit.pk: hit for hit in hits if hit.kind == "post"}
    links = Post.tags.through.objects.filter(post_id__in=posts).select_related("tag")
    for link in links.order_by("tag__name"):
        posts[link.post_id].tags.append(link.tag)
    return hits


def _aware(value):
    # SQLite hands back the stored text, in UTC.
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


class PostgresSearch:
    def __init__(self, query, *, now):
        self.text, self.now = query.text, now
        self.config = search_index.text_search_config()

    # Each query's hits, posts and pages, with the terms of ranking.
    HITS = """
        SELECT 'post' AS kind, p.id, p.published_at,
            ts_rank('{0, 0, 0, 1}', p.search_vector, q.query) > 0 AS in_title,
            ts_rank(p.search_vector, q.query) AS score
        FROM blog_post p, q
        WHERE p.search_vector @@ q.query
            AND p.status = 'published' AND p.published_at <= %s
        UNION ALL
        SELECT 'page', g.id, NULL,
            ts_rank('{0, 0, 0, 1}', g.search_vector, q.query) > 0,
            ts_rank(g.search_vector, q.query)
        FROM blog_page g, q
        WHERE g.search_vector @@ q.query AND g.status = 'published'
    """
    QUERY = "WITH q AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query)"

    COUNT = """
        SELECT (SELECT count(*) FROM blog_post p, q
            WHERE p.search_vector @@ q.query
                AND p.status = 'published' AND p.published_at <= %s)
        + (SELECT count(*) FROM blog_page g, q
            WHERE g.search_vector @@ q.query AND g.status = 'published')
    """

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"{self.QUERY} {self.COUNT}", [self.config, self.text, self.now]
            )
            return cursor.fetchone()[0]

    def page(self, *, limit, offset):
        headline = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", '
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        order = "in_title DESC, score DESC, published_at DESC NULLS LAST, id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                {self.QUERY}
                SELECT hits.kind, hits.id, coalesce(p.title, g.title),
                    coalesce(p.slug, g.path), hits.published_at,
                    ts_headline(%s::regconfig, replace(
                        left(coalesce(p.search_text, g.search_text), %s),
                        '<', %s), q.query, %s)
                FROM (
                    {self.HITS} ORDER BY {order} LIMIT %s OFFSET %s
                ) hits
                CROSS JOIN q
                LEFT JOIN blog_post p ON hits.kind = 'post' AND p.id = hits.id
                LEFT JOIN blog_page g ON hits.kind = 'page' AND g.id = hits.id
                ORDER BY {order}
                """,
                [
                    self.config,
                    self.text,
                    self.config,
                    search_index.MAX_INDEXED_CHARS,
                    LESS_THAN,
                    headline,
                    self.now,
                    limit,
                    offset,
                ],
            )
            rows = cursor.fetchall()
        return [(*row[:-1], row[-1].replace(LESS_THAN, "<")) for row in rows]


class SqliteSearch:
    def __init__(self, query, *, now):
        self.match, self.now = query.fts5(), now

    HITS = f"""
        SELECT 'post' AS kind, p.id AS id, p.title AS title, p.slug AS address,
            p.published_at AS published_at,
            bm25(blog_post_search, {BM25_WEIGHTS}) AS score
        FROM blog_post_search JOIN blog_post p ON p.id = blog_post_search.rowid
        WHERE blog_post_search MATCH %s
            AND p.status = 'published' AND p.published_at <= %s
        UNION ALL
        SELECT 'page', g.id, g.title, g.path, NULL,
            bm25(blog_page_search, {BM25_WEIGHTS})
        FROM blog_page_search JOIN blog_page g ON g.id = blog_page_search.rowid
        WHERE blog_page_search MATCH %s AND g.status = 'published'
    """

    COUNT = """
        SELECT (SELECT count(*) FROM blog_post_search
            JOIN blog_post p ON p.id = blog_post_search.rowid
            WHERE blog_post_search MATCH %s
                AND p.status = 'published' AND p.published_at <= %s)
        + (SELECT count(*) FROM blog_page_search
            JOIN blog_page g ON g.id = blog_page_search.rowid
            WHERE blog_page_search MATCH %s AND g.status = 'published')
    """

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(self.COUNT, [self.match, self.now, self.match])
            return cursor.fetchone()[0]

    def page(self, *, limit, offset):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT kind, id, title, address, published_at FROM ({self.HITS})
                ORDER BY score, published_at DESC, id DESC LIMIT %s OFFSET %s
                """,
                [self.match, self.now, self.match, limit, offset],
            )
            rows = cursor.fetchall()
            snippets = self.snippets(cursor, rows)
        return [(*row, snippets.get((row[0], row[1]), "")) for row in rows]

    def snippets(self, cursor, rows):
        """Return the snippets of `rows` by (kind, id): only a page's worth,
        since snippet() reads the text.
        """
        ids = {kind: [pk for each, pk, *_ in rows if each == kind] for kind in TABLES}
        arms, params = [], []
        for kind, table in TABLES.items():
            placeholders = ", ".join(["%s"] * len(ids[kind]))
            arms.append(
                f"SELECT '{kind}', rowid, snippet({table}_search, 2, "
                f"'{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS}) "
                f"FROM {table}_search WHERE {table}_search MATCH %s "
                f"AND rowid IN ({placeholders})"
            )
            params += [self.match, *ids[kind]]
        cursor.execute(" UNION ALL ".join(arms), params)
        return {(kind, pk): snippet for kind, pk, snippet in cursor.fetchall()}


TABLES = search_index.TABLES
