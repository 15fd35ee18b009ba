"""Loading the demo blog into a brand-new database, and removing it again.

The demo is loaded once, on the first run: never over a blog that has been
set up before (FirstRun) or that has content of its own, so deleting the
demo posts and running `make run` again neither reloads nor crashes. Every
post and page the demo makes carries the origin `demo:...`; the tags and
files it makes are listed in FirstRun. `remove` takes away exactly those,
and nothing the author made or still uses.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from blog import demo_content, uploads
from blog.models import FeaturedSlot, FirstRun, Page, Post, SiteIdentity, Tag

ORIGIN_PREFIX = "demo:"
IMAGE_URL_PREFIX = "demo-image:"


class Outcome:
    """What `load` did."""

    LOADED = "loaded"
    SET_UP_BEFORE = "set up before"
    HAS_CONTENT = "has content"
    LEFT_EMPTY = "left empty"


def load(*, with_demo=True):
    """Set the blog up on its first run: load the demo (unless `with_demo`
    is false) into a brand-new database, and record that the blog is set up.

    Return an Outcome. A blog set up before, or holding posts, pages or tags
    of its own, is left as it is.
    """
    with transaction.atomic():
        if FirstRun.load() is not None:
            return Outcome.SET_UP_BEFORE
        if Post.objects.exists() or Page.objects.exists() or Tag.objects.exists():
            # A blog that predates FirstRun, or was filled another way.
            FirstRun.record()
            return Outcome.HAS_CONTENT
        if not with_demo:
            FirstRun.record()
            return Outcome.LEFT_EMPTY
        stored_files = []
        try:
            tag_ids = _create_demo(stored_files)
        except BaseException:
            # A failed load keeps no file, as it keeps no row.
            for name in stored_files:
                default_storage.delete(name)
            raise
        FirstRun.record(demo_loaded=True, demo_tag_ids=tag_ids, demo_files=stored_files)
    return Outcome.LOADED


def _create_demo(stored_files):
    identity = SiteIdentity.load()
    for name, value in demo_content.SITE.items():
        setattr(identity, name, value)
    identity.save()

    image_urls = {}
    for name in _image_names():
        stored = uploads.save_image(
            ContentFile(_draw(name), name=f"{name}.png"),
            name_stem=f"images/demo/{name}",
        )
        stored_files.append(stored)
        image_urls[name] = default_storage.url(stored)

    tags = {
        key: Tag.objects.create(name=name, description=description)
        for key, (name, description) in demo_content.TAGS.items()
    }
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for entry in demo_content.FEATURED:
        post = _create_post(entry, tags, now, image_urls)
        FeaturedSlot.objects.create(
            position=entry["slot"], post=post, label=entry["label"]
        )
    for entry in demo_content.STREAM + demo_content.HIDDEN:
        _create_post(entry, tags, now, image_urls)
    for entry in demo_content.PAGES:
        Page.objects.create(
            **entry,
            status=Page.Status.PUBLISHED,
            origin=f"{ORIGIN_PREFIX}page:{entry['slug']}",
        )
    return [tag.pk for tag in tags.values()]


def _create_post(entry, tags, now, image_urls):
    body = entry["body"]
    for name, url in image_urls.items():
        body = body.replace(f"{IMAGE_URL_PREFIX}{name}", url)
    post = Post.objects.create(
        title=entry["title"],
        body=body,
        continue_text=entry.get("continue_text", ""),
        status=entry.get("status", Post.Status.PUBLISHED),
        published_at=now - timedelta(days=entry["days_ago"]),
        origin=f"{ORIGIN_PREFIX}post:{entry['title']}",
    )
    post.tags.set(tags[key] for key in entry["tags"])
    return post


def _image_names():
    entries = demo_content.FEATURED + demo_content.STREAM + demo_content.HIDDEN
    bodies = "\n".join(entry["body"] for entry in entries)
    return [name for name in _DRAWINGS if f"{IMAGE_URL_PREFIX}{name}" in bodies]


def _draw_cache_lines():
    # A 64-byte cache line holding the counters a and b side by side, above
    # two lines holding one counter each: the padded layout. Drawn here, so
    # the demo ships no binary file.
    image = Image.new("RGB", (1200, 630), "#fbfaf7")
    draw = ImageDraw.Draw(image)
    edge, a, b = "#b8b1a5", "#d1495b", "#2e86ab"
    draw.rectangle((80, 110, 1120, 250), outline=edge, width=6)
    draw.rectangle((100, 130, 230, 230), fill=a)
    draw.rectangle((250, 130, 380, 230), fill=b)
    for left, colour in ((80, a), (620, b)):
        draw.rectangle((left, 380, left + 500, 520), outline=edge, width=6)
        draw.rectangle((left + 20, 400, left + 150, 500), fill=colour)
    output = BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


_DRAWINGS = {"cache-lines": _draw_cache_lines}


def _draw(name):
    return _DRAWINGS[name]()


@dataclass
class Removal:
    """What `remove` did, for the command's summary."""

    posts: int = 0
    pages: int = 0
    tags: int = 0
    files: int = 0
    # Kept because the author's own content uses them.
    kept_tags: list = field(default_factory=list)
    kept_pages: list = field(default_factory=list)
    kept_files: list = field(default_factory=list)


def remove():
    """Remove the demo's posts (with their featured slots and slug
    redirects), pages, tags and files, and the demo's site identity texts
    the author has not changed. Return a Removal.

    A tag the author's own posts use, a page with the author's subpages, and
    a file the author's posts or pages show are kept and listed.
    """
    removal = Removal()
    with transaction.atomic():
        record = FirstRun.load()
        demo_posts = Post.objects.filter(origin__startswith=ORIGIN_PREFIX)
        _total, deleted = demo_posts.delete()
        removal.posts = deleted.get(Post._meta.label, 0)
        for page in Page.objects.filter(origin__startswith=ORIGIN_PREFIX).order_by(
            "-path"
        ):
            # Descending paths put subpages before their parents.
            if page.children.exists():
                removal.kept_pages.append(page.title)
                continue
            page.delete()
            removal.pages += 1
        if record is not None and record.demo_loaded:
            _reset_demo_identity()
            demo_tags = Tag.objects.filter(pk__in=record.demo_tag_ids)
            removal.kept_tags = list(
                demo_tags.filter(posts__isnull=False)
                .distinct()
                .values_list("name", flat=True)
            )
            _total, deleted = demo_tags.filter(posts__isnull=True).delete()
            removal.tags = deleted.get(Tag._meta.label, 0)
            files = [name for name in record.demo_files if not _in_use(name)]
            removal.kept_files = [n for n in record.demo_files if n not in files]
            removal.files = len(files)
            record.demo_loaded = False
            record.demo_tag_ids = []
            record.demo_files = removal.kept_files
            record.save()
            transaction.on_commit(lambda: _delete_files(files))
    return removal


def _in_use(name):
    url = default_storage.url(name)
    return (
        Post.objects.filter(Q(body__contains=url) | Q(excerpt__contains=url)).exists()
        or Page.objects.filter(body__contains=url).exists()
    )


def _delete_files(names):
    for name in names:
        default_storage.delete(name)


def _reset_demo_identity():
    identity = SiteIdentity.load()
    changed = False
    for name, value in demo_content.SITE.items():
        if getattr(identity, name) == value:
            setattr(identity, name, SiteIdentity._meta.get_field(name).get_default())
            changed = True
    if changed:
        identity.save()
