"""The slug history: old slugs of posts, so their old URLs redirect.

Written by blog.services.post_save; read through
PostQuerySet.formerly_at().
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.content_version import ContentQuerySet
from blog.slugs import SLUG_MAX_LENGTH


class SlugRedirect(models.Model):
    """An old slug of a post, kept so its old URL redirects forever."""

    old_slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True
    )
    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")

    def __str__(self):
        return f"{self.old_slug} -> {self.post.slug}"
