"""Featured slots: the ordered places at the top of the index."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.content_version import ContentQuerySet
from blog.fields import text_or_default

DEFAULT_LABEL = _("Featured post")


class FeaturedSlot(models.Model):
    position = models.PositiveSmallIntegerField(
        _("position"),
        unique=True,
        validators=[MinValueValidator(1, _("Positions start at 1. Choose 1 or more."))],
        error_messages={
            "unique": _(
                "Another post already holds this position. Choose a free "
                "position, or move that post first."
            )
        },
    )
    post = models.OneToOneField(
        "blog.Post",
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="featured_slot",
        error_messages={
            "unique": _(
                "This post is already featured in another slot. A post holds at "
                "most one slot."
            )
        },
    )
    label = text_or_default(_("label"), default=DEFAULT_LABEL)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("featured slot")
        verbose_name_plural = _("featured slots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position__gte=1), name="featured_position_gte_1"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.post}"

    def clean(self):
        post = getattr(self, "post", None)
        if post is not None:
            try:
                post.check_featurable()
            except ValidationError as error:
                raise ValidationError({"post": error}) from error

    @property
    def display_label(self):
        return self.label or DEFAULT_LABEL
