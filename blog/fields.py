"""Field shapes that several models share."""

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from blog.control_characters import validate_no_control_characters
from blog.slugs import SLUG_MAX_LENGTH


def slug_field(*, help_text, taken_message):
    """Return a unique slug field, in any script, filled in when left blank."""
    return models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=help_text,
        error_messages={"unique": taken_message},
    )


def text_or_default(verbose_name, *, default):
    """Return a short optional text field whose blank value means `default`."""
    return models.CharField(
        verbose_name,
        max_length=100,
        blank=True,
        validators=[validate_no_control_characters],
        help_text=format_lazy(_('Blank means "{}".'), default),
    )


def origin_field():
    """Return the optional, unique mark of where an imported row came from."""
    return models.CharField(
        _("origin"),
        max_length=300,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Where an imported row came from; blank for rows written here."),
    )
