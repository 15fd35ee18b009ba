"""What a WordPress import did, counted, and said in a few lines."""

from collections import Counter
from dataclasses import dataclass, field

from blog.importers.wp_media import MediaReport


@dataclass
class ImportSummary:
    site_title: str = ""
    site_url: str = ""
    is_dry_run: bool = False
    # ("post" or "page", "imported" or "updated") -> count
    written: Counter = field(default_factory=Counter)
    # ("post" or "page", Inkwell state) -> count
    states: Counter = field(default_factory=Counter)
    # WordPress statuses kept from readers as drafts: "private", "pending",
    # "password-protected" -> count
    kept_as_drafts: Counter = field(default_factory=Counter)
    # why -> count: "attachment", "revision", "post in trash", ...
    skipped: Counter = field(default_factory=Counter)
    comments: int = 0
    users_matched: list[str] = field(default_factory=list)
    users_created: list[str] = field(default_factory=list)
    assigned_to: str = ""
    tags_created: int = 0
    tags_existing: int = 0
    slots_added: list[int] = field(default_factory=list)
    sticky_not_featured: int = 0
    redirects_saved: int = 0
    redirects_total: int = 0
    redirects_too_long: int = 0
    media: MediaReport | None = None
    remote_images: int = 0

    def lines(self):
        """Return the summary as the command prints it."""
        head = f"Imported {self.site_title or 'the export'}"
        if self.site_url:
            head += f" ({self.site_url})"
        if self.is_dry_run:
            head = "Dry run, nothing was saved. " + head
        lines = [head + ":"]
        lines += [self._written_line(kind) for kind in ("post", "page")]
        if self.kept_as_drafts:
            kept = _listing(self.kept_as_drafts)
            lines.append(f"  Kept from readers as drafts: {kept}.")
        if self.skipped:
            lines.append(f"  Skipped: {_listing(self.skipped)}.")
        lines.append(
            f"  Comments: {self.comments} counted, not imported (Inkwell has no "
            "comments yet)."
        )
        lines.append(self._authors_line())
        lines.append(
            f"  Tags: {self.tags_created} created, {self.tags_existing} already there."
        )
        lines.append(self._slots_line())
        lines.append(self._redirects_line())
        lines += self._image_lines()
        return lines

    def _written_line(self, kind):
        states = ", ".join(
            f"{self.states[(kind, state)]} {state}"
            for state in ("published", "scheduled", "draft")
            if self.states[(kind, state)]
        )
        imported = self.written[(kind, "imported")]
        updated = self.written[(kind, "updated")]
        line = f"  {kind.title()}s: {imported} imported, {updated} updated"
        return line + (f" ({states})." if states else ".")

    def _authors_line(self):
        if self.assigned_to:
            return f"  Authors: every post and page is {self.assigned_to}'s."
        parts = []
        if self.users_matched:
            parts.append("matched existing users " + ", ".join(self.users_matched))
        if self.users_created:
            parts.append(
                "created inactive users without a password (activate them in "
                "the admin to let them log in) " + ", ".join(self.users_created)
            )
        return "  Authors: " + ("; ".join(parts) or "none") + "."

    def _slots_line(self):
        line = "  Featured slots: "
        if self.slots_added:
            first, last = self.slots_added[0], self.slots_added[-1]
            where = f"positions {first}-{last}" if last > first else f"position {first}"
            line += f"{len(self.slots_added)} added for sticky posts, at {where}"
        else:
            line += "none added"
        if self.sticky_not_featured:
            line += (
                f"; {self.sticky_not_featured} sticky but not published, so "
                "not featured"
            )
        return line + "."

    def _redirects_line(self):
        line = (
            f"  Old addresses: {self.redirects_total} redirects "
            f"({self.redirects_saved} new or changed)"
        )
        if self.redirects_too_long:
            line += (
                f"; {self.redirects_too_long} longer than 200 characters cannot be kept"
            )
        return line + "."

    def _image_lines(self):
        remote = (
            f"{self.remote_images} images still load from other sites "
            "(their URLs are as they were)"
        )
        if self.media is None:
            return [f"  Images: {remote}; import them with --media-dir."]
        media = self.media
        lines = [
            f"  Images: {media.imported} imported, {media.already_there} already "
            f"there, {len(media.refused)} refused, {len(media.not_found)} not "
            f"found in the media folder; {remote}."
        ]
        lines += [f"    Refused {url}: {why}" for url, why in media.refused]
        lines += [f"    Not found: {url}" for url in media.not_found]
        return lines


def _listing(counter):
    return ", ".join(f"{count} {why}" for why, count in sorted(counter.items()))
