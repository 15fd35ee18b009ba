"""Store each post's description and feed HTML and each page's description,
and re-render every post and page on the CommonMark pipeline (markdown-it-py),
which replaced Python-Markdown.
"""

from django.db import migrations, models
from django.urls import reverse
from django.utils import timezone


def fields_of(model, fields):
    """Return those of the rendered `fields` the migration's `model` has:
    later migrations add fields (search_text) that the rendering makes.
    """
    names = {field.name for field in model._meta.fields}
    return {name: value for name, value in fields.items() if name in names}


def rerender_posts(apps, schema_editor):
    from blog.models import rendered_post_fields

    Post = apps.get_model("blog", "Post")
    now = timezone.now()
    posts = Post.objects.using(schema_editor.connection.alias).order_by("pk")
    for post in posts.iterator(chunk_size=200):
        fields = fields_of(
            Post,
            rendered_post_fields(
                post.body,
                post.excerpt,
                post_id=post.pk,
                post_url=reverse("blog:post_detail", kwargs={"slug": post.slug}),
            ),
        )
        for name, value in fields.items():
            setattr(post, name, value)
        # Feeds tell readers their copy is stale, as after rerender_posts.
        post.rendered_at = now
        post.save(update_fields=[*fields, "rendered_at"])


def rerender_pages(apps, schema_editor):
    from blog.pages import rendered_page_fields

    Page = apps.get_model("blog", "Page")
    pages = Page.objects.using(schema_editor.connection.alias).order_by("pk")
    for page in pages.iterator(chunk_size=200):
        fields = fields_of(
            Page,
            rendered_page_fields(
                page.body,
                page_id=page.pk,
                page_url=reverse("page_detail", kwargs={"path": page.path}),
            ),
        )
        for name, value in fields.items():
            setattr(page, name, value)
        page.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0004_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="post",
            name="description",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="post",
            name="feed_body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="post",
            name="feed_excerpt_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="page",
            name="description",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(rerender_posts, migrations.RunPython.noop),
        migrations.RunPython(rerender_pages, migrations.RunPython.noop),
    ]
