"""The full-text index of posts and pages, kept in step with every write.

One interface, two backends, chosen by the database in use:

- PostgreSQL: a `search_vector` tsvector column on blog_post and blog_page
  (GIN-indexed), weighted: title A, tags and excerpt B, body text C, made
  with the text search configuration of LANGUAGE_CODE.
- SQLite: an FTS5 table per model (blog_post_search, blog_page_search) with
  the columns title, tags (tags and excerpt) and body, porter-stemmed, whose
  rowid is the post's or page's id.

Neither lives in the models: the migration makes them, and only this module
and blog.search write or read them, in SQL. The index holds every post and
page, drafts included; visibility is decided when searching, so a scheduled
post needs no re-indexing when its time comes. Imports nothing of the app.
"""

from django.conf import settings
from django.db import connections

# The languages PostgreSQL stems, by the first part of LANGUAGE_CODE; any
# other language is indexed word for word ('simple').
TEXT_SEARCH_CONFIGS = {
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "nb": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
# tsvector holds at most 1 MB: longer bodies are indexed up to here (some
# 30,000 words), which also bounds the work of one snippet.
MAX_INDEXED_CHARS = 200_000
# SQLite allows 32,766 parameters a statement; stay well below.
_CHUNK = 500

# Every indexed row's tag names, one string, for the B weight / tags column.
_TAG_NAMES = {
    "postgresql": (
        "(SELECT string_agg(t.name, ' ') FROM blog_tag t JOIN blog_post_tags pt"
        " ON pt.tag_id = t.id WHERE pt.post_id = {alias}.id)"
    ),
    "sqlite": (
        "(SELECT group_concat(t.name, ' ') FROM blog_tag t JOIN blog_post_tags pt"
        " ON pt.tag_id = t.id WHERE pt.post_id = {alias}.id)"
    ),
}
TABLES = {"post": "blog_post", "page": "blog_page"}
# The columns of a post or page the index is made from, tags aside.
SOURCE_FIELDS = ("title", "description", "search_text")


def text_search_config():
    """Return the PostgreSQL text search configuration for LANGUAGE_CODE."""
    language = settings.LANGUAGE_CODE.lower().split("-")[0]
    return TEXT_SEARCH_CONFIGS.get(language, "simple")


def index_posts(ids=None, *, using="default"):
    """Index the posts with these ids again (all of them when None): each
    as its row holds it now, and the ids of deleted posts out of the index.
    """
    _index("post", ids, using)


def index_pages(ids=None, *, using="default"):
    """Index the pages with these ids again, as index_posts does posts."""
    _index("page", ids, using)


def stored_source(doc, *, using="default"):
    """Return what the index is made from that the row of `doc` (a post or
    page) holds now, or None before its insert.

    Tags aside: tagging indexes the post by itself (blog.models). Read
    before a save, so that the save indexes again only when its text
    changed (`needs_indexing`): the index is in step with the row, and
    indexing costs a parse of the whole text (or two, on SQLite).
    """
    if doc.pk is None:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(SOURCE_FIELDS)} FROM {doc._meta.db_table} "
            "WHERE id = %s",
            [doc.pk],
        )
        return cursor.fetchone()


def needs_indexing(doc, stored):
    """Return whether `doc`, as saved, holds other text than `stored`."""
    return stored is None or tuple(stored) != tuple(
        getattr(doc, name) for name in SOURCE_FIELDS
    )


def _index(kind, ids, using):
    connection = connections[using]
    write = {"postgresql": _write_vectors, "sqlite": _write_fts_rows}.get(
        connection.vendor
    )
    if write is None:
        return  # another database: no search index
    with connection.cursor() as cursor:
        if ids is None:
            write(cursor, kind, None)
            return
        for chunk in _chunks(ids):
            write(cursor, kind, chunk)


def _id_filter(column, ids):
    """Return the WHERE clause and parameters of these ids (all when None)."""
    if ids is None:
        return "TRUE", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _tags_sql(kind, vendor):
    if kind == "page":
        return "''"
    return f"coalesce({_TAG_NAMES[vendor].format(alias='doc')}, '')"


def _write_vectors(cursor, kind, ids):
    # A deleted post's vector went with its row: nothing to do for its id.
    where, params = _id_filter("doc.id", ids)
    # PostgreSQL's parser takes `<script>` in plain text for an HTML tag and
    # drops it, words and all; without the `<` it reads the words.
    cursor.execute(
        f"""
        UPDATE {TABLES[kind]} AS doc SET search_vector =
            setweight(to_tsvector(%s::regconfig, replace(doc.title, '<', ' ')), 'A')
            || setweight(to_tsvector(%s::regconfig, replace(
                {_tags_sql(kind, "postgresql")} || ' ' || doc.description,
                '<', ' ')), 'B')
            || setweight(to_tsvector(%s::regconfig, replace(
                left(doc.search_text, %s), '<', ' ')), 'C')
        WHERE {where}
        """,
        [*[text_search_config()] * 3, MAX_INDEXED_CHARS, *params],
    )


def _write_fts_rows(cursor, kind, ids):
    table = TABLES[kind]
    # By the ids, not by the rows there are: a deleted post's goes too.
    rowids, params = _id_filter("rowid", ids)
    cursor.execute(f"DELETE FROM {table}_search WHERE {rowids}", params)
    where, params = _id_filter("doc.id", ids)
    cursor.execute(
        f"""
        INSERT INTO {table}_search (rowid, title, tags, body)
        SELECT doc.id, doc.title,
            {_tags_sql(kind, "sqlite")} || ' ' || doc.description,
            substr(doc.search_text, 1, %s)
        FROM {table} AS doc WHERE {where}
        """,
        [MAX_INDEXED_CHARS, *params],
    )


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


# What the migration runs, by database: the index's storage.
CREATE_SQL = {
    "postgresql": [
        "ALTER TABLE blog_post ADD COLUMN search_vector tsvector",
        "CREATE INDEX blog_post_search_idx ON blog_post USING gin (search_vector)",
        "ALTER TABLE blog_page ADD COLUMN search_vector tsvector",
        "CREATE INDEX blog_page_search_idx ON blog_page USING gin (search_vector)",
    ],
    "sqlite": [
        f"CREATE VIRTUAL TABLE {table}_search USING fts5("
        "title, tags, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        for table in TABLES.values()
    ],
}
DROP_SQL = {
    "postgresql": [
        "ALTER TABLE blog_post DROP COLUMN search_vector",
        "ALTER TABLE blog_page DROP COLUMN search_vector",
    ],
    "sqlite": [f"DROP TABLE {table}_search" for table in TABLES.values()],
}


def empty_after_flush(sender, using, **kwargs):
    """Empty SQLite's full-text tables when the database is flushed.

    `manage.py flush` (and a test that commits, which ends with one)
    empties the models' tables but not the FTS5 tables, which are no
    model's: their rows would match the next posts, which get the same ids
    again. Flush ends with post_migrate and no migration plan; a migrate
    passes one and is left alone. (On PostgreSQL the index is a column of
    the posts and pages: flushed with them.)
    """
    connection = connections[using]
    if "plan" in kwargs or connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in TABLES.values():
            if f"{table}_search" in existing:
                cursor.execute(f"DELETE FROM {table}_search")
