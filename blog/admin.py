from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models
from django.db.models import Max, Min, Window
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from blog import services
from blog.alt_text import missing_alt_warning
from blog.control_characters import validate_no_control_characters
from blog.forms import PageForm, PostForm, SiteIdentityForm
from blog.models import FeaturedSlot, Page, Post, SiteIdentity, SlugRedirect, Tag
from blog.revision_admin import RevisionAdmin

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


class FeaturedSlotInlineForm(forms.ModelForm):
    """The post form's slot row: tick "feature" (or fill in a field) to
    feature the post; a blank position puts it after the last slot.
    """

    feature = forms.BooleanField(label=_("Feature this post"), required=False)

    class Meta:
        model = FeaturedSlot
        fields = ["position", "label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        if self.instance.pk is not None:
            # A saved slot is featured; its row's "Delete" frees it.
            del self.fields["feature"]
        for field in self.fields.values():
            # A table row has no <label>: name each field for screen readers.
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("position") is None and not self.errors.get("position"):
            cleaned_data["position"] = FeaturedSlot.objects.next_position()
        return cleaned_data


class FeaturedSlotInline(admin.TabularInline):
    # Tabular: a stacked inline titles an unsaved slot "#1", as if it held
    # the first position.
    model = FeaturedSlot
    template = "admin/blog/featured_slot_inline.html"
    form = FeaturedSlotInlineForm
    formset = FeaturedSlotFormSet
    fields = ["feature", "position", "label"]
    extra = 1
    verbose_name = _("featured slot")
    verbose_name_plural = _("featured slot")

    def get_fields(self, request, obj=None):
        if obj is not None and FeaturedSlot.objects.filter(post=obj).exists():
            return ["position", "label"]
        return self.fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        position = formset.form.base_fields["position"]
        position.widget.attrs["placeholder"] = FeaturedSlot.objects.next_position()
        position.help_text = _("Blank: after the last slot.")
        return formset


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
class PostAdmin(RevisionAdmin):
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
        (_("Sharing"), {"fields": ["social_image"]}),
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

    def render_change_form(self, request, context, *args, **kwargs):
        # A refused featured slot is explained at the top of the post's form
        # too, not only in the slot's row further down.
        for inline in context.get("inline_admin_formsets", []):
            if inline.formset.model is FeaturedSlot:
                explain_inline_errors_at_top(
                    context["adminform"].form, inline.formset, _("Featured slot")
                )
        return super().render_change_form(request, context, *args, **kwargs)

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
    list_display = ["position", "post", "label", "move_buttons"]
    list_display_links = ["position", "post"]
    list_select_related = ["post"]
    ordering = ["position"]
    autocomplete_fields = ["post"]

    class Media:
        css = {"all": ["css/featured_slots.css"]}

    def get_queryset(self, request):
        # Where the list starts and ends, so the first slot's "up" and the
        # last's "down" can show they do nothing, in the list's one query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                first_position=Window(Min("position")),
                last_position=Window(Max("position")),
            )
        )

    def get_urls(self):
        move = path(
            "<int:slot_id>/move/<str:direction>/",
            self.admin_site.admin_view(require_POST(self.move_view)),
            name="blog_featuredslot_move",
        )
        return [move, *super().get_urls()]

    def get_changeform_initial_data(self, request):
        # A new slot goes after the last one unless the author says otherwise.
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("position", FeaturedSlot.objects.next_position())
        return initial

    def render_change_form(self, request, context, *args, **kwargs):
        explain_errors_at_top(context["adminform"].form)
        return super().render_change_form(request, context, *args, **kwargs)

    @admin.display(description=_("move"))
    def move_buttons(self, slot):
        # Buttons of the change list's own form (which carries the CSRF
        # token), sent to the move view: no script, no nested form.
        edge = {
            "up": slot.position == getattr(slot, "first_position", None),
            "down": slot.position == getattr(slot, "last_position", None),
        }
        buttons = [
            format_html(
                '<button type="submit" class="button slot-move" formaction="{}" '
                'aria-label="{}"{}>{}</button>',
                reverse("admin:blog_featuredslot_move", args=[slot.pk, direction]),
                label % {"post": slot.post},
                " disabled" if edge[direction] else "",
                arrow,
            )
            for direction, arrow, label in (
                ("up", "↑", _("Move “%(post)s” up")),
                ("down", "↓", _("Move “%(post)s” down")),
            )
        ]
        return format_html_join(" ", "{}", ((button,) for button in buttons))

    def move_view(self, request, slot_id, direction):
        slot = FeaturedSlot.objects.filter(pk=slot_id).select_related("post").first()
        changelist = reverse("admin:blog_featuredslot_changelist")
        if not self.has_change_permission(request, slot):
            raise PermissionDenied
        if slot is None or direction not in ("up", "down"):
            self.message_user(
                request,
                _("That slot no longer exists; nothing moved."),
                messages.ERROR,
            )
            return HttpResponseRedirect(changelist)
        try:
            other = slot.move(up=direction == "up")
        except IntegrityError:
            # Someone else moved or added a slot at the same moment.
            self.message_user(
                request,
                _("The slots changed while moving; nothing moved. Try again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(changelist)
        if other is None:
            message = (
                _("“%(post)s” is already first.")
                if direction == "up"
                else _("“%(post)s” is already last.")
            ) % {"post": slot.post}
            self.message_user(request, message, messages.WARNING)
        else:
            self.message_user(
                request,
                _("“%(post)s” moved to position %(position)d.")
                % {"post": slot.post, "position": slot.position},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(changelist)


def explain_inline_errors_at_top(form, formset, title):
    """Repeat a refused inline's errors at the top of the main `form`."""
    if not formset.is_bound:
        return
    for message in formset.non_form_errors():
        form.add_error(None, f"{title}: {message}")
    for inline_form in formset.forms:
        explain_errors_at_top(inline_form, into=form, prefix=f"{title}, ")


def explain_errors_at_top(form, *, into=None, prefix=""):
    """Repeat a refused form's field errors at the top of `into` (the form
    itself by default), where the admin says only "Please correct the errors
    below".
    """
    if not form.is_bound:
        return
    into = form if into is None else into
    for name, errors in list(form.errors.items()):
        field = form.fields.get(name)
        if field is None or field.widget.is_hidden:
            # A hidden field's error is the formset's to explain (a slot's
            # post, in the post's own form).
            continue
        label = field.label
        for message in errors:
            into.add_error(None, f"{prefix}{label}: {message}")


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "post", "created_at"]
    list_select_related = ["post"]
    search_fields = ["old_slug", "post__title", "post__slug"]
    raw_id_fields = ["post"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    form = SiteIdentityForm

    def has_add_permission(self, request):
        return not SiteIdentity.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class PageEditorWidget(EditorWidget):
    preview_model = "page"


@admin.register(Page)
class PageAdmin(RevisionAdmin):
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
