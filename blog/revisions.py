"""Versions of posts and pages (django-reversion): what is kept, how a
version compares with the current text, and what a restore brings back.

A version keeps what the author wrote, not the HTML made from it: restoring
one saves it again, which renders it anew.
"""

import difflib
from dataclasses import dataclass

import reversion
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from blog.models import Page, Post, Tag

# What each version keeps: the author's own fields.
KEPT_FIELDS = {
    Post: (
        "title", "slug", "body", "excerpt", "continue_text", "status",
        "published_at", "author", "tags",
    ),
    Page: (
        "title", "slug", "parent", "body", "status", "show_in_navigation",
        "navigation_order",
    ),
}  # fmt: skip

# What a restore brings back: the text. Status, date, author, parent and
# featured slot stay as they are now, so restoring an old draft's words does
# not unpublish a post or move a page.
RESTORED_FIELDS = {
    Post: ("title", "slug", "body", "excerpt", "continue_text", "tags"),
    Page: ("title", "slug", "body"),
}

# What the history compares with the current text, with its heading.
COMPARED_FIELDS = {
    Post: (("title", _("Title")), ("body", _("Body")), ("excerpt", _("Excerpt"))),
    Page: (("title", _("Title")), ("body", _("Body"))),
}

# Lines of unchanged text shown around each change.
CONTEXT_LINES = 3


def register_models():
    """Keep versions of posts and pages (called once, when the app is ready)."""
    for model, fields in KEPT_FIELDS.items():
        if not reversion.is_registered(model):
            reversion.register(model, fields=fields)


def versions_of(obj):
    """Return the versions of `obj`, newest first, with their authors."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


@dataclass(frozen=True)
class DiffLine:
    # "same", "removed" (in the version only), "added" (in the current text
    # only) or "gap" (unchanged lines left out).
    kind: str
    text: str

    @property
    def sign(self):
        return {"same": " ", "removed": "−", "added": "+", "gap": "…"}[self.kind]


@dataclass(frozen=True)
class FieldDiff:
    label: str
    lines: list[DiffLine]

    @property
    def changed(self):
        return bool(self.lines)


def text_diff(old, new):
    """Return the lines that differ between `old` and `new`, with
    CONTEXT_LINES unchanged lines around each change; [] when equal.
    """
    old_lines = (old or "").splitlines()
    new_lines = (new or "").splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    lines = []
    for number, group in enumerate(matcher.get_grouped_opcodes(CONTEXT_LINES)):
        if number or group[0][1] > 0:
            lines.append(DiffLine("gap", ""))
        for tag, old_start, old_end, new_start, new_end in group:
            if tag == "equal":
                lines += [DiffLine("same", t) for t in old_lines[old_start:old_end]]
                continue
            lines += [DiffLine("removed", t) for t in old_lines[old_start:old_end]]
            lines += [DiffLine("added", t) for t in new_lines[new_start:new_end]]
    return lines


def compare(version, current):
    """Return a FieldDiff for each compared field, from `version` to the
    `current` object. Raise RevertError when the version cannot be read.
    """
    stored = version.field_dict
    return [
        FieldDiff(
            label=str(label),
            lines=text_diff(stored.get(name), getattr(current, name)),
        )
        for name, label in COMPARED_FIELDS[type(current)]
    ]


@dataclass(frozen=True)
class Restorable:
    # The field values to restore, as a form takes them.
    values: dict
    # Tags the version had that no longer exist: left out.
    missing_tags: int = 0


def restorable(version, model):
    """Return what restoring `version` of a `model` row would set. Raise
    RevertError when the version cannot be read.
    """
    stored = version.field_dict
    values = {}
    missing_tags = 0
    for name in RESTORED_FIELDS[model]:
        if name == "tags":
            wanted = {int(pk) for pk in stored.get("tags", [])}
            tags = Tag.objects.filter(pk__in=wanted)
            existing = set(tags.values_list("pk", flat=True))
            values["tags"] = sorted(existing)
            missing_tags = len(wanted - existing)
        elif name in stored:
            values[name] = stored[name]
    return Restorable(values=values, missing_tags=missing_tags)
