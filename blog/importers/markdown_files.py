"""The Markdown folder: posts and pages as Markdown files with YAML front
matter, their tags and their media, in a layout Jekyll reads as it is and
Hugo through mounts (see the README, "Markdown export and import"):

    _posts/2024-03-05-slug.md    published posts, scheduled ones included
    _drafts/slug.md              drafts
    pages/about/team.md          pages, by path
    tags.yaml                    every tag: name, slug, description
    media/images/2024/03/x.png   the uploaded files posts and pages use

This module reads and writes that folder and nothing else: the YAML itself
is front_matter.py's, the database side markdown_site.py's. What it writes is
deterministic (a fixed key order, sorted lists, UTF-8, LF line ends in the
front matter), so the same content always gives the same bytes; a body is
written exactly as stored, its line ends included.
"""

import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from blog.importers.front_matter import FolderError, FrontMatter, dump_yaml

__all__ = ["Folder", "FolderError", "PageFile", "PostFile", "TagEntry"]

POSTS_DIR = "_posts"
DRAFTS_DIR = "_drafts"
PAGES_DIR = "pages"
MEDIA_DIR = "media"
TAGS_FILE = "tags.yaml"
DRAFT, PUBLISHED = "draft", "published"

POST_KEYS = (
    "title",
    "slug",
    "date",
    "updated",
    "status",
    "tags",
    "excerpt",
    "continue_text",
    "featured",
    "aliases",
)
PAGE_KEYS = (
    "title",
    "slug",
    "parent",
    "updated",
    "status",
    "show_in_navigation",
    "navigation_order",
    "aliases",
)
TAG_KEYS = ("name", "slug", "description")

# The opening "---" line, the YAML, and the closing "---" line; the body is
# everything after it, byte for byte.
FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)^---[ \t]*\r?(?:\n|\Z)", re.DOTALL | re.MULTILINE
)
# A Jekyll post's file name starts with its date.
DATED_NAME = re.compile(r"\A\d{4}-\d{2}-\d{2}-")
# Punctuation that ends a sentence after an address in prose, not the address.
TRAILING_PUNCTUATION = ".,;:!?"


@dataclass(frozen=True)
class PostFile:
    title: str
    slug: str
    body: str
    status: str = PUBLISHED
    date: datetime | None = None
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    excerpt: str = ""
    continue_text: str = ""
    featured_position: int | None = None
    featured_label: str = ""
    aliases: tuple[str, ...] = ()
    # Where the file was read from, for messages; empty when written.
    source: str = ""


@dataclass(frozen=True)
class PageFile:
    title: str
    slug: str
    body: str
    parent: str = ""
    status: str = PUBLISHED
    updated: datetime | None = None
    show_in_navigation: bool = False
    navigation_order: int = 0
    aliases: tuple[str, ...] = ()
    source: str = ""

    @property
    def path(self):
        return f"{self.parent}/{self.slug}" if self.parent else self.slug


@dataclass(frozen=True)
class TagEntry:
    name: str
    slug: str
    description: str = ""


@dataclass
class Folder:
    """What a Markdown folder holds, as read."""

    posts: list[PostFile] = field(default_factory=list)
    pages: list[PageFile] = field(default_factory=list)
    tags: list[TagEntry] = field(default_factory=list)
    # Relative POSIX names under media/ (`images/2024/03/x.png`).
    media: list[str] = field(default_factory=list)
    # Not fatal: unknown keys and the like, one sentence each.
    warnings: list[str] = field(default_factory=list)


# Writing


def post_front_matter(post):
    data = {"title": post.title, "slug": post.slug}
    if post.date is not None:
        data["date"] = post.date
    if post.updated is not None:
        data["updated"] = post.updated
    data["status"] = post.status
    if post.tags:
        data["tags"] = sorted(post.tags)
    if post.excerpt:
        data["excerpt"] = post.excerpt
    if post.continue_text:
        data["continue_text"] = post.continue_text
    if post.featured_position is not None:
        data["featured"] = {"position": post.featured_position}
        if post.featured_label:
            data["featured"]["label"] = post.featured_label
    if post.aliases:
        data["aliases"] = sorted(post.aliases)
    return data


def page_front_matter(page):
    data = {"title": page.title, "slug": page.slug}
    if page.parent:
        data["parent"] = page.parent
    if page.updated is not None:
        data["updated"] = page.updated
    data["status"] = page.status
    data["show_in_navigation"] = page.show_in_navigation
    data["navigation_order"] = page.navigation_order
    if page.aliases:
        data["aliases"] = sorted(page.aliases)
    return data


def post_file_name(post):
    """Return the post's file name in the folder: Jekyll's names."""
    if post.status == DRAFT or post.date is None:
        return f"{DRAFTS_DIR}/{post.slug}.md"
    day = timezone.localtime(post.date).date().isoformat()
    return f"{POSTS_DIR}/{day}-{post.slug}.md"


def page_file_name(page):
    return f"{PAGES_DIR}/{page.path}.md"


def markdown_file(front_matter, body):
    """Return a Markdown file's bytes: front matter between `---` lines,
    then the body exactly as given.
    """
    return f"---\n{dump_yaml(front_matter)}---\n{body}".encode()


def write_file(root, name, content):
    path = Path(root, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def write_post(root, post):
    write_file(
        root, post_file_name(post), markdown_file(post_front_matter(post), post.body)
    )


def write_page(root, page):
    write_file(
        root, page_file_name(page), markdown_file(page_front_matter(page), page.body)
    )


def write_tags(root, tags):
    entries = []
    for tag in sorted(tags, key=lambda tag: tag.name):
        entry = {"name": tag.name, "slug": tag.slug}
        if tag.description:
            entry["description"] = tag.description
        entries.append(entry)
    write_file(root, TAGS_FILE, dump_yaml(entries).encode())


def write_media(root, name, source):
    """Copy the open binary file `source` to media/<name> in the folder."""
    path = Path(root, MEDIA_DIR, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        shutil.copyfileobj(source, target)


def media_references(markdown):
    """Return the names in the media storage that some Markdown links to,
    from its `/media/...` addresses (`images/2024/03/x.png`), or its bucket's
    when the media live in one, sorted.
    """
    prefix = "|".join(re.escape(prefix) for prefix in media_prefixes())
    # Not after a host name or a longer path: only the site's own media.
    pattern = re.compile(rf"(?<![\w/.~-])(?:{prefix})([^\s()<>\"'\[\]]+)")
    names = set()
    for match in pattern.finditer(markdown):
        address = re.split(r"[?#]", match.group(1))[0].rstrip(TRAILING_PUNCTUATION)
        name = media_name(unquote(address))
        if name:
            names.add(name)
    return sorted(names)


def media_prefixes():
    """Return the addresses the site's media start with: `/media/`, and the
    bucket's public address (`https://media.example.com/`) when the media
    live in one (README, "Media storage").
    """
    prefixes = ["/" + settings.MEDIA_URL.strip("/") + "/"]
    probe = default_storage.url("probe")
    if "://" in probe and probe.endswith("/probe"):
        prefixes.append(probe.removesuffix("probe"))
    return prefixes


def media_name(name):
    """Return `name` if it is a plain relative path inside the media folder,
    else None: never `..`, an absolute path or an empty part.
    """
    parts = PurePosixPath(name).parts
    if not parts or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return "/".join(parts)


# Reading


def read_folder(root):
    """Return the Folder at `root`, or raise FolderError naming the first
    file (and line) that cannot be read.
    """
    root = Path(root)
    if not root.is_dir():
        raise FolderError(
            f"{root} is not a folder. Give the folder export_markdown wrote."
        )
    folder = Folder()
    for kind, folder_name in ((DRAFT, DRAFTS_DIR), (PUBLISHED, POSTS_DIR)):
        for path in markdown_files(root / folder_name):
            folder.posts.append(read_post(root, path, kind, folder.warnings))
    for path in markdown_files(root / PAGES_DIR):
        folder.pages.append(read_page(root, path, folder.warnings))
    if (root / TAGS_FILE).is_file():
        folder.tags = read_tags(root, folder.warnings)
    media = root / MEDIA_DIR
    folder.media = sorted(
        path.relative_to(media).as_posix()
        for path in media.rglob("*")
        if path.is_file()
    )
    return folder


def markdown_files(directory):
    return sorted(directory.rglob("*.md")) if directory.is_dir() else []


def read_post(root, path, default_status, warnings):
    source = path.relative_to(root).as_posix()
    values, body = read_markdown_file(root, path)
    values.warn_unknown(POST_KEYS, warnings)
    featured = values.mapping("featured", ("position", "label"), warnings)
    return PostFile(
        title=values.text("title", required=True),
        slug=values.text("slug") or DATED_NAME.sub("", path.stem),
        body=body,
        status=values.choice("status", (DRAFT, PUBLISHED), default_status),
        date=values.datetime("date") or date_in_name(path.stem),
        updated=values.datetime("updated"),
        tags=values.names("tags"),
        excerpt=values.text("excerpt"),
        continue_text=values.text("continue_text"),
        featured_position=featured.number("position", required=bool(featured.data)),
        featured_label=featured.text("label"),
        aliases=values.names("aliases"),
        source=source,
    )


def date_in_name(stem):
    """Return midnight of the day a Jekyll post's file name starts with."""
    if DATED_NAME.match(stem) is None:
        return None
    try:
        day = date.fromisoformat(stem[:10])
    except ValueError:
        return None
    return timezone.make_aware(datetime.combine(day, time()))


def read_page(root, path, warnings):
    source = path.relative_to(root).as_posix()
    values, body = read_markdown_file(root, path)
    values.warn_unknown(PAGE_KEYS, warnings)
    place = path.relative_to(root / PAGES_DIR).with_suffix("")
    return PageFile(
        title=values.text("title", required=True),
        slug=values.text("slug") or place.name,
        body=body,
        parent=values.text("parent", default=folder_path(place.parent)),
        status=values.choice("status", (DRAFT, PUBLISHED), PUBLISHED),
        updated=values.datetime("updated"),
        show_in_navigation=values.boolean("show_in_navigation"),
        navigation_order=values.number("navigation_order") or 0,
        aliases=values.names("aliases"),
        source=source,
    )


def folder_path(path):
    """Return a relative folder as a page path: "" for the top."""
    return "" if str(path) == "." else path.as_posix()


def read_tags(root, warnings):
    values = FrontMatter.parse(read_text(root / TAGS_FILE, TAGS_FILE), TAGS_FILE, 1)
    if values.data is None:
        return []
    if not isinstance(values.data, list):
        raise values.error(
            None, "should be a list of tags, each with a name, slug and description"
        )
    tags = []
    for number, node in enumerate(values.node.value):
        entry = values.item(number, node)
        entry.warn_unknown(TAG_KEYS, warnings)
        tags.append(
            TagEntry(
                name=entry.text("name", required=True),
                slug=entry.text("slug"),
                description=entry.text("description"),
            )
        )
    return tags


def read_text(path, source):
    try:
        return path.read_bytes().decode()
    except UnicodeDecodeError as error:
        raise FolderError(
            f"{source} is not UTF-8 text (byte {error.start}). Save it as UTF-8 "
            "and import again."
        ) from error


def read_markdown_file(root, path):
    """Return the front matter and the body of the Markdown file at `path`."""
    source = path.relative_to(root).as_posix()
    text = read_text(path, source)
    match = FRONT_MATTER.match(text)
    if match is None:
        raise FolderError(
            f"{source}, line 1: the file does not start with front matter "
            "between two `---` lines. Add it (at least a title) and import again."
        )
    values = FrontMatter.parse(match.group("yaml"), source, first_line=2)
    if not isinstance(values.data, dict):
        raise values.error(None, "should be keys and values such as `title: ...`")
    return values, text[match.end() :]
