"""The site's identity: its title, tagline and author, one cached row."""

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

from blog.control_characters import validate_no_control_characters

PLAIN_TEXT = [validate_no_control_characters]


class SiteIdentity(models.Model):
    """The blog's name and author, edited in the admin. There is one row."""

    CACHE_KEY = "blog:site-identity"
    CACHE_SECONDS = 60

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

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

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
        """Return the site's identity, from the cache when it is there."""
        identity = cache.get(cls.CACHE_KEY)
        if identity is None:
            identity, _created = cls.objects.get_or_create(pk=1)
            # Saving clears the shared cache; a per-process cache (no
            # REDIS_URL) catches up with another process's save within this.
            cache.set(cls.CACHE_KEY, identity, cls.CACHE_SECONDS)
        return identity
