"""Standalone pages (About, Now, Uses): outside the stream of posts, at
/<path>/, in the site header's navigation when marked so.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField

from blog import (
    content_version,
    old_addresses,
    rendering,
    search_index,
    search_index_queue,
)
from blog.control_characters import validate_no_control_characters
from blog.fields import origin_field
from blog.models import Post
from blog.reserved_paths import is_reserved
from blog.slugs import SLUG_MAX_LENGTH, slug_from_title, unique_slug

PAGE_PATH_MAX_LENGTH = 1000


def rendered_page_fields(body, *, page_id, page_url):
    """Return Page.RENDERED_FIELDS made from a page's Markdown, by name.

    Also what migrations re-render with: their models have no methods.
    """
    rendered = rendering.render_post(
        body, post_id=f"page-{page_id}", post_url=page_url, site_url=settings.SITE_URL
    )
    return {
        "body_html": rendered.body_html,
        "word_count": rendered.word_count,
        "description": rendered.description,
        "search_text": rendered.text,
    }


class PageQuerySet(content_version.ContentQuerySet):
    def published(self):
        """Return the pages readers may see.

        This is the one definition of a visible page: the page view, the
        navigation and the sitemap go through it. A page's own status
        decides, whatever its parent's.
        """
        return self.filter(status=Page.Status.PUBLISHED)

    def in_navigation(self):
        """Return the visible pages the site header lists, in their order."""
        return (
            self.published()
            .filter(show_in_navigation=True)
            .order_by("navigation_order", "title", "pk")
        )


class Page(models.Model):
    """A standalone page (About, Now, Uses) outside the stream of posts.

    It answers at `/<path>/`, where the path is its slug after its parent's
    path (`about/team`), and is stored so a request finds it in one query.
    """

    # A page is a draft or published, as a post is; it is never scheduled.
    Status = Post.Status

    title = models.CharField(
        _("title"), max_length=200, validators=[validate_no_control_characters]
    )
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        allow_unicode=True,
        blank=True,
        help_text=_("The last part of the page's URL. Leave blank to use the title."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent page"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_(
            "Optional. A page under a parent answers at /parent/slug/. Move or "
            "delete its subpages before deleting a parent."
        ),
    )
    body = MarkdownxField(_("body"), help_text=_("Markdown."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
    )
    show_in_navigation = models.BooleanField(
        _("show in navigation"),
        default=False,
        help_text=_("List the page in the site header once it is published."),
    )
    navigation_order = models.IntegerField(
        _("navigation order"),
        default=0,
        help_text=_("Pages with lower numbers come first in the site header."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Made from the slugs on every save: the address without its slashes.
    path = models.CharField(
        max_length=PAGE_PATH_MAX_LENGTH, unique=True, editable=False
    )
    # Made from the body by blog.rendering on every save.
    body_html = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    # The opening as plain text, for the meta description.
    description = models.TextField(editable=False, blank=True)
    # The body as plain text: what search finds and quotes (blog.search).
    search_text = models.TextField(editable=False, blank=True)
    # Where an imported page came from, as Post.origin.
    origin = origin_field()

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                slug_from_title(self.title, fallback="untitled"), self.slug_taken
            )
        old_path = getattr(self, "stored_path", None)
        self.path = self.path_for(self.slug)
        # The row and its rendered HTML land together or not at all.
        with transaction.atomic(using=kwargs.get("using")):
            # What the index holds now, as for a post.
            using = kwargs.get("using") or router.db_for_write(Page, instance=self)
            indexed = search_index_queue.stored_source(self, using=using)
            super().save(*args, **kwargs)
            # After the insert: ids in the HTML carry the page's id.
            self.render()
            pages = Page.objects.using(self._state.db)
            pages.filter(pk=self.pk).update(**self.rendered_fields())
            if search_index.needs_indexing(self, indexed):
                search_index_queue.index_pages([self.pk], using=self._state.db)
            self.stored_path = self.path
            if old_path is not None and old_path != self.path:
                # Old addresses (an import's) follow the page, in one hop.
                old_addresses.follow_move(
                    reverse("page_detail", kwargs={"path": old_path}),
                    self.get_absolute_url(),
                )
                # The subpages' addresses start with this one.
                for child in self.children.all():
                    child.save()

    RENDERED_FIELDS = ("body_html", "word_count", "description", "search_text")

    def get_absolute_url(self):
        return reverse("page_detail", kwargs={"path": self.path})

    @classmethod
    def from_db(cls, db, field_names, values):
        page = super().from_db(db, field_names, values)
        # What the row held, so that save() can tell a move.
        page.stored_path = page.__dict__.get("path")
        return page

    def clean(self):
        if self.slug:
            if self.parent_id is None and is_reserved(self.slug):
                raise ValidationError({"slug": self.reserved_slug_message()})
            if self.slug_taken(self.slug):
                raise ValidationError(
                    {
                        "slug": _(
                            "Another page under the same parent already uses "
                            "this slug. Choose a different one."
                        )
                    }
                )
        if self.parent_id is not None and self.parent_is_inside_self():
            raise ValidationError(
                {
                    "parent": _(
                        "A page cannot be inside itself or one of its own "
                        "subpages. Choose another parent."
                    )
                }
            )
        if len(self.path_for(self.slug or "x")) > PAGE_PATH_MAX_LENGTH:
            raise ValidationError(
                {
                    "slug": _(
                        "This page's address would be longer than %(max)d "
                        "characters. Choose a shorter slug or a parent "
                        "higher up."
                    )
                    % {"max": PAGE_PATH_MAX_LENGTH}
                }
            )

    def reserved_slug_message(self):
        return _(
            "The address /%(slug)s/ belongs to Inkwell's own pages, so a "
            "top-level page cannot use “%(slug)s” as its slug. Choose another "
            "slug, or put the page under a parent page."
        ) % {"slug": self.slug}

    def slug_taken(self, slug):
        """Return whether this page may not use `slug`: a sibling has it, or,
        for a top-level page, one of Inkwell's own routes starts with it.
        """
        if self.parent_id is None and is_reserved(slug):
            return True
        siblings = Page.objects.filter(parent_id=self.parent_id).exclude(pk=self.pk)
        return siblings.filter(slug=slug).exists()

    def path_for(self, slug):
        """Return the path this page has with `slug` under its parent."""
        if self.parent_id is None:
            return slug
        return f"{self.parent.path}/{slug}"

    def parent_is_inside_self(self):
        ancestor = self.parent
        while ancestor is not None:
            if self.pk is not None and ancestor.pk == self.pk:
                return True
            ancestor = ancestor.parent
        return False

    def render(self):
        """Fill the stored HTML, word count and description from the body."""
        fields = rendered_page_fields(
            self.body, page_id=self.pk, page_url=self.get_absolute_url()
        )
        for name, value in fields.items():
            setattr(self, name, value)

    def rendered_fields(self):
        """Return the stored HTML and counts, by field name."""
        return {field: getattr(self, field) for field in self.RENDERED_FIELDS}

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED


@receiver(post_delete, sender=Page)
def forget_in_search_after_delete(sender, **kwargs):
    # A signal, not Page.delete(): the admin's bulk delete skips delete().
    search_index_queue.index_pages([kwargs["instance"].pk], using=kwargs["using"])
