from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from django.conf import settings
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections
        from django.db.models.signals import post_migrate, pre_migrate
        from PIL import Image

        from blog import (
            content_changes,
            post_count_triggers,
            search_index,
            search_index_queue,
        )

        # Every write readers could see bumps the content version.
        content_changes.connect()
        # SQLite drops triggers when a migration rebuilds a table, and
        # refuses to rebuild blog_post while the post-tag triggers name it:
        # the post counts' triggers are dropped before every migrate, and
        # installed again, with the counts made again, after it.
        pre_migrate.connect(post_count_triggers.uninstall_before_migrate, sender=self)
        post_migrate.connect(post_count_triggers.install_after_migrate, sender=self)
        # A flush empties the models' tables, not SQLite's full-text ones.
        post_migrate.connect(search_index.empty_after_flush, sender=self)
        # Inside a request the index is written after the response, before
        # Django closes the request's connections (close_old_connections,
        # connected when django.db was imported, is moved after it): the
        # write uses the request's connection, not a new one.
        request_started.connect(search_index_queue.open_queue)
        request_finished.disconnect(close_old_connections)
        request_finished.connect(search_index_queue.write_queued)
        request_finished.connect(close_old_connections)

        # Pillow's own decompression-bomb limit, which also guards every
        # frame header it reads, is Inkwell's: it warns past it (the upload
        # check turns the warning into a refusal) and fails past twice it.
        Image.MAX_IMAGE_PIXELS = settings.INKWELL_IMAGE_MAX_PIXELS

        from blog.revisions import register_models

        register_models()
