"""The images a WordPress import brings in from a copy of wp-content/uploads.

Each image a post uses is found by its path under `/wp-content/uploads/`;
a resized variant (`pic-300x200.png`) is taken from its original
(`pic.png`) when the copy has it. Each file goes through the same checks as
an upload in the editor (blog.uploads) once, and is stored at a name made
from its old path (`images/wordpress/2016/12/pic.png`), so importing again
finds it there instead of storing it twice.

Files are not part of the database transaction: `discard()` removes what
this import stored, for a dry run or an import that failed.
"""

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import default_storage

from blog.importers.wp_markdown import original_image_url
from blog.uploads import EXTENSIONS, UploadRefused, save_image

UPLOADS_PATH = "/wp-content/uploads/"
STORAGE_FOLDER = "images/wordpress"


@dataclass
class MediaReport:
    imported: int = 0
    already_there: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    not_found: list[str] = field(default_factory=list)


class MediaImporter:
    """Import the images of a media folder (a copy of wp-content/uploads)."""

    def __init__(self, media_dir):
        self.media_dir = Path(media_dir).resolve()
        self.report = MediaReport()
        self.stored_names = []
        self._by_file = {}  # uploads path -> new URL, or None when refused

    def new_urls(self, urls):
        """Return {old URL: new URL} for the URLs whose image was imported."""
        mapping = {}
        for url in urls:
            new_url = self.import_url(url)
            if new_url:
                mapping[url] = new_url
        return mapping

    def import_url(self, url):
        """Import the image at `url` once; return its new URL, or None."""
        uploads_path = _uploads_path(url)
        if uploads_path is None:
            return None
        source = self._source_file(uploads_path)
        if source is None:
            self.report.not_found.append(url)
            return None
        key = source.relative_to(self.media_dir).as_posix()
        if key not in self._by_file:
            self._by_file[key] = self._store(key, source, url)
        return self._by_file[key]

    def discard(self):
        """Delete the files this import stored."""
        for name in self.stored_names:
            default_storage.delete(name)
        self.stored_names.clear()

    def _source_file(self, uploads_path):
        candidates = (original_image_url(uploads_path), uploads_path)
        for candidate in dict.fromkeys(candidates):
            path = (self.media_dir / candidate).resolve()
            # An address with `..` in it must not reach outside the folder.
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path
        return None

    def _store(self, key, source, url):
        stem = f"{STORAGE_FOLDER}/{PurePosixPath(key).with_suffix('')}"
        for extension in dict.fromkeys(EXTENSIONS.values()):
            if default_storage.exists(f"{stem}.{extension}"):
                self.report.already_there += 1
                return default_storage.url(f"{stem}.{extension}")
        try:
            with source.open("rb") as handle:
                name = save_image(File(handle, name=source.name), name_stem=stem)
        except UploadRefused as refusal:
            self.report.refused.append((url, " ".join(refusal.messages)))
            return None
        self.stored_names.append(name)
        self.report.imported += 1
        return default_storage.url(name)


def _uploads_path(url):
    """Return the path of `url` under wp-content/uploads, or None."""
    path = unquote(urlsplit(url).path)
    if UPLOADS_PATH not in path:
        return None
    return path.split(UPLOADS_PATH, 1)[1] or None


def is_remote(url):
    """Return whether a reader's browser would fetch `url` from another host."""
    return url.startswith(("http://", "https://", "//"))
