from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.templatetags.static import static
from django.utils.html import escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from blog import services
from blog.alt_text import missing_alt_warning
from blog.control_characters import validate_no_control_characters
from blog.forms import PageForm, PostForm
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, SlugRedirect, Tag

# The preview frame links the public site's own stylesheets, so the preview
# looks like the published page without them restyling the admin around it.
PREVIEW_STYLESHEETS = ["css/site.css", "css/pygments.css"]


class EditorWidget(AdminMarkdownxWidget):
    """django-markdownx's editor: monospace, beside a preview of the page."""

    # The preview endpoint's parameter that names the saved object.
    preview_model = "post"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-inkwell-preview-stylesheets"] = " ".join(
            static(path) for path in PREVIEW_STYLESHEETS
        )
        # Which field the preview renders: the excerpt is rendered as one.
        widget_attrs["data-inkwell-preview-field"] = name
        widget_attrs["data-inkwell-preview-model"] = self.preview_model
        return context

    class Media:
        css = {"all": ["css/editor.css"]}
        js = [
            "js/editor.js",
            "js/editor_keys.js",
            "js/editor_upload.js",
            "js/editor_drafts.js",
        ]


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date and time boxes, each with a name screen readers say:
    the admin's own have "Date:" and "Time:" beside them as bare text.
    """

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = _("Date")
        self.widgets[1].attrs["aria-label"] = _("Time")


def warn_of_missing_alt_text(request, document, *texts):
    """Warn, without blocking the save, when a published post or page has
    images that describe nothing to readers who cannot see them.
    """
    if document.status != Post.Status.PUBLISHED:
        return
    warning = missing_alt_warning(*texts)
    if warning:
        messages.warning(request, warning)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Post.State.choices

    def queryset(self, request, queryset):
        in_state = {
            Post.State.DRAFT: queryset.drafts,
            Post.State.SCHEDULED: queryset.scheduled,
            Post.State.PUBLISHED: queryset.published,
        }.get(self.value())
        return in_state() if in_state else queryset


class FeaturedSlotFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # FeaturedSlot.clean() says the same, but on the hidden post field,
        # where the admin's inline shows no error: say it for the formset.
        keeps_a_slot = any(
            form.cleaned_data and not form.cleaned_data.get("DELETE")
            for form in self.forms
        )
        if keeps_a_slot:
            self.instance.check_featurable()


class FeaturedSlotInline(admin.StackedInline):
    model = FeaturedSlot
    formset = FeaturedSlotFormSet
    fields = ["position", "label"]
    extra = 1
    verbose_name = _("featured slot")
    verbose_name_plural = _("featured slot")


class PostChangeList(ChangeList):
    def get_filters(self, request):
        # The date filter's bounds are computed outside Django's own guard: a
        # year such as 99999999999999999999 or 9999 overflows a date and
        # answered 500. Treat it as any other bad filter: the list reloads
        # without it (?e=1).
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        # A page of the list shows none of the (long) Markdown and HTML.
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer("body", "excerpt", "body_html", "excerpt_html")
        )


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostForm
    fieldsets = [
        (None, {"fields": ["title", "slug", "body"]}),
        (
            _("Excerpt"),
            {
                "fields": ["excerpt", "continue_text"],
                # The admin does not escape descriptions or help texts.
                "description": escape(
                    _(
                        "The index shows a post whole, unless its body has a "
                        "<!--more--> cut or it has an excerpt here."
                    )
                ),
            },
        ),
        (_("Publishing"), {"fields": ["status", "published_at", "tags", "author"]}),
    ]
    readonly_fields = ["author"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    formfield_overrides = {
        MarkdownxField: {"widget": EditorWidget},
        models.DateTimeField: {"widget": LabelledSplitDateTime},
    }

    class Media:
        # On the list too: editor_drafts.js removes the draft the editor kept
        # once the save succeeded; the others fix what axe finds in the
        # admin's own pages.
        css = {"all": ["css/admin_accessibility.css"]}
        js = ["js/editor_drafts.js", "js/admin_accessibility.js"]

    inlines = [FeaturedSlotInline]
    list_display = [
        "title",
        "state",
        "published_at",
        "featured_position",
        "tag_names",
        "view_on_site_link",
    ]
    list_filter = [PublicationStateFilter, "tags"]
    search_fields = ["title", "slug", "body"]
    date_hierarchy = "published_at"
    actions = ["publish", "unpublish"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and "<!--" in str(field.help_text):
            # Shown unescaped, the marker would be an invisible HTML comment.
            field.help_text = escape(field.help_text)
        return field

    def get_changelist(self, request, **kwargs):
        return PostChangeList

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("featured_slot")
            .prefetch_related("tags")
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if request.GET.get("model_name") == "featuredslot":
            # The featured slot's post picker offers only posts it may hold.
            queryset = queryset.featurable()
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        services.post_save(post=obj)
        warn_of_missing_alt_text(request, obj, obj.body, obj.excerpt)

    @admin.display(description=_("status"), ordering="status")
    def state(self, post):
        return post.state.label

    @admin.display(description=_("featured"), ordering="featured_slot__position")
    def featured_position(self, post):
        try:
            return post.featured_slot.position
        except FeaturedSlot.DoesNotExist:
            return None

    @admin.display(description=_("tags"))
    def tag_names(self, post):
        return ", ".join(tag.name for tag in post.tags.all())

    @admin.display(description=_("on site"))
    def view_on_site_link(self, post):
        # A draft's or a scheduled post's address opens the staff preview.
        is_published = post.state == Post.State.PUBLISHED
        label = _("View") if is_published else _("Preview")
        return format_html('<a href="{}">{}</a>', post.get_absolute_url(), label)

    @admin.action(description=_("Publish selected posts"), permissions=["change"])
    def publish(self, request, queryset):
        count = services.post_publish(posts=queryset)
        if not count:
            self.message_user(
                request,
                _("The selected posts were already published; nothing changed."),
                messages.WARNING,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d post was published (or scheduled, if dated in the future).",
                "%(count)d posts were published (or scheduled, if dated in the "
                "future).",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected posts"), permissions=["change"])
    def unpublish(self, request, queryset):
        posts, slots = services.post_unpublish(posts=queryset)
        if not posts:
            self.message_user(
                request,
                _("The selected posts were already drafts; nothing changed."),
                messages.WARNING,
            )
            return
        message = ngettext(
            "%(count)d post is a draft again; readers no longer see it.",
            "%(count)d posts are drafts again; readers no longer see them.",
            posts,
        ) % {"count": posts}
        if slots:
            message += " " + ngettext(
                "%(count)d featured slot was freed.",
                "%(count)d featured slots were freed.",
                slots,
            ) % {"count": slots}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(FeaturedSlot)
class FeaturedSlotAdmin(admin.ModelAdmin):
    list_display = ["position", "post", "label"]
    list_display_links = ["position", "post"]
    list_select_related = ["post"]
    ordering = ["position"]
    autocomplete_fields = ["post"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "post", "created_at"]
    list_select_related = ["post"]
    search_fields = ["old_slug", "post__title", "post__slug"]
    raw_id_fields = ["post"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class PageEditorWidget(EditorWidget):
    preview_model = "page"


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageForm
    fieldsets = [
        (None, {"fields": ["title", "slug", "parent", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "show_in_navigation", "navigation_order"]},
        ),
    ]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    formfield_overrides = {MarkdownxField: {"widget": PageEditorWidget}}

    class Media:
        # As PostAdmin's.
        css = {"all": ["css/admin_accessibility.css"]}
        js = ["js/editor_drafts.js", "js/admin_accessibility.js"]

    list_display = [
        "title",
        "address",
        "status",
        "show_in_navigation",
        "navigation_order",
    ]
    list_filter = ["status", "show_in_navigation"]
    search_fields = ["title", "slug", "body"]

    @admin.display(description=_("address"), ordering="path")
    def address(self, page):
        return format_html(
            '<a href="{}">{}</a>', page.get_absolute_url(), page.get_absolute_url()
        )


class AuthorChangeForm(UserChangeForm):
    """Django's user form, where a name (published on pages and in feeds)
    may not hold a control character, as the blog's own text fields may not.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            if name in self.fields:
                self.fields[name].validators.append(validate_no_control_characters)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AuthorAdmin(UserAdmin):
    form = AuthorChangeForm
