"""The content version (blog.content_version): one row, bumped by every
write readers could see, that keys the page cache.
"""

from django.db import migrations, models
from django.utils import timezone


def create_row(apps, schema_editor):
    content_version = apps.get_model("blog", "ContentVersion")
    post = apps.get_model("blog", "Post")
    now = timezone.now()
    upcoming = post.objects.filter(status="published", published_at__gt=now)
    content_version.objects.create(
        pk=1,
        version=1,
        changed_at=now,
        next_publication_at=upcoming.order_by("published_at")
        .values_list("published_at", flat=True)
        .first(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0010_rerender_code_blocks_and_notes"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("version", models.BigIntegerField(default=1)),
                ("changed_at", models.DateTimeField()),
                ("next_publication_at", models.DateTimeField(null=True)),
            ],
            options={"verbose_name": "content version"},
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
