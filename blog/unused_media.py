"""Uploaded files that no saved post or page uses any longer.

Files are listed through default_storage (never the file system), so the
same code works on a local folder and on object storage. A file counts as
used when its storage name appears in any text or file field of a post, a
page or the site identity: body, excerpt, rendered HTML, an image field.
That errs towards keeping a file: a deletion loses data, a kept file only
takes room.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from blog.models import Page, Post, SiteIdentity

# The models whose rows may link to an upload.
REFERRING_MODELS = (Post, Page, SiteIdentity)

# What ends an address in Markdown or HTML: a space, a quote, a bracket, or
# the query and fragment, which name no file.
ADDRESS_END = r"\s\"'()<>\[\]?#\\"
TRAILING_PUNCTUATION = ".,;:!?*_~"


@dataclass
class MediaReport:
    unused: list[str] = field(default_factory=list)
    # Unused, but too new to judge: an author may be writing the post that
    # will use them.
    recent: list[str] = field(default_factory=list)
    used: int = 0


def uploads_folder():
    """Return the storage folder every upload is under (`images`)."""
    return settings.MARKDOWNX_MEDIA_PATH.strip("/").split("/")[0]


def stored_files(folder):
    """Yield the name of every file under `folder` in default_storage."""
    folders, files = default_storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}"
    for name in sorted(folders):
        yield from stored_files(f"{folder}/{name}")


def referenced_names(folder):
    """Return every name under `folder` that some saved row mentions, as
    written and percent-decoded, with and without trailing punctuation.
    """
    pattern = re.compile(rf"{re.escape(folder)}/[^{ADDRESS_END}]+")
    names = set()
    for texts in referring_texts():
        for text in texts:
            for match in pattern.findall(text or ""):
                for name in (match, unquote(match)):
                    names.add(name)
                    names.add(name.rstrip(TRAILING_PUNCTUATION))
    return names


def referring_texts():
    """Yield, row by row, the values of every text and file field of the
    models that may link to an upload.
    """
    for model in REFERRING_MODELS:
        names = [
            model_field.attname
            for model_field in model._meta.concrete_fields
            if isinstance(
                model_field, models.CharField | models.TextField | models.FileField
            )
        ]
        rows = model.objects.order_by("pk").values_list(*names)
        yield from rows.iterator(chunk_size=200)


def find_unused(*, min_age_minutes):
    """Return a MediaReport of the uploads no saved row uses."""
    folder = uploads_folder()
    report = MediaReport()
    try:
        # Listed first: on object storage a folder is not a file that
        # exists(), and a local folder nobody uploaded to yet is missing.
        files = list(stored_files(folder))
    except FileNotFoundError:
        return report
    used = referenced_names(folder)
    cutoff = timezone.now() - timedelta(minutes=min_age_minutes)
    for name in files:
        if name in used:
            report.used += 1
        elif default_storage.get_modified_time(name) > cutoff:
            report.recent.append(name)
        else:
            report.unused.append(name)
    return report
