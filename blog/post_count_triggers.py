"""The database triggers that keep blog.post_counts.PostCount exact.

A trigger runs in the writing statement's own transaction, whatever wrote
the row: Post.save(), a queryset's update() or delete(), bulk_create() (the
importers, the benchmark's generator), the admin's actions. So the counts
are never a write behind, and no code path can forget them.

A post is counted when its status is published and it has a date; the
counts are of such posts per UTC month, per tag and per
tag and UTC month of `published_at`, and per
tag. Readers subtract the scheduled ones, which are few and all in the
future (blog.post_counts).

`install(connection)` (re)creates the triggers and recounts from scratch. It
runs after every `migrate` (blog.apps): SQLite drops a table's triggers when
a migration rebuilds the table, so each migration run puts them back.
"""

COUNTED = "{row}.status = 'published' AND {row}.published_at IS NOT NULL"

# SQLite stores an aware datetime as UTC text, 'YYYY-MM-DD HH:MM:SS...'.
SQLITE_MONTH = "substr({row}.published_at, 1, 7)"
POSTGRES_MONTH = "to_char({row}.published_at AT TIME ZONE 'UTC', 'YYYY-MM')"

UPSERT = (
    "INSERT INTO blog_postcount (kind, key, count) {values} "
    "ON CONFLICT (kind, key) DO UPDATE SET count = blog_postcount.count + "
    "excluded.count"
)

TRIGGER_NAMES = [
    "blog_post_count_insert",
    "blog_post_count_delete",
    "blog_post_count_update",
    "blog_post_tag_count_insert",
    "blog_post_tag_count_delete",
]


def _changes(row, delta, month):
    """Return statements adding `delta` for a post `row` (NEW or OLD) to
    its month and its tags, when it is counted.
    """
    counted = COUNTED.format(row=row)
    month = month.format(row=row)
    return [
        UPSERT.format(values=f"SELECT 'month', {month}, {delta} WHERE {counted}"),
        UPSERT.format(
            values=f"SELECT 'tag', CAST(tag_id AS TEXT), {delta} "
            f"FROM blog_post_tags WHERE post_id = {row}.id AND {counted}"
        ),
        UPSERT.format(
            values=f"SELECT 'tagmonth', CAST(tag_id AS TEXT) || ':' || {month}, "
            f"{delta} FROM blog_post_tags WHERE post_id = {row}.id AND {counted}"
        ),
    ]


def _tag_link_change(row, delta, month):
    source = f"FROM blog_post WHERE blog_post.id = {row}.post_id AND " + COUNTED.format(
        row="blog_post"
    )
    month = month.format(row="blog_post")
    return [
        UPSERT.format(
            values=f"SELECT 'tag', CAST({row}.tag_id AS TEXT), {delta} {source}"
        ),
        UPSERT.format(
            values=f"SELECT 'tagmonth', CAST({row}.tag_id AS TEXT) || ':' || "
            f"{month}, {delta} {source}"
        ),
    ]


# Only a change of status or date moves a post between counts.
MOVED = "OLD.status IS NOT NEW.status OR OLD.published_at IS NOT NEW.published_at"


def sqlite_statements():
    def trigger(name, event, body, when="1"):
        statements = "".join(f"{statement};\n" for statement in body)
        return (
            f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW WHEN {when}\n"
            f"BEGIN\n{statements}END"
        )

    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES),
        # A post's tags are linked after its insert and unlinked before its
        # delete (Django deletes the links first): the link triggers count
        # them, the post's own triggers only its month.
        trigger(
            "blog_post_count_insert",
            "INSERT ON blog_post",
            _changes("NEW", 1, SQLITE_MONTH)[:1],
        ),
        trigger(
            "blog_post_count_delete",
            "DELETE ON blog_post",
            _changes("OLD", -1, SQLITE_MONTH)[:1],
        ),
        trigger(
            "blog_post_count_update",
            "UPDATE OF status, published_at ON blog_post",
            [*_changes("OLD", -1, SQLITE_MONTH), *_changes("NEW", 1, SQLITE_MONTH)],
            when=MOVED,
        ),
        trigger(
            "blog_post_tag_count_insert",
            "INSERT ON blog_post_tags",
            _tag_link_change("NEW", 1, SQLITE_MONTH),
        ),
        trigger(
            "blog_post_tag_count_delete",
            "DELETE ON blog_post_tags",
            _tag_link_change("OLD", -1, SQLITE_MONTH),
        ),
    ]


def postgresql_statements():
    def function(name, body):
        statements = "".join(f"  {statement};\n" for statement in body)
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$\nBEGIN\n{statements}  RETURN NULL;\nEND\n$$"
        )

    def trigger(name, event, table, when=None):
        condition = f" WHEN ({when})" if when else ""
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW"
            f"{condition} EXECUTE FUNCTION {name}()",
        ]

    month = POSTGRES_MONTH
    return [
        function("blog_post_count_insert", _changes("NEW", 1, month)[:1]),
        function("blog_post_count_delete", _changes("OLD", -1, month)[:1]),
        function(
            "blog_post_count_update",
            [*_changes("OLD", -1, month), *_changes("NEW", 1, month)],
        ),
        function("blog_post_tag_count_insert", _tag_link_change("NEW", 1, month)),
        function("blog_post_tag_count_delete", _tag_link_change("OLD", -1, month)),
        *trigger("blog_post_count_insert", "INSERT", "blog_post"),
        *trigger("blog_post_count_delete", "DELETE", "blog_post"),
        *trigger(
            "blog_post_count_update",
            "UPDATE OF status, published_at",
            "blog_post",
            when=MOVED.replace(" IS NOT ", " IS DISTINCT FROM "),
        ),
        *trigger("blog_post_tag_count_insert", "INSERT", "blog_post_tags"),
        *trigger("blog_post_tag_count_delete", "DELETE", "blog_post_tags"),
    ]


def recount_statements(vendor):
    month = (SQLITE_MONTH if vendor == "sqlite" else POSTGRES_MONTH).format(
        row="blog_post"
    )
    counted = COUNTED.format(row="blog_post")
    return [
        "DELETE FROM blog_postcount",
        "INSERT INTO blog_postcount (kind, key, count) "
        f"SELECT 'month', {month}, COUNT(*) FROM blog_post WHERE {counted} "
        f"GROUP BY {month}",
        "INSERT INTO blog_postcount (kind, key, count) "
        "SELECT 'tag', CAST(blog_post_tags.tag_id AS TEXT), COUNT(*) "
        "FROM blog_post_tags JOIN blog_post ON blog_post.id = blog_post_tags.post_id "
        f"WHERE {counted} GROUP BY blog_post_tags.tag_id",
        "INSERT INTO blog_postcount (kind, key, count) "
        f"SELECT 'tagmonth', CAST(blog_post_tags.tag_id AS TEXT) || ':' || {month}, "
        "COUNT(*) FROM blog_post_tags JOIN blog_post ON blog_post.id = "
        f"blog_post_tags.post_id WHERE {counted} "
        f"GROUP BY blog_post_tags.tag_id, {month}",
    ]


# A tag's posts straight from the index, without reading the link rows
# (Django's own index on tag_id holds only the row's id). The link table is
# Django's, so the index is made here, with the triggers.
TAG_POSTS_INDEX = (
    "CREATE INDEX IF NOT EXISTS blog_post_tags_tag_post_idx "
    "ON blog_post_tags (tag_id, post_id)"
)


def install(connection):
    """(Re)create the triggers on `connection`'s database and recount."""
    vendor = connection.vendor
    if vendor == "sqlite":
        statements = sqlite_statements()
    elif vendor == "postgresql":
        statements = postgresql_statements()
    else:
        raise NotImplementedError(f"No post count triggers for {vendor}.")
    with connection.cursor() as cursor:
        for statement in [TAG_POSTS_INDEX, *statements, *recount_statements(vendor)]:
            cursor.execute(statement)


def uninstall(connection):
    """Drop the triggers (and their functions on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS blog_post_tags_tag_post_idx")
        for name in TRIGGER_NAMES:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}() CASCADE")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def uninstall_before_migrate(using, **kwargs):
    """pre_migrate, on SQLite: drop the triggers while migrations run. A
    migration that rebuilds blog_post drops that table for a moment, and
    SQLite then refuses the statement because the post-tag triggers name
    it. install_after_migrate puts them back and recounts.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in TRIGGER_NAMES:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_after_migrate(using, **kwargs):
    """post_migrate: put the triggers back once the table exists (a
    migration that rebuilds blog_post on SQLite drops them).
    """
    from django.db import connections

    connection = connections[using]
    # Only SQLite loses them: PostgreSQL alters tables in place, and its
    # triggers are installed by migration 0012. There a migrate inside a
    # transaction that wrote posts (a test) could not even create the index:
    # "pending trigger events".
    if connection.vendor != "sqlite":
        return
    if "blog_postcount" in connection.introspection.table_names():
        install(connection)
