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
# A query is ranked among at most this many matching posts, the newest
# (with every matching page): the work of one search stays bounded on a
# blog of any size. A query that matches more says little ("the", a word
# every post has); the page says so and asks for more words.
RANKED_MATCHES = 1000
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
    django.core.paginator.Paginator asks): one query to count, one or two
    to read a page of hits.
    """

    def __init__(self, query: SearchQuery):
        self.query = query
        self.backend = {"postgresql": PostgresSearch, "sqlite": SqliteSearch}[
            connection.vendor
        ](query, now=connection.ops.adapt_datetimefield_value(timezone.now()))

    @cached_property
    def counts(self):
        posts, pages = self.backend.count()
        return posts, pages

    @property
    def total(self):
        """Return how many hits there are to page through: the ranked
        posts (see RANKED_MATCHES) and the pages.
        """
        posts, pages = self.counts
        return min(posts, RANKED_MATCHES) + pages

    @property
    def is_capped(self):
        """Return whether more posts match than are ranked."""
        return self.counts[0] > RANKED_MATCHES

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

    QUERY = "WITH q AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query)"
    # The newest matching visible posts (at most %s), then the published
    # pages: what is counted and ranked.
    MATCHES = """
        (SELECT 'post' AS kind, p.id, p.published_at, p.search_vector
        FROM blog_post p, q
        WHERE p.search_vector @@ q.query
            AND p.status = 'published' AND p.published_at <= %s
        ORDER BY p.id DESC LIMIT %s)
        UNION ALL
        SELECT 'page', g.id, NULL, g.search_vector
        FROM blog_page g, q
        WHERE g.search_vector @@ q.query AND g.status = 'published'
    """

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""{self.QUERY}
                SELECT count(*) FILTER (WHERE kind = 'post'),
                    count(*) FILTER (WHERE kind = 'page')
                FROM ({self.MATCHES}) matches
                """,
                [self.config, self.text, self.now, RANKED_MATCHES + 1],
            )
            return cursor.fetchone()

    def page(self, *, limit, offset):
        headline = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", '
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        # A title match first (the rank of the A weight alone), then ts_rank.
        order = "in_title DESC, score DESC, published_at DESC NULLS LAST, id DESC"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                {self.QUERY}, ranked AS (
                    SELECT kind, id, published_at,
                        ts_rank('{{0, 0, 0, 1}}', search_vector, q.query) > 0
                            AS in_title,
                        ts_rank(search_vector, q.query) AS score
                    FROM ({self.MATCHES}) matches, q
                    ORDER BY {order} LIMIT %s OFFSET %s
                )
                SELECT ranked.kind, ranked.id, coalesce(p.title, g.title),
                    coalesce(p.slug, g.path), ranked.published_at,
                    ts_headline(%s::regconfig, replace(
                        left(coalesce(p.search_text, g.search_text), %s),
                        '<', %s), q.query, %s)
                FROM ranked
                CROSS JOIN q
                LEFT JOIN blog_post p ON ranked.kind = 'post' AND p.id = ranked.id
                LEFT JOIN blog_page g ON ranked.kind = 'page' AND g.id = ranked.id
                ORDER BY {order}
                """,
                [
                    self.config,
                    self.text,
                    self.now,
                    RANKED_MATCHES,
                    limit,
                    offset,
                    self.config,
                    search_index.MAX_INDEXED_CHARS,
                    LESS_THAN,
                    headline,
                ],
            )
            rows = cursor.fetchall()
        return [(*row[:-1], row[-1].replace(LESS_THAN, "<")) for row in rows]


class SqliteSearch:
    def __init__(self, query, *, now):
        self.match, self.now = query.fts5(), now

    # The newest matching visible posts (at most %s), then the published
    # pages, with their bm25 (lower is better). The FTS table leads (CROSS
    # JOIN keeps that order) and hands its rows newest first; each is
    # checked against the index that covers visibility, never the row.
    MATCHES = f"""
        SELECT * FROM (
            SELECT 'post' AS kind, p.id AS id, p.published_at AS published_at,
                bm25(blog_post_search, {BM25_WEIGHTS}) AS score
            FROM blog_post_search
            CROSS JOIN blog_post p INDEXED BY post_visibility_idx
                ON p.id = blog_post_search.rowid
            WHERE blog_post_search MATCH %s
                AND p.status = 'published' AND p.published_at <= %s
            ORDER BY blog_post_search.rowid DESC LIMIT %s
        )
        UNION ALL
        SELECT 'page', g.id, NULL, bm25(blog_page_search, {BM25_WEIGHTS})
        FROM blog_page_search CROSS JOIN blog_page g
            ON g.id = blog_page_search.rowid
        WHERE blog_page_search MATCH %s AND g.status = 'published'
    """

    def count(self):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT count(*) FILTER (WHERE kind = 'post'),
                    count(*) FILTER (WHERE kind = 'page')
                FROM ({self.MATCHES})
                """,
                [self.match, self.now, RANKED_MATCHES + 1, self.match],
            )
            return cursor.fetchone()

    def page(self, *, limit, offset):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT kind, id FROM ({self.MATCHES})
                ORDER BY score, published_at DESC, id DESC LIMIT %s OFFSET %s
                """,
                [self.match, self.now, RANKED_MATCHES, self.match, limit, offset],
            )
            ranked = cursor.fetchall()
            found = self.details(cursor, ranked)
        return [found[hit] for hit in ranked if hit in found]

    def details(self, cursor, ranked):
        """Return the title, address, date and snippet of the `ranked`
        hits by (kind, id): only a page's worth, since snippet() reads the
        text.
        """
        arms, params = [], []
        for kind, table, address, date in [
            ("post", "blog_post", "slug", "doc.published_at"),
            ("page", "blog_page", "path", "NULL"),
        ]:
            ids = [pk for each, pk in ranked if each == kind]
            placeholders = ", ".join(["%s"] * len(ids))
            arms.append(
                f"SELECT '{kind}', doc.id, doc.title, doc.{address}, {date}, "
                f"snippet({table}_search, 2, '{MARK_START}', '{MARK_END}', "
                f"'…', {SNIPPET_WORDS}) "
                f"FROM {table}_search CROSS JOIN {table} AS doc "
                f"ON doc.id = {table}_search.rowid "
                f"WHERE {table}_search MATCH %s AND {table}_search.rowid "
                f"IN ({placeholders})"
            )
            params += [self.match, *ids]
        cursor.execute(" UNION ALL ".join(arms), params)
        return {(row[0], row[1]): row for row in cursor.fetchall()}
