"""The full-text search index (blog.search_index): each post's and page's
plain text, the index's storage for the database in use (a GIN-indexed
tsvector column on PostgreSQL, FTS5 tables on SQLite, nothing elsewhere),
and the index of the posts and pages there already are.
"""

from django.db import migrations, models


def create_storage(apps, schema_editor):
    from blog.search_index import CREATE_SQL

    for statement in CREATE_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_storage(apps, schema_editor):
    from blog.search_index import DROP_SQL

    for statement in DROP_SQL.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def index_existing(apps, schema_editor):
    from blog import rendering, search_index

    using = schema_editor.connection.alias
    for name in ("Post", "Page"):
        model = apps.get_model("blog", name)
        rows = model.objects.using(using).order_by("pk").only("pk", "body")
        for row in rows.iterator(chunk_size=200):
            # Only the text is new: the stored HTML stays as it is.
            text = rendering.render_post(row.body, post_id=row.pk).text
            model.objects.using(using).filter(pk=row.pk).update(search_text=text)
    search_index.index_posts(using=using)
    search_index.index_pages(using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0012_post_counts_and_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="page",
            name="search_text",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddIndex(
            model_name="post",
            index=models.Index(
                fields=["id", "status", "published_at"], name="post_visibility_idx"
            ),
        ),
        migrations.RunPython(create_storage, drop_storage),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
