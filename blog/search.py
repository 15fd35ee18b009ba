"""Full-text search over visible posts and published pages.

`search(query)` returns the hits ranked by relevance, title matches first,
each with a snippet of its text where the terms are highlighted. One
interface, two backends over the index blog.search_index keeps:

- PostgreSQL: `websearch_to_tsquery` against the weighted vector, ranked by
  whether the title matches and then by `ts_rank`, quoted by `ts_headline`
  over the window of the text where the query's first term first appears.
- SQLite: FTS5's MATCH with the query rewritten by blog.search_query,
  ranked by `bm25` with the title weighing most, quoted by `snippet()`.

Visibility is decided here, by joining each hit with its row: a draft is
never found, and a scheduled post is found from its time on.

A search runs three queries whatever the blog's size: the matches, ranked
by the database (at most RANKED_MATCHES posts, the newest, and every
page); the title, date and snippet of one page of them; and
their tags. On PostgreSQL a planning-only EXPLAIN comes first, whose
estimates choose how the newest matches are found (PostgresSearch._walks),
and the stems of the query's words are read before the snippets
(blog.search_passage).
"""

import json
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

from blog import search_index, search_passage
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
RANKED_MATCHES = 300
# SQLite's bm25 weights of the title, tags-and-excerpt and body columns.
BM25_WEIGHTS = "10.0, 3.0, 1.0"
# How both backends order their matches, in SQL (no dates to read into
# Python): title matches first, then the best score, then the newest (a
# page, undated, after posts of its score).
RANK_ORDER = "in_title DESC, score DESC, published_at DESC NULLS LAST, id DESC"


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
    """A query's hits, best first, counted and sliced as
    django.core.paginator.Paginator asks.
    """

    def __init__(self, query: SearchQuery):
        self.query = query
        self.backend = {"postgresql": PostgresSearch, "sqlite": SqliteSearch}[
            connection.vendor
        ](query, now=connection.ops.adapt_datetimefield_value(timezone.now()))

    @cached_property
    def matches(self):
        """Return the (kind, id) of every ranked hit, best first."""
        rows = [tuple(row) for row in self.backend.matches(limit=RANKED_MATCHES + 1)]
        post_ids = [pk for kind, pk in rows if kind == "post"]
        # One more post than is ranked came back when there are more.
        self.more_than_ranked = len(post_ids) > RANKED_MATCHES
        if self.more_than_ranked:
            rows.remove(("post", min(post_ids)))
        return rows

    @property
    def is_capped(self):
        """Return whether more posts match than are ranked."""
        return self.matches is not None and self.more_than_ranked

    def count(self):
        return len(self.matches)

    def __len__(self):
        return len(self.matches)

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("SearchResults only takes slices without a step.")
        wanted = self.matches[key]
        if not wanted:
            return []
        found = self.backend.details(wanted)
        hits = [hit_from_row(*found[each]) for each in wanted if each in found]
        return with_tags(hits)


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


def _ids(wanted, kind):
    ids = [pk for each, pk in wanted if each == kind]
    return ids, ", ".join(["%s"] * len(ids)) or "NULL"


class PostgresSearch:
    def __init__(self, query, *, now):
        self.text, self.now = query.text, now
        self.included = query.included
        self.config = search_index.text_search_config()

    QUERY = "WITH q AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS query)"
    # The newest matching posts come one of two ways. Walking the posts
    # newest first by primary key and testing each one's vector stops
    # after `limit` hits: cheap when most posts match (3 to 16 ms for a
    # word in every post at 100,000 posts, where the GIN plan fetched and
    # sorted all 100,000 matches: 340 ms to 3 s), dear when few do, as each
    # test reads a whole vector. The GIN index's bitmap fetches every match
    # and sorts them: cheap when few match. The walk reads about
    # limit * posts / matches vectors, the bitmap `matches` rows, each some
    # 5 times cheaper than reading a vector: the walk wins when matches² >
    # WALK_FACTOR * posts (some 10% of 100,000 posts). PostgreSQL's own
    # choice, when it sees the query, walks from some 2% up, and at 5% took
    # 2 to 3 times as long as the bitmap.
    # A phrase (or a hyphenated word) the index cannot settle: the bitmap
    # then reads the vector of every post with all the words to check their
    # order, as the walk does, and the walk wins far sooner. At 100,000
    # posts, "memory barrier" (words in some 5% of posts together): 60 to
    # 125 ms walking, 165 to 385 ms by the bitmap.
    PHRASE_WALK_FACTOR = 100
    WALK_FACTOR = 1000
    # What the planner expects: the matching visible posts, and all posts,
    # in one plan (its two members).
    ESTIMATES = """
        EXPLAIN (FORMAT JSON)
        SELECT 1 FROM blog_post p
        WHERE p.search_vector @@ websearch_to_tsquery(%s::regconfig, %s)
            AND p.status = 'published' AND p.published_at <= %s
        UNION ALL
        SELECT 1 FROM blog_post
    """

    def _walks(self, cursor):
        """Return whether walking the newest posts is the cheaper way to
        the newest matches, by the planner's estimates (planning only).
        """
        cursor.execute(self.ESTIMATES, [self.config, self.text, self.now])
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        members = plan[0]["Plan"].get("Plans", [])
        if len(members) != 2:
            return False  # a plan of another shape: the index is never wrong
        matching, every = (member["Plan Rows"] for member in members)
        # The folded query shows in the plan: `<->` (or `<2>`) is a phrase.
        phrase = re.search(r"<(-|\d+)>", json.dumps(members[0]))
        factor = self.PHRASE_WALK_FACTOR if phrase else self.WALK_FACTOR
        return matching * matching > factor * every

    def matches(self, *, limit):
        """Return the (kind, id) of the newest `limit` matching visible
        posts and of every matching published page, best first.
        """
        # The title's rank alone (the A weight) tells a title match.
        with connection.cursor() as cursor:
            # Not materialized, the planner sees the query and walks; the
            # materialized query is opaque to it, and it asks the index.
            way = "NOT MATERIALIZED" if self._walks(cursor) else "MATERIALIZED"
            cursor.execute(
                f"""
                {self.QUERY.replace(" AS (", f" AS {way} (")}
                SELECT kind, id FROM (
                SELECT 'post' AS kind, newest.id,
                    ts_rank('{{0, 0, 0, 1}}', newest.search_vector, q.query) > 0
                        AS in_title,
                    ts_rank(newest.search_vector, q.query) AS score,
                    newest.published_at
                FROM (
                    -- Ranked outside: inside, every match would be.
                    SELECT p.id, p.published_at, p.search_vector
                    FROM blog_post p, q
                    WHERE p.search_vector @@ q.query
                        AND p.status = 'published' AND p.published_at <= %s
                    ORDER BY p.id DESC LIMIT %s
                ) newest, q
                UNION ALL
                SELECT 'page', g.id,
                    ts_rank('{{0, 0, 0, 1}}', g.search_vector, q.query) > 0,
                    ts_rank(g.search_vector, q.query), NULL
                FROM blog_page g, q
                WHERE g.search_vector @@ q.query AND g.status = 'published'
                ) ranked ORDER BY {RANK_ORDER}
                """,
                [self.config, self.text, self.now, limit],
            )
            return cursor.fetchall()

    def details(self, wanted):
        """Return (kind, id, title, address, date, snippet) of the `wanted`
        (kind, id) pairs, by pair.

        Each snippet quotes a window of its text where the query's first
        term first appears (blog.search_passage), not the whole text.
        """
        headline = (
            f'StartSel="{MARK_START}", StopSel="{MARK_END}", '
            f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        post_ids, post_placeholders = _ids(wanted, "post")
        page_ids, page_placeholders = _ids(wanted, "page")
        window, lead = search_passage.WINDOW_CHARS, search_passage.LEAD_CHARS
        with connection.cursor() as cursor:
            passage = search_passage.pattern(self._stems(cursor))
            # Each step materialized, and the text copied (`|| ''`): it is
            # read and decompressed once, not once for every use of it. The
            # whole text is searched (left() to the indexed length costs
            # more than the search): a match past it finds nothing to mark.
            cursor.execute(
                rf"""
                {self.QUERY},
                docs AS MATERIALIZED (
                    SELECT 'post' AS kind, p.id, p.title, p.slug AS address,
                        p.published_at, p.search_text || '' AS text
                    FROM blog_post p WHERE p.id IN ({post_placeholders})
                    UNION ALL
                    SELECT 'page', g.id, g.title, g.path, NULL, g.search_text || ''
                    FROM blog_page g WHERE g.id IN ({page_placeholders})
                ),
                placed AS MATERIALIZED (
                    SELECT docs.*, greatest(
                        1, regexp_instr(docs.text, %s, 1, 1, 0, 'i') - {lead}
                    ) AS start
                    FROM docs
                ),
                windows AS MATERIALIZED (
                    -- The words the window's ends cut through left out.
                    SELECT placed.kind, placed.id, placed.title, placed.address,
                        placed.published_at,
                        regexp_replace(regexp_replace(
                            substr(placed.text, placed.start, {window} + 1),
                            CASE WHEN placed.start > 1 THEN '^\S*\s' ELSE '^$' END,
                            ''),
                            -- One character more than the window tells
                            -- whether the text goes on past it.
                            CASE WHEN length(substr(
                                placed.text, placed.start, {window} + 1
                            )) > {window}
                            THEN '\s\S*$' ELSE '^$' END,
                            '') AS window_text
                    FROM placed
                )
                -- `<` is hidden from the parser, as when indexing
                -- (search_index).
                SELECT kind, id, title, address, published_at,
                    ts_headline(%s::regconfig, replace(window_text, '<', %s),
                        q.query, %s)
                FROM windows, q
                """,
                [
                    self.config,
                    self.text,
                    *post_ids,
                    *page_ids,
                    passage,
                    self.config,
                    LESS_THAN,
                    headline,
                ],
            )
            rows = cursor.fetchall()
        return {
            (row[0], row[1]): (*row[:-1], row[-1].replace(LESS_THAN, "<"))
            for row in rows
        }

    def _stems(self, cursor):
        """Return the stems of the words of each included term, in order
        (None for a stop word), as blog.search_passage takes them.
        """
        # Punctuation between a phrase's words takes no place in it.
        words = [
            [word for word in term.split() if re.search(r"\w", word)]
            for term in self.included
        ]
        flat = [word for term in words for word in term]
        if not flat:
            return []
        # A word the parser splits ("x86-64") has several lexemes: the
        # longest is the whole.
        cursor.execute(
            """
            SELECT (SELECT lexeme FROM unnest(to_tsvector(%s::regconfig, w.word))
                    ORDER BY length(lexeme) DESC, lexeme LIMIT 1)
            FROM unnest(%s::text[]) WITH ORDINALITY AS w(word, n) ORDER BY w.n
            """,
            [self.config, flat],
        )
        stems = iter(row[0] for row in cursor.fetchall())
        return [[next(stems) for _word in term] for term in words]


class SqliteSearch:
    def __init__(self, query, *, now):
        self.match, self.now = query.fts5(), now
        # The included words, each on its own: what the posts are scored by
        # when the query has a phrase or an excluded term (see matches).
        # (Punctuation is no word: FTS5 finds nothing for a term of none.)
        words = [
            word
            for term in query.included
            for word in term.split()
            if re.search(r"\w", word)
        ]
        self.words = SearchQuery(query.text, tuple(words), ()).fts5()

    # The newest matching visible posts, then scored by bm25. The FTS table
    # leads (CROSS JOIN keeps that order) and hands its rows newest first;
    # each is checked against the index that covers visibility, never the
    # row.
    POSTS = f"""
        SELECT 'post' AS kind, p.id, 0 AS in_title,
            -bm25(blog_post_search, {BM25_WEIGHTS}) AS score, p.published_at
        FROM blog_post_search
        CROSS JOIN blog_post p INDEXED BY post_visibility_idx
            ON p.id = blog_post_search.rowid
        WHERE blog_post_search MATCH %s
            AND p.status = 'published' AND p.published_at <= %s
        ORDER BY blog_post_search.rowid DESC LIMIT %s
    """
    # bm25 first counts, over the whole table, the posts that have each
    # phrase of the query, excluded ones too: for a phrase that means
    # checking every post with its words (some 100 ms at 100,000 posts, the
    # newest 301 matches themselves 1 ms). Such a query finds its newest
    # matches unscored, and they are scored by their words alone, with the
    # same weights, which bm25 counts from the words' own lists.
    PHRASE_POSTS = f"""
        WITH newest AS MATERIALIZED (
            SELECT p.id, p.published_at
            FROM blog_post_search
            CROSS JOIN blog_post p INDEXED BY post_visibility_idx
                ON p.id = blog_post_search.rowid
            WHERE blog_post_search MATCH %s
                AND p.status = 'published' AND p.published_at <= %s
            ORDER BY blog_post_search.rowid DESC LIMIT %s
        )
        SELECT 'post' AS kind, newest.id, 0 AS in_title,
            -bm25(blog_post_search, {BM25_WEIGHTS}) AS score, newest.published_at
        FROM blog_post_search CROSS JOIN newest
            ON newest.id = blog_post_search.rowid
        WHERE blog_post_search MATCH %s
            AND blog_post_search.rowid >= (SELECT min(id) FROM newest)
    """

    def matches(self, *, limit):
        """Return the (kind, id) of the newest `limit` matching visible
        posts and of every matching published page, best first.

        bm25 weighs the title most and is lower for better hits.
        """
        if self.words == self.match:
            posts, params = self.POSTS, [self.match, self.now, limit]
        else:
            posts = self.PHRASE_POSTS
            params = [self.match, self.now, limit, self.words]
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT kind, id FROM (
                SELECT * FROM ({posts})
                UNION ALL
                SELECT 'page', g.id, 0, -bm25(blog_page_search, {BM25_WEIGHTS}), NULL
                FROM blog_page_search CROSS JOIN blog_page g
                    ON g.id = blog_page_search.rowid
                WHERE blog_page_search MATCH %s AND g.status = 'published'
                ) ORDER BY {RANK_ORDER}
                """,
                [*params, self.match],
            )
            return cursor.fetchall()

    def details(self, wanted):
        """Return (kind, id, title, address, date, snippet) of the `wanted`
        (kind, id) pairs, by pair: snippet() reads the text, so only for a
        page's worth.
        """
        arms, params = [], []
        for kind, table, address, date in [
            ("post", "blog_post", "slug", "doc.published_at"),
            ("page", "blog_page", "path", "NULL"),
        ]:
            ids, placeholders = _ids(wanted, kind)
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
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(arms), params)
            return {(row[0], row[1]): row for row in cursor.fetchall()}
