"""The site's identity: its title, tagline, author and default social image,
one cached row.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from blog import content_version, social_images
from blog.control_characters import validate_no_control_characters

PLAIN_TEXT = [validate_no_control_characters]


class SiteIdentity(models.Model):
    """The blog's name and author, edited in the admin. There is one row."""

    # Plain text, shown on every page and written into the feeds.
    title = models.CharField(
        _("site title"), max_length=100, default="Inkwell", validators=PLAIN_TEXT
    )
    tagline = models.CharField(
        _("tagline"), max_length=200, blank=True, validators=PLAIN_TEXT
    )
    author_name = models.CharField(
        _("author name"), max_length=100, blank=True, validators=PLAIN_TEXT
    )
    author_bio = models.TextField(
        _("author's short bio"), blank=True, validators=PLAIN_TEXT
    )
    footer_text = models.CharField(
        _("footer text"), max_length=200, blank=True, validators=PLAIN_TEXT
    )
    # Shared (og:image) with a post that has no image, and with pages.
    default_social_image = models.ImageField(
        _("default social image"),
        upload_to=social_images.upload_to,
        blank=True,
        width_field="default_social_image_width",
        height_field="default_social_image_height",
        help_text=_(
            "Shown when a post without images, or a page, is shared "
            "(og:image); 1200×630 suits most sites."
        ),
    )
    default_social_image_width = models.PositiveIntegerField(
        editable=False, null=True, blank=True
    )
    default_social_image_height = models.PositiveIntegerField(
        editable=False, null=True, blank=True
    )

    objects = content_version.ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def for_request(cls, request):
        """Return the site's identity, read once per request however many
        parts of the response show it (with Redis each read is a round trip).
        """
        if not hasattr(request, "_site_identity"):
            request._site_identity = cls.load()
        return request._site_identity

    @classmethod
    def load(cls):
        """Return the site's identity, kept for the current content version
        with the navigation (blog.site_chrome): saving bumps the version, so
        every process sees a save at once, with or without a shared cache.
        """
        # Imported here: site_chrome reads pages, whose module imports the
        # models, which import this one.
        from blog import site_chrome

        return site_chrome.load().identity
