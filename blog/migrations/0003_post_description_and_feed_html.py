"""Store each post's description and feed HTML, and re-render every post on
the CommonMark pipeline (markdown-it-py), which replaced Python-Markdown.
"""

import math

from django.conf import settings
from django.db import migrations, models
from django.urls import reverse
from django.utils import timezone

# Post.render's own rule; the historical model has no methods.
WORDS_PER_MINUTE = 230


def rerender_posts(apps, schema_editor):
    from blog.rendering import render_post

    Post = apps.get_model("blog", "Post")
    now = timezone.now()
    posts = Post.objects.using(schema_editor.connection.alias).order_by("pk")
    for post in posts.iterator(chunk_size=200):
        rendered = render_post(
            post.body,
            excerpt=post.excerpt,
            post_id=post.pk,
            post_url=reverse("blog:post_detail", kwargs={"slug": post.slug}),
            site_url=settings.SITE_URL,
        )
        post.body_html = rendered.body_html
        post.excerpt_html = rendered.excerpt_html
        post.cut_link_text = rendered.continue_text
        post.description = rendered.description
        post.feed_body_html = rendered.feed_body_html
        post.feed_excerpt_html = rendered.feed_excerpt_html
        post.word_count = rendered.word_count
        post.reading_minutes = max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE))
        # Feeds tell readers their copy is stale, as after rerender_posts.
        post.rendered_at = now
        post.save(
            update_fields=[
                "body_html",
                "excerpt_html",
                "cut_link_text",
                "description",
                "feed_body_html",
                "feed_excerpt_html",
                "word_count",
                "reading_minutes",
                "rendered_at",
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_rendered_at_and_tag_updated_at"),
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
        migrations.RunPython(rerender_posts, migrations.RunPython.noop),
    ]
