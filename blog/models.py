import math
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, Q, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from blog import rendering
from blog.slugs import SLUG_MAX_LENGTH, slug_from_title, unique_slug

WORDS_PER_MINUTE = 230
# Edits within this time of publication (typo fixes, a re-save) don't make a
# post "updated" for readers.
UPDATE_GRACE = timedelta(days=1)


def rendered_fields(body, excerpt, *, post_id, post_url):
    """Return Post.RENDERED_FIELDS made from a post's Markdown, by name.

    Also what migrations re-render with: their models have no methods.
    """
    rendered = rendering.render_post(
        body,
        excerpt=excerpt,
        post_id=post_id,
        post_url=post_url,
        site_url=settings.SITE_URL,
    )
    return {
        "body_html": rendered.body_html,
        "excerpt_html": rendered.excerpt_html,
        "cut_link_text": rendered.continue_text,
        "word_count": rendered.word_count,
        "reading_minutes": max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE)),
        "description": rendered.description,
        "feed_body_html": rendered.feed_body_html,
        "feed_excerpt_html": rendered.feed_excerpt_html,
    }


class TagQuerySet(models.QuerySet):
    def with_visible_posts(self):
        """Return the tags that have visible posts, each with `post_count`
        and `last_modified_at` (the newest change to one of those posts).
        """
        # Filtering before annotating makes the aggregates use the filtered
        # join: only visible posts are counted.
        return (
            self.filter(posts__in=Post.objects.published())
            .annotate(
                post_count=Count("posts"), last_modified_at=Max("posts__updated_at")
            )
            .order_by("name")
        )


class Tag(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("A tag with this name already exists.")},
    )
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("Leave blank to make one from the name."),
        error_messages={
            "unique": _("Another tag already uses this slug. Choose a different one.")
        },
    )
    description = models.TextField(_("description"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                slug_from_title(self.name, fallback="tag"),
                lambda slug: Tag.objects.filter(slug=slug).exclude(pk=self.pk).exists(),
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("blog:tag_detail", kwargs={"slug": self.slug})


class PostQuerySet(models.QuerySet):
    def published(self):
        """Return the posts readers may see: published, and not in the future.

        This is the one definition of "visible to readers": pages, feeds, the
        sitemap and every count go through it.
        """
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def drafts(self):
        """Return the posts not yet published."""
        return self.filter(status=Post.Status.DRAFT)

    def scheduled(self):
        """Return the published posts whose time has not come yet."""
        return self.filter(
            status=Post.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def featured(self):
        """Return the posts that hold a featured slot, in slot order."""
        return (
            self.filter(featured_slot__isnull=False)
            .select_related("featured_slot")
            .order_by("featured_slot__position")
        )

    def not_featured(self):
        """Return the posts that hold no featured slot."""
        return self.filter(featured_slot__isnull=True)

    def older_than(self, post):
        """Return the posts before `post` in the stream, nearest first."""
        return self.filter(
            Q(published_at__lt=post.published_at)
            | Q(published_at=post.published_at, pk__lt=post.pk)
        ).order_by("-published_at", "-pk")

    def newer_than(self, post):
        """Return the posts after `post` in the stream, nearest first."""
        return self.filter(
            Q(published_at__gt=post.published_at)
            | Q(published_at=post.published_at, pk__gt=post.pk)
        ).order_by("published_at", "pk")

    def in_archive(self, year, month=None):
        """Return the posts published in a year, or in one month of it, in
        the current time zone.

        Raise ValueError for a year or month no calendar has.
        """
        start = datetime(year, 1 if month is None else month, 1)
        if month is None:
            end = datetime(year + 1, 1, 1)
        else:
            end = datetime(year + month // 12, month % 12 + 1, 1)
        try:
            start, end = timezone.make_aware(start), timezone.make_aware(end)
        except OverflowError as error:
            raise ValueError(str(error)) from error
        return self.filter(published_at__gte=start, published_at__lt=end)

    def archive_months(self):
        """Return one row per month that has posts, newest first: `month`
        (an aware datetime at its start, in the current time zone), `count`
        and `last_modified_at`.
        """
        return (
            self.annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(count=Count("pk"), last_modified_at=Max("updated_at"))
            .order_by("-month")
        )

    def publish(self):
        """Publish the drafts among these posts; return how many there were.

        A draft without a date is published now; one dated in the future is
        scheduled; one dated in the past (it was published before) keeps its
        date.
        """
        now = timezone.now()
        return self.drafts().update(
            status=Post.Status.PUBLISHED,
            published_at=Coalesce("published_at", Value(now)),
            updated_at=now,
        )

    def unpublish(self):
        """Turn these posts back into drafts, out of any featured slot.

        Return how many posts were unpublished and how many slots freed: a
        featured slot only ever holds a published post.
        """
        published = self.filter(status=Post.Status.PUBLISHED)
        with transaction.atomic():
            slots, _by_model = FeaturedSlot.objects.filter(post__in=published).delete()
            posts = published.update(
                status=Post.Status.DRAFT, updated_at=timezone.now()
            )
        return posts, slots


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=_("The last part of the post's URL. Leave blank to use the title."),
        error_messages={
            "unique": _("Another post already uses this slug. Choose a different one.")
        },
    )
    body = MarkdownxField(_("body"), help_text=_("Markdown."))
    excerpt = MarkdownxField(
        _("excerpt"),
        blank=True,
        help_text=_(
            "Optional Markdown shown on the index instead of the part above "
            "<!--more-->."
        ),
    )
    more_text = models.CharField(
        _("continue link text"),
        max_length=100,
        blank=True,
        help_text=_('Blank means "Continue reading".'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the post. Blank means now, on publish."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="posts"
    )

    # Made from body and excerpt by blog.rendering on every save.
    body_html = models.TextField(editable=False, blank=True)
    excerpt_html = models.TextField(editable=False, blank=True)
    cut_link_text = models.CharField(editable=False, blank=True, max_length=100)
    # The opening as plain text, for meta descriptions, OpenGraph and JSON-LD.
    description = models.TextField(editable=False, blank=True)
    # The HTML with every href and src absolute, for feed readers.
    feed_body_html = models.TextField(editable=False, blank=True)
    feed_excerpt_html = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveIntegerField(editable=False, default=0)
    # When the stored HTML last changed without an edit (rerender_posts), so
    # feeds can tell readers their copy is stale.
    rendered_at = models.DateTimeField(editable=False, null=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="post_status_published_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                slug_from_title(self.title),
                lambda slug: (
                    Post.objects.filter(slug=slug).exclude(pk=self.pk).exists()
                ),
            )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # The insert, the rendered HTML and the slug history land together
        # or not at all.
        with transaction.atomic(using=kwargs.get("using")):
            if self._state.adding:
                # Footnote ids are prefixed with the post's id, which only the
                # insert gives; render and store once it exists.
                super().save(*args, **kwargs)
                kwargs = {"using": kwargs.get("using")}
                args = ()
            self.render()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.RENDERED_FIELDS}
            super().save(*args, **kwargs)
            SlugRedirect.objects.record_slug_change(self)

    RENDERED_FIELDS = (
        "body_html",
        "excerpt_html",
        "cut_link_text",
        "word_count",
        "reading_minutes",
        "description",
        "feed_body_html",
        "feed_excerpt_html",
    )

    def get_absolute_url(self):
        return reverse("blog:post_detail", kwargs={"slug": self.slug})

    @classmethod
    def from_db(cls, db, field_names, values):
        post = super().from_db(db, field_names, values)
        # What the row held, so that save() can tell a slug change.
        post.stored_slug = post.__dict__.get("slug")
        return post

    def render(self):
        """Fill the stored HTML and counts from the Markdown fields."""
        fields = rendered_fields(
            self.body, self.excerpt, post_id=self.pk, post_url=self.get_absolute_url()
        )
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def continue_url(self):
        """Return the post page's address at the cut, where the excerpt ends."""
        return f"{self.get_absolute_url()}#more-{self.pk}"

    @property
    def continue_text(self):
        return self.cut_link_text or self.more_text or _("Continue reading")

    @property
    def was_updated(self):
        """Return whether the post changed meaningfully after publication."""
        if self.published_at is None or self.updated_at is None:
            return False
        since = max(self.published_at, self.created_at or self.published_at)
        return self.updated_at - since > UPDATE_GRACE

    @property
    def is_visible(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def publication_state(self):
        """Return "draft", "scheduled" or "published", as the admin shows it."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "published" if self.is_visible else "scheduled"


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
        Post,
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
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_('Blank means "Featured post".'),
    )

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
        if post is not None and post.status != Post.Status.PUBLISHED:
            raise ValidationError(
                {
                    "post": _(
                        "Only a published post can be featured. Publish it "
                        "first, or choose another post."
                    )
                }
            )

    @property
    def display_label(self):
        return self.label or _("Featured post")


class SlugRedirectQuerySet(models.QuerySet):
    def record_slug_change(self, post):
        """Keep the slug a saved post had before, so its old URL redirects.

        Every old slug is kept, a draft's too: a post unpublished, renamed
        and published again must still answer at the URL readers knew, and
        `post_for` never leads to a post readers cannot see. Every old slug
        points at the post itself, not at the next slug, so a chain of
        renames still takes one hop; renaming a post back to an old slug
        drops that redirect, so nothing loops.
        """
        old_slug = getattr(post, "stored_slug", None)
        post.stored_slug = post.slug
        if not old_slug or old_slug == post.slug:
            return
        self.filter(post=post, old_slug=post.slug).delete()
        # The slug's latest owner takes it: another post may have held it,
        # been renamed, and left this redirect behind.
        self.update_or_create(old_slug=old_slug, defaults={"post": post})

    def post_for(self, slug):
        """Return the visible post that once had this slug, or None.

        A draft or a scheduled post is never a redirect's target. A visible
        post that has the slug now answers for it itself, before this is
        asked.
        """
        return (
            Post.objects.published()
            .filter(redirects__old_slug=slug)
            .exclude(slug=slug)
            .first()
        )


class SlugRedirect(models.Model):
    """An old slug of a post, kept so its old URL redirects forever."""

    old_slug = models.SlugField(
        max_length=SLUG_MAX_LENGTH, unique=True, allow_unicode=True
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlugRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")

    def __str__(self):
        return f"{self.old_slug} -> {self.post.slug}"


class SiteIdentity(models.Model):
    """The blog's name and author, edited in the admin. There is one row."""

    CACHE_KEY = "blog:site-identity"
    CACHE_SECONDS = 60

    title = models.CharField(_("site title"), max_length=100, default="Inkwell")
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    author_name = models.CharField(_("author name"), max_length=100, blank=True)
    author_bio = models.TextField(_("author's short bio"), blank=True)
    footer_text = models.CharField(_("footer text"), max_length=200, blank=True)

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
    def load(cls):
        """Return the site's identity, from the cache when it is there."""
        identity = cache.get(cls.CACHE_KEY)
        if identity is None:
            identity, _created = cls.objects.get_or_create(pk=1)
            # Saving clears the shared cache; a per-process cache (no
            # REDIS_URL) catches up with another process's save within this.
            cache.set(cls.CACHE_KEY, identity, cls.CACHE_SECONDS)
        return identity
