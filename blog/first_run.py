"""The record that a blog has been set up, and what its demo made.

`make run` loads the demo blog only into a brand-new database. Whether a
database is new cannot be told from its posts (the author may have deleted
every demo post), so the answer is this row: it exists once the blog has
been set up, with or without the demo, and it outlives the demo's removal.
It also lists the tags and files the demo made, which carry no mark of
their own, so that `remove_demo` removes exactly those.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.content_version import ContentQuerySet


class FirstRun(models.Model):
    """One row, written when the blog is first set up."""

    set_up_at = models.DateTimeField(_("set up at"), auto_now_add=True)
    demo_loaded = models.BooleanField(_("demo loaded"), default=False)
    # Ids of the tags the demo created (a tag has no origin of its own).
    demo_tag_ids = models.JSONField(default=list, blank=True)
    # Storage names of the files the demo stored under MEDIA_ROOT.
    demo_files = models.JSONField(default=list, blank=True)

    # Readers never see this row, but every blog model's bulk writes bump
    # the content version (blog.content_changes checks it): one rule, no
    # list of exceptions to keep.
    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("first run")
        verbose_name_plural = _("first run")

    def __str__(self):
        return f"Set up at {self.set_up_at:%Y-%m-%d %H:%M}"

    @classmethod
    def load(cls):
        """Return the record, or None on a blog never set up."""
        return cls.objects.filter(pk=1).first()

    @classmethod
    def record(cls, **fields):
        """Write the record (once): the blog counts as set up from now on."""
        record, _created = cls.objects.get_or_create(pk=1, defaults=fields)
        return record
