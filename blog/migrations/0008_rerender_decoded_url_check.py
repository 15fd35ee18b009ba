"""Re-render every post and page: the sanitizer now judges each link and
image address once entities are decoded, so a stored `javascript&colon;`
link (which bleach took for a relative address) goes.
"""

from importlib import import_module

from django.db import migrations

# The same re-rendering as when the pipeline moved to CommonMark.
rerender = import_module("blog.migrations.0005_post_description_and_feed_html")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0007_refuse_control_characters"),
    ]

    operations = [
        migrations.RunPython(rerender.rerender_posts, migrations.RunPython.noop),
        migrations.RunPython(rerender.rerender_pages, migrations.RunPython.noop),
    ]
