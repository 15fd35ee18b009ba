"""Featured slots: the ordered places at the top of the index."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from blog.content_version import ContentQuerySet
from blog.fields import text_or_default

DEFAULT_LABEL = _("Featured post")


class FeaturedSlotQuerySet(ContentQuerySet):
    def next_position(self):
        """Return the position after the last slot: where a new one goes."""
        last = self.aggregate(last=models.Max("position"))["last"]
        return (last or 0) + 1

    def free_position(self):
        """Return the lowest position no slot holds."""
        taken = set(self.values_list("position", flat=True))
        return next(p for p in range(1, len(taken) + 2) if p not in taken)


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

    objects = FeaturedSlotQuerySet.as_manager()

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

    def neighbour(self, *, up):
        """Return the slot just before (up) or after this one, or None."""
        slots = FeaturedSlot.objects.exclude(pk=self.pk)
        if up:
            return (
                slots.filter(position__lt=self.position).order_by("-position").first()
            )
        return slots.filter(position__gt=self.position).order_by("position").first()

    def move(self, *, up):
        """Swap places with the slot before (up) or after this one; return
        the slot swapped with, or None at the top or bottom.

        Positions stay unique at every step: this slot waits in a free
        position while the other takes its place, all in one transaction.
        Gaps between positions stay where they were.
        """
        with transaction.atomic():
            # The positions as stored now, not as this object last saw them.
            self.refresh_from_db(fields=["position"])
            other = self.neighbour(up=up)
            if other is None:
                return None
            mine, theirs = self.position, other.position
            # Saved, not updated in bulk: whatever listens for a slot's save
            # (the page cache) hears of the move.
            self.position = FeaturedSlot.objects.free_position()
            self.save(update_fields=["position"])
            other.position = mine
            other.save(update_fields=["position"])
            self.position = theirs
            self.save(update_fields=["position"])
        return other
