"""Which writes readers could see, and so bump the content version.

Every model of the blog app (a new one included, without a line here), the
old addresses of django.contrib.redirects and the user model (an author's
name is in the feeds): each save, delete and change of a many-to-many
relation bumps, inside the write's transaction. Bulk writes send no signal:
see blog.content_version.ContentQuerySet and the importers.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import connections
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from blog import content_version
from blog.content_version import ContentQuerySet, ContentVersion

# Changes to a user that readers never see: logging in.
UNSEEN_USER_FIELDS = frozenset({"last_login"})
M2M_WRITES = frozenset({"post_add", "post_remove", "post_clear"})


def connect():
    """Connect the receivers, per model: a receiver for every sender would
    make Django's bulk deletes of unrelated models (sessions, login
    attempts) fetch and signal each row.
    """
    for model in reader_visible_models():
        uid = f"content-version-{model._meta.label_lower}"
        post_save.connect(bump_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_on_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump_on_m2m_change,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )
    post_migrate.connect(
        bump_after_migrate,
        sender=apps.get_app_config("blog"),
        dispatch_uid="content-version-migrate",
    )


def reader_visible_models():
    blog_models = [
        model
        for model in apps.get_app_config("blog").get_models()
        if model is not ContentVersion
    ]
    return [
        *blog_models,
        apps.get_model("redirects", "Redirect"),
        apps.get_model(settings.AUTH_USER_MODEL),
    ]


def bump_on_save(sender, update_fields=None, **kwargs):
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if sender is user_model and update_fields and update_fields <= UNSEEN_USER_FIELDS:
        return
    content_version.bump()


def bump_on_delete(sender, **kwargs):
    content_version.bump()


def bump_on_m2m_change(sender, action, **kwargs):
    if action in M2M_WRITES:
        content_version.bump()


def bump_after_migrate(using, **kwargs):
    # A migration may have rewritten what readers see (a re-rendering), and
    # a flush empties the table; migrating back may have dropped it.
    if ContentVersion._meta.db_table in connections[using].introspection.table_names():
        content_version.bump()


@checks.register()
def check_bulk_writes_bump(app_configs, **kwargs):
    """A blog model whose querysets' bulk writes would not bump is an error:
    an update() on it would leave readers a stale page.
    """
    return [
        checks.Error(
            f"{model._meta.label}'s manager does not bump the content version "
            "on bulk writes.",
            hint="Give it `objects = ContentQuerySet.as_manager()` (or a "
            "queryset that inherits ContentQuerySet), from "
            "blog.content_version.",
            obj=model,
            id="inkwell.E001",
        )
        for model in reader_visible_models()
        if model._meta.app_label == "blog"
        and not issubclass(model._default_manager._queryset_class, ContentQuerySet)
    ]
