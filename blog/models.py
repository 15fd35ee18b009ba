import math
from datetime import datetime, timedelta
from functools import cache, lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from blog import (
    post_counts,
    rendering,
    search_index,
    search_index_queue,
    social_images,
    version_cache,
)
from blog.content_version import ContentQuerySet, ContentVersion
from blog.control_characters import validate_no_control_characters
from blog.featured_slots import FeaturedSlot
from blog.fields import origin_field, slug_field, text_or_default
from blog.first_run import FirstRun
from blog.post_counts import PostCount
from blog.site_identity import SiteIdentity
from blog.slug_redirects import SlugRedirect
from blog.slugs import free_slug

# ContentVersion, FeaturedSlot, FirstRun, PostCount, SiteIdentity and
# SlugRedirect live in modules of their own. Importing them here registers
# them with the app and keeps this the one place to import models from.
__all__ = [
    "ContentVersion",
    "FeaturedSlot",
    "FirstRun",
    "Page",
    "Post",
    "PostCount",
    "SiteIdentity",
    "SlugRedirect",
    "Tag",
]

WORDS_PER_MINUTE = 230
# Edits within this time of publication (typo fixes, a re-save) don't make a
# post "updated" for readers.
UPDATE_GRACE = timedelta(days=1)
DEFAULT_CONTINUE_TEXT = _("Continue reading")
NOT_FEATURABLE_MESSAGE = _(
    "Only a published post can be featured. Publish it first, or choose "
    "another post (in the post's own form, tick “Delete” on its featured slot)."
)


def rendered_post_fields(body, excerpt, *, post_id, post_url):
    """Return the fields made from a post's Markdown, by name: those of
    Post.RENDERED_FIELDS that migration 0005 knows (Post.render adds the
    first image's).

    Also what migrations re-render with: their models have no methods.
    """
    return _fields_of(_render(body, excerpt, post_id=post_id, post_url=post_url))


def _render(body, excerpt, *, post_id, post_url):
    return rendering.render_post(
        body,
        excerpt=excerpt,
        post_id=post_id,
        post_url=post_url,
        site_url=settings.SITE_URL,
    )


def _fields_of(rendered):
    return {
        "body_html": rendered.body_html,
        "excerpt_html": rendered.excerpt_html,
        "marker_continue_text": rendered.continue_text,
        "word_count": rendered.word_count,
        "reading_minutes": max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE)),
        "description": rendered.description,
        "feed_body_html": rendered.feed_body_html,
        "feed_excerpt_html": rendered.feed_excerpt_html,
        "search_text": rendered.text,
    }


class TagQuerySet(ContentQuerySet):
    def kept_rows(self):
        """Return (id, name, slug, description) of every tag, by name, kept
        for the content version (saving a tag bumps it).
        """
        # The queryset is built on a miss only.
        return version_cache.kept(
            "tags",
            lambda: list(
                Tag.objects.order_by("name").values_list(
                    "pk", "name", "slug", "description"
                )
            ),
        )

    def kept_index(self):
        """Return {id: (rank, name, slug)} of the kept tags, rank being the
        place in the tags' order, for tags_of().
        """
        return {
            pk: (rank, name, slug)
            for rank, (pk, name, slug, _description) in enumerate(self.kept_rows())
        }

    def with_slug(self, slug):
        """Return the tag with this slug (from kept_rows()), or None."""
        for pk, name, found, description in self.kept_rows():
            if found == slug:
                return Tag(pk=pk, name=name, slug=slug, description=description)
        return None

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

    def with_post_counts(self, now=None):
        """Annotate each tag's `post_count`: its visible posts, from the
        counts the database keeps (blog.post_counts) less its scheduled
        posts, without counting its posts.
        """
        kept = PostCount.objects.filter(
            kind=post_counts.TAG, key=Cast(OuterRef("pk"), models.CharField())
        ).values("count")[:1]
        scheduled = (
            post_counts.counted(
                Post.objects.filter(published_at__gt=now or timezone.now())
            )
            .filter(tags=OuterRef("pk"))
            .order_by()
            .values("tags")
            .annotate(scheduled=Count("pk"))
            .values("scheduled")
        )
        return self.annotate(
            post_count=Coalesce(Subquery(kept), 0) - Coalesce(Subquery(scheduled), 0)
        )


class Tag(models.Model):
    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        validators=[validate_no_control_characters],
        error_messages={"unique": _("A tag with this name already exists.")},
    )
    slug = slug_field(
        help_text=_("Leave blank to make one from the name."),
        taken_message=_("Another tag already uses this slug. Choose a different one."),
    )
    description = models.TextField(
        _("description"), blank=True, validators=[validate_no_control_characters]
    )
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
            self.slug = free_slug(self, self.name, fallback="tag")
        super().save(*args, **kwargs)
        # A renamed tag renames what its posts are found by.
        search_index_queue.index_posts(
            self.posts.values_list("pk", flat=True), using=self._state.db
        )

    def get_absolute_url(self):
        return slug_url("blog:tag_detail", self.slug)


def slug_url(name, slug):
    """Return reverse() of a route taking a slug, remembered: a list page
    asks for dozens (its posts', their tags'), and each reverse() costs tens
    of microseconds.
    """
    return remembered_reverse(name, get_script_prefix(), get_urlconf(), slug=slug)


def slug_urls(name):
    """Return slug_url() for the route `name` as a function of the slug,
    for many slugs in one request: the script prefix and URLconf are read
    once.
    """
    script_prefix, urlconf = get_script_prefix(), get_urlconf()
    return lambda slug: remembered_reverse(name, script_prefix, urlconf, slug=slug)


@lru_cache(maxsize=10_000)
def remembered_reverse(name, script_prefix, urlconf, **kwargs):
    """Return reverse(name, kwargs=kwargs), once per process for each
    route, script prefix (get_script_prefix()), URLconf (get_urlconf())
    and arguments: they are all that reverse() reads.
    """
    return reverse(name, kwargs=kwargs, urlconf=urlconf)


def archive_range(year, month=None):
    """Return (start, end) of a year, or of one month of it, in the current
    time zone. Raise ValueError for a year or month no calendar has.
    """
    start = datetime(year, 1 if month is None else month, 1)
    if month is None:
        end = datetime(year + 1, 1, 1)
    else:
        end = datetime(year + month // 12, month % 12 + 1, 1)
    try:
        return timezone.make_aware(start), timezone.make_aware(end)
    except OverflowError as error:
        raise ValueError(str(error)) from error


def visible(now=None, through=""):
    """Return the condition a visible post meets, for PostQuerySet.published()
    and for queries that reach posts `through` a relation ("post__").
    """
    return Q(
        **{
            f"{through}status": Post.Status.PUBLISHED,
            f"{through}published_at__lte": now or timezone.now(),
        }
    )


class JoinedIds(models.Aggregate):
    """The ids of a group, joined by commas, on SQLite and PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def tags_of(index, joined_ids):
    """Return (name, slug) of the tags whose ids `joined_ids` joins with
    commas (PostQuerySet.with_tag_ids), in the tags' order (by name, as the
    database sorts them), from `index` (TagQuerySet.kept_index()).
    """
    ids = (joined_ids or "").split(",")
    found = sorted(index[int(pk)] for pk in ids if pk and int(pk) in index)
    return [(name, slug) for _rank, name, slug in found]


@cache
def _tag_ids():
    # Made once: building the subquery cost more than running it. Each use
    # resolves (copies) it.
    links = (
        Post.tags.through.objects.filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(ids=JoinedIds("tag_id"))
        .values("ids")
    )
    return Subquery(links)


def _featured_posts():
    # Built on a miss only: building the queryset costs as much as a kept read.
    slots = (
        FeaturedSlot.objects.select_related("post")
        .defer(*(f"post__{name}" for name in Post.LIST_SKIPS))
        .order_by("position")
    )
    return [slot.post for slot in slots]


class PostQuerySet(ContentQuerySet):
    def published(self, now=None):
        """Return the posts readers may see: published, and not in the future
        (of `now`, when a request fixes it once for all its queries).

        This is the one definition of "visible to readers": pages, feeds, the
        sitemap and every count go through it (blog.post_counts counts the
        same posts).
        """
        return self.filter(visible(now))

    def for_lists(self):
        """Return the posts without the columns a list never shows: the
        Markdown, the feed copies and the search text (most of a post's
        bytes).
        """
        return self.defer(*self.model.LIST_SKIPS, "search_text")

    def with_tag_ids(self):
        """Return the posts each with `tag_ids`, its tags' ids joined by
        commas ("" or None without tags), read in the posts' own query.
        """
        return self.annotate(tag_ids=_tag_ids())

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

    def in_featured_slots(self, now=None):
        """Return the visible posts that hold a featured slot, in slot order,
        as a list, read for a list (without LIST_SKIPS).

        The query reads the few slots and their posts by id, and leaves out
        the hidden ones here (Post.state mirrors published()): with any
        condition on the posts, SQLite's planner would walk every visible
        post to find the four.
        """
        # Kept per content version (saving a slot or a post bumps it); the
        # visibility is decided now, per request.
        posts = version_cache.kept("featured", _featured_posts)
        now = now or timezone.now()
        return [
            post
            for post in posts
            if post.status == Post.Status.PUBLISHED
            and post.published_at is not None
            and post.published_at <= now
        ]

    def published_before(self, moment, now=None):
        """Return the visible posts dated before `moment` (None: all).

        The same posts as published().filter(published_at__lt=moment), but
        with one upper bound on the date when `moment` is past: SQLite's
        planner walks the index from only one of two, and from `now` a deep
        page would walk most of the blog.
        """
        now = now or timezone.now()
        if moment is None or moment > now:
            return self.published(now)
        return self.filter(status=Post.Status.PUBLISHED, published_at__lt=moment)

    def not_featured(self):
        """Return the posts that hold no featured slot.

        A condition on the few slots' post ids, not a join: with a join to
        the slots PostgreSQL's planner expects almost no post to be left,
        and sorts the whole blog instead of walking its date index.
        """
        holders = FeaturedSlot.objects.filter(post__isnull=False).values("post_id")
        return self.exclude(pk__in=holders)

    def older_than(self, post):
        """Return the posts before `post` in the stream, nearest first."""
        # The bound on the date alone lets the database seek to the post in
        # the (status, published_at, id) index and walk from there; the id
        # only breaks ties among posts of the same moment.
        return self.filter(
            Q(published_at__lt=post.published_at) | Q(pk__lt=post.pk),
            published_at__lte=post.published_at,
        ).order_by("-published_at", "-pk")

    def newer_than(self, post):
        """Return the posts after `post` in the stream, nearest first."""
        return self.filter(
            Q(published_at__gt=post.published_at) | Q(pk__gt=post.pk),
            published_at__gte=post.published_at,
        ).order_by("published_at", "pk")

    def with_neighbours(self, now):
        """Annotate each post with the title and slug of the posts before
        and after it in the stream (`older_title`, `older_slug`,
        `newer_title`, `newer_slug`; None at either end), read in its own
        query: each is a seek in the (status, published_at, id) index.

        Only what the links show, never the neighbours' bodies. The older
        posts of a visible post are visible; the newer ones are bounded by
        `now`.
        """
        published = Post.objects.filter(status=Post.Status.PUBLISHED)
        at, pk = OuterRef("published_at"), OuterRef("pk")
        older = published.filter(
            Q(published_at__lt=at) | Q(pk__lt=pk), published_at__lte=at
        ).order_by("-published_at", "-pk")
        newer = published.filter(
            Q(published_at__gt=at) | Q(pk__gt=pk),
            published_at__gte=at,
            published_at__lte=now,
        ).order_by("published_at", "pk")
        return self.annotate(
            **{
                f"{side}_{field}": Subquery(posts.values(field)[:1])
                for side, posts in (("older", older), ("newer", newer))
                for field in ("title", "slug")
            }
        )

    def formerly_at(self, slug):
        """Return the posts that once had this slug and have another now.

        Slug history (blog.slug_redirects): their old URL redirects to them.
        """
        return self.filter(redirects__old_slug=slug).exclude(slug=slug)

    def in_archive(self, year, month=None):
        """Return the posts published in a year, or in one month of it, in
        the current time zone.

        Raise ValueError for a year or month no calendar has.
        """
        start, end = archive_range(year, month)
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

    def featurable(self):
        """Return the posts that may hold a featured slot (see
        Post.check_featurable): published ones, scheduled included.
        """
        return self.filter(status=Post.Status.PUBLISHED)


class Post(models.Model):
    class Status(models.TextChoices):
        """What the author chose, as stored. A published post dated in the
        future is scheduled: `State` says what readers get.
        """

        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class State(models.TextChoices):
        """Where a post stands for readers, from its status and date.

        PUBLISHED means visible, as in `Post.objects.published()`.
        """

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_control_characters]
    )
    slug = slug_field(
        help_text=_("The last part of the post's URL. Leave blank to use the title."),
        taken_message=_("Another post already uses this slug. Choose a different one."),
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
    continue_text = text_or_default(
        _("continue link text"), default=DEFAULT_CONTINUE_TEXT
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
    # The link text a <!--more Keep reading--> marker sets.
    marker_continue_text = models.CharField(editable=False, blank=True, max_length=100)
    # The opening as plain text, for meta descriptions, OpenGraph and JSON-LD.
    description = models.TextField(editable=False, blank=True)
    # The HTML with every href and src absolute, for feed readers.
    feed_body_html = models.TextField(editable=False, blank=True)
    feed_excerpt_html = models.TextField(editable=False, blank=True)
    # The body as plain text: what search finds and quotes (blog.search).
    search_text = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    reading_minutes = models.PositiveIntegerField(editable=False, default=0)
    # When the stored HTML last changed without an edit (rerender_posts), so
    # feeds can tell readers their copy is stale.
    rendered_at = models.DateTimeField(editable=False, null=True)
    # Where an imported post came from ("wordpress:<blog URL>:<id>"), so
    # that importing the same file again updates it instead of adding a copy;
    # "demo:..." for the demo blog's posts.
    origin = origin_field()

    # Sharing (og:image): the author's image, else the body's first image,
    # else the site's default (blog.social_images).
    social_image = models.ImageField(
        _("social image"),
        upload_to=social_images.upload_to,
        blank=True,
        width_field="social_image_width",
        height_field="social_image_height",
        help_text=_(
            "Shown when the post is shared (og:image); 1200×630 suits most "
            "sites. Blank means the first image of the post, else the site's "
            "default."
        ),
    )
    social_image_width = models.PositiveIntegerField(
        editable=False, null=True, blank=True
    )
    social_image_height = models.PositiveIntegerField(
        editable=False, null=True, blank=True
    )
    # Found on every save, with its size when it is one of the site's files.
    first_image_url = models.TextField(editable=False, blank=True)
    first_image_width = models.PositiveIntegerField(editable=False, null=True)
    first_image_height = models.PositiveIntegerField(editable=False, null=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            # Every list, feed and older/newer link: visible posts newest
            # first is one seek and a walk, counts of a date range walk only
            # that range, and the id breaks ties as the ordering does.
            models.Index(
                fields=["status", "-published_at", "-id"],
                name="post_status_published_id_idx",
            ),
            # Search joins each hit to its post's visibility by id: this
            # covers it, where SQLite would otherwise read past the body.
            models.Index(
                fields=["id", "status", "published_at"], name="post_visibility_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = free_slug(self, self.title, fallback="post")
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        # The row and its rendered HTML land together or not at all.
        with transaction.atomic(using=kwargs.get("using")):
            # What the index holds now: outside a request an unchanged text
            # is not indexed again (inside one it is, after the response).
            using = kwargs.get("using") or router.db_for_write(Post, instance=self)
            indexed = search_index_queue.stored_source(self, using=using)
            super().save(*args, **kwargs)
            # After the insert: ids in the HTML carry the post's id.
            self.render()
            posts = Post.objects.using(self._state.db)
            posts.filter(pk=self.pk).update(**self.rendered_fields())
            if search_index.needs_indexing(self, indexed):
                search_index_queue.index_posts([self.pk], using=self._state.db)

    # What lists (index, tag, archive pages) leave unread.
    LIST_SKIPS = ("body", "excerpt", "feed_body_html", "feed_excerpt_html")

    RENDERED_FIELDS = (
        "body_html",
        "excerpt_html",
        "marker_continue_text",
        "word_count",
        "reading_minutes",
        "description",
        "feed_body_html",
        "feed_excerpt_html",
        "first_image_url",
        "first_image_width",
        "first_image_height",
        "search_text",
    )

    def get_absolute_url(self):
        return slug_url("blog:post_detail", self.slug)

    def render(self):
        """Fill the stored HTML and counts from the Markdown fields."""
        rendered = _render(
            self.body, self.excerpt, post_id=self.pk, post_url=self.get_absolute_url()
        )
        fields = _fields_of(rendered)
        fields["first_image_url"] = rendered.first_image_url
        (
            fields["first_image_width"],
            fields["first_image_height"],
        ) = social_images.stored_image_size(rendered.first_image_url)
        for name, value in fields.items():
            setattr(self, name, value)

    def rendered_fields(self):
        """Return the stored HTML and counts, by field name."""
        return {field: getattr(self, field) for field in self.RENDERED_FIELDS}

    @property
    def continue_url(self):
        """Return the post page's address at the cut, where the excerpt ends."""
        return f"{self.get_absolute_url()}#more-{self.pk}"

    @property
    def continue_link_text(self):
        """Return the marker's text, else the author's, else the default."""
        return self.marker_continue_text or self.continue_text or DEFAULT_CONTINUE_TEXT

    @property
    def was_updated(self):
        """Return whether the post changed meaningfully after publication."""
        if self.published_at is None or self.updated_at is None:
            return False
        since = max(self.published_at, self.created_at or self.published_at)
        return self.updated_at - since > UPDATE_GRACE

    @property
    def state(self):
        """Return the post's `State`: draft, scheduled or published."""
        if self.status == self.Status.DRAFT:
            return self.State.DRAFT
        if self.published_at is not None and self.published_at <= timezone.now():
            return self.State.PUBLISHED
        return self.State.SCHEDULED

    def check_featurable(self):
        """Raise ValidationError unless this post may hold a featured slot.

        The one rule for featuring, with its one message; the admin's post
        picker asks PostQuerySet.featurable() for the same posts.
        """
        if self.status != self.Status.PUBLISHED:
            raise ValidationError(NOT_FEATURABLE_MESSAGE, code="not_featurable")


# The search index follows tags and deletions. Signals, not methods: the
# admin's bulk delete and tags.set() call no method of the model.
@receiver(m2m_changed, sender=Post.tags.through)
def index_retagged_posts(sender, instance, action, reverse, pk_set, using, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        search_index_queue.index_posts([instance.pk], using=using)
    elif action == "post_clear":
        # The links are gone: the tag's posts were noted before (pre_clear).
        search_index_queue.index_posts(
            getattr(instance, "cleared_post_ids", ()), using=using
        )
    else:
        search_index_queue.index_posts(pk_set, using=using)


@receiver(m2m_changed, sender=Post.tags.through)
def note_posts_of_cleared_tag(sender, instance, action, reverse, **kwargs):
    if reverse and action == "pre_clear":
        instance.cleared_post_ids = list(instance.posts.values_list("pk", flat=True))


@receiver(pre_delete, sender=Tag)
def note_posts_of_deleted_tag(sender, instance, **kwargs):
    instance.cleared_post_ids = list(instance.posts.values_list("pk", flat=True))


@receiver(post_delete, sender=Tag)
def index_posts_of_deleted_tag(sender, instance, using, **kwargs):
    search_index_queue.index_posts(instance.cleared_post_ids, using=using)


@receiver(post_delete, sender=Post)
def forget_deleted_post(sender, instance, using, **kwargs):
    # Its id leaves the index (blog.search_index).
    search_index_queue.index_posts([instance.pk], using=using)


# Page shares Post.Status, so it is imported once Post exists.
from blog.pages import Page  # noqa: E402
