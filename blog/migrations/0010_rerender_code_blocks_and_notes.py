"""Re-render every post and page: code blocks now carry their language's
label and scroll sideways (a focusable `pre`), and a post's notes sit under
a small "Notes" heading instead of a rule.
"""

from importlib import import_module

from django.db import migrations

# The same re-rendering as when the pipeline moved to CommonMark.
rerender = import_module("blog.migrations.0005_post_description_and_feed_html")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0009_first_run_and_social_images"),
    ]

    operations = [
        migrations.RunPython(rerender.rerender_posts, migrations.RunPython.noop),
        migrations.RunPython(rerender.rerender_pages, migrations.RunPython.noop),
    ]
