"""The admin's side of revisions: every save from a change form keeps a
version; the history page compares each version with the current text; a
restore button saves a version again through the admin's own save path.
"""

from dataclasses import dataclass
from datetime import datetime

import reversion
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from reversion.errors import RevertError

from blog.revisions import FieldDiff, compare, restorable, versions_of

# The history compares only the newest versions with the current text, so
# that a long history of long posts stays a quick page.
DIFFED_VERSIONS = 20


@dataclass
class VersionEntry:
    version_id: int
    date: datetime
    author: object
    comment: str
    # None: not compared (older than DIFFED_VERSIONS, or unreadable).
    diffs: list[FieldDiff] | None
    unreadable: bool = False

    @property
    def same_as_current(self):
        return self.diffs is not None and not any(d.changed for d in self.diffs)


class RevisionAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change form keeps versions and whose history page
    shows and restores them. The model must be registered with reversion
    (blog.revisions.register_models).
    """

    object_history_template = "admin/blog/revision_history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        restore = path(
            "<path:object_id>/history/<int:version_id>/restore/",
            self.admin_site.admin_view(require_POST(self.restore_view)),
            name="{}_{}_restore".format(*info),
        )
        # Before the admin's own catch-all "<path:object_id>/" redirect.
        return [restore, *super().get_urls()]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            self.keep_first_version(request, object_id)
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def keep_first_version(self, request, object_id):
        """Keep the text as it stands before its first edit here: a post
        imported or made before versions were kept has none yet.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None or not self.has_change_permission(request, obj):
            return
        if versions_of(obj).exists():
            return
        with reversion.create_revision():
            reversion.set_comment(_("As it was before its first edit in the admin."))
            reversion.add_to_revision(obj)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self.comment_revision(entry.get_change_message() or _("Added."))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self.comment_revision(entry.get_change_message() or _("No fields changed."))
        return entry

    @staticmethod
    def comment_revision(comment):
        if reversion.is_active():
            reversion.set_comment(comment)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None and self.has_view_or_change_permission(request, obj):
            context["versions"] = self.version_entries(obj)
            context["may_restore"] = self.has_change_permission(request, obj)
            context["diffed_versions"] = DIFFED_VERSIONS
        return super().history_view(request, object_id, context)

    def version_entries(self, obj):
        entries = []
        # Each version holds the whole text: only those compared load it.
        versions = versions_of(obj).defer("serialized_data")
        for number, version in enumerate(versions):
            revision = version.revision
            entry = VersionEntry(
                version_id=version.pk,
                date=revision.date_created,
                author=revision.user,
                comment=revision.get_comment(),
                diffs=None,
            )
            if number < DIFFED_VERSIONS:
                try:
                    entry.diffs = compare(version, obj)
                except RevertError:
                    entry.unreadable = True
            entries.append(entry)
        return entries

    def restore_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
            args=[obj.pk],
        )
        version = versions_of(obj).filter(pk=version_id).first()
        if version is None:
            self.message_user(
                request,
                _("That version no longer exists; nothing was restored."),
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        try:
            wanted = restorable(version, type(obj))
        except RevertError:
            self.message_user(
                request,
                _(
                    "This version was saved before the blog's data changed "
                    "shape and cannot be read; nothing was restored."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        form_class = self.form
        data = {**form_values(obj, form_class), **wanted.values}
        form = form_class(data=data, files={}, instance=obj)
        if not form.is_valid():
            self.message_user(
                request,
                _("This version was not restored, and nothing changed: %(why)s")
                % {"why": " ".join(error_sentences(form))},
                messages.ERROR,
            )
            return HttpResponseRedirect(history_url)
        saved_at = date_format(version.revision.date_created, "DATETIME_FORMAT")
        with reversion.create_revision():
            reversion.set_user(request.user)
            restored = form.save(commit=False)
            # The admin's own save path: it renders the Markdown again.
            self.save_model(request, restored, form, change=True)
            form.save_m2m()
            self.log_change(
                request,
                restored,
                _("Restored the version of %(date)s.") % {"date": saved_at},
            )
        self.message_user(
            request,
            _(
                "Restored the version of %(date)s. It is saved, rendered again, "
                "and kept as a new version."
            )
            % {"date": saved_at},
            messages.SUCCESS,
        )
        if wanted.missing_tags:
            self.message_user(
                request,
                ngettext(
                    "%(count)d tag of that version no longer exists and was left out.",
                    "%(count)d tags of that version no longer exist and were left out.",
                    wanted.missing_tags,
                )
                % {"count": wanted.missing_tags},
                messages.WARNING,
            )
        return HttpResponseRedirect(
            reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[obj.pk],
            )
        )


def form_values(obj, form_class):
    """Return the form data that leaves every field of `obj` as it is."""
    values = model_to_dict(
        obj, fields=form_class._meta.fields, exclude=form_class._meta.exclude
    )
    for name, value in values.items():
        if isinstance(value, list | tuple):
            # Many-to-many values come back as rows; a form takes their keys.
            values[name] = [v.pk if isinstance(v, Model) else v for v in value]
    return values


def error_sentences(form):
    """Return each of the form's errors as "Field: message"."""
    sentences = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None else None
        for message in errors:
            sentences.append(f"{label}: {message}" if label else message)
    return sentences
