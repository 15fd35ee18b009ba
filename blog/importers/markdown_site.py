"""The database side of the Markdown folder (markdown_files.py): export the
blog into one, and import one into the blog.

Old addresses travel as `aliases`: a post's old slugs (blog.slug_redirects)
as `/posts/<old>/`, and the old addresses that lead to a post or page
(blog.old_addresses).
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import uri_to_iri

from blog import content_version, old_addresses, services
from blog.importers import markdown_files as files
from blog.importers.markdown_files import FolderError
from blog.models import FeaturedSlot, Page, Post, SlugRedirect, Tag
from blog.uploads import UploadRefused, decoded_image


@dataclass
class Summary:
    """What an export or import did, by kind ("post", "page", ...)."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def count(self, kind, *, created=True):
        (self.created if created else self.updated)[kind] += 1


# The order summaries name things in.
KINDS = ("post", "page", "tag", "featured slot", "old address", "media file")


def describe(counts, kinds=KINDS):
    """Return counts by kind as words: "3 posts, 1 page, 0 tags"."""
    return ", ".join(f"{counts[kind]} {plural(kind, counts[kind])}" for kind in kinds)


def plural(kind, count):
    if count == 1:
        return kind
    return f"{kind}es" if kind.endswith("s") else f"{kind}s"


# Export


def export_site(root):
    """Write every post, page and tag, and the media they use, into the
    empty or new folder `root`; return a Summary of what was written.
    """
    root = Path(root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise FolderError(
            f"{root} is not an empty folder. Export into a new or empty folder, "
            "so that no file of an earlier export is left behind."
        )
    root.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    redirects = old_addresses.old_paths_by_url()
    media_users = {}
    tags = [files.TagEntry(t.name, t.slug, t.description) for t in Tag.objects.all()]
    files.write_tags(root, tags)
    summary.created["tag"] = len(tags)
    posts = Post.objects.select_related("featured_slot").prefetch_related(
        "tags", "redirects"
    )
    for post in posts.order_by("pk").iterator(chunk_size=500):
        post_file = post_file_of(post, redirects)
        files.write_post(root, post_file)
        if post_file.featured_position is not None:
            summary.count("featured slot")
        summary.created["old address"] += len(post_file.aliases)
        note_media(
            media_users,
            files.post_file_name(post_file),
            f"{post.body}\n{post.excerpt}",
        )
        summary.count("post")
    for page in Page.objects.order_by("path"):
        page_file = page_file_of(page, redirects)
        files.write_page(root, page_file)
        summary.created["old address"] += len(page_file.aliases)
        note_media(media_users, files.page_file_name(page_file), page.body)
        summary.count("page")
    for name, user in sorted(media_users.items()):
        export_media(root, name, user, summary)
    return summary


def post_file_of(post, redirects):
    slot = getattr(post, "featured_slot", None)
    old_slugs = [
        uri_to_iri(reverse("blog:post_detail", kwargs={"slug": redirect.old_slug}))
        for redirect in post.redirects.all()
    ]
    return files.PostFile(
        title=post.title,
        slug=post.slug,
        body=post.body,
        status=post.status,
        date=post.published_at,
        updated=post.updated_at,
        tags=tuple(tag.name for tag in post.tags.all()),
        excerpt=post.excerpt,
        continue_text=post.continue_text,
        featured_position=slot.position if slot else None,
        featured_label=slot.label if slot else "",
        aliases=tuple({*old_slugs, *redirects[post.get_absolute_url()]}),
    )


def page_file_of(page, redirects):
    parent, _slash, _slug = page.path.rpartition("/")
    return files.PageFile(
        title=page.title,
        slug=page.slug,
        body=page.body,
        parent=parent,
        status=page.status,
        updated=page.updated_at,
        show_in_navigation=page.show_in_navigation,
        navigation_order=page.navigation_order,
        aliases=tuple(redirects[page.get_absolute_url()]),
    )


def note_media(media_users, file_name, markdown):
    """Remember each media file the Markdown uses, with the first file that
    uses it (for the warning when it is missing).
    """
    for name in files.media_references(markdown):
        media_users.setdefault(name, file_name)


def export_media(root, name, user, summary):
    if not default_storage.exists(name):
        summary.warnings.append(
            f"{user} uses /{settings.MEDIA_URL.strip('/')}/{name}, which is not "
            "in the media folder: the link is exported as it is, without a file."
        )
        return
    with default_storage.open(name, "rb") as source:
        files.write_media(root, name, source)
    summary.count("media file")


# Import


def import_folder(root, *, dry_run=False):
    """Read the Markdown folder at `root` into the blog, all or nothing:
    posts are matched by slug and pages by path, updated when they exist and
    created when not; media files are copied back under MEDIA_ROOT.

    Return a Summary; raise FolderError, with nothing saved, for the first
    file that cannot be read or saved. With `dry_run`, nothing is saved.
    """
    root = Path(root)
    folder = files.read_folder(root)
    refuse_twins(folder.posts, lambda post_file: post_file.slug, "slug")
    refuse_twins(folder.pages, lambda page_file: page_file.path, "address")
    summary = Summary(warnings=folder.warnings)
    # One transaction, and every save in it counted as one change.
    with content_version.one_bump():
        tags = {tag.name: tag for tag in import_tags(folder.tags, summary)}
        posts = [import_post(post_file, tags, summary) for post_file in folder.posts]
        import_featured_slots(folder.posts, posts, summary)
        depth_first = sorted(folder.pages, key=lambda p: (p.path.count("/"), p.path))
        for page_file in depth_first:
            import_page(page_file, summary)
        for name in folder.media:
            import_media(root, name, summary, copy=not dry_run)
        # Some rows were written with update(), which sends no signal.
        content_version.bump()
        if dry_run:
            transaction.set_rollback(True)
    return summary


def refuse_twins(records, key, what):
    """Raise FolderError when two files of the folder would be one post or
    page: the second would silently replace the first.
    """
    seen = {}
    for record in records:
        twin = seen.setdefault(key(record), record)
        if twin is not record:
            raise FolderError(
                f"{record.source} and {twin.source} have the same {what}, "
                f"{key(record)}. Change or remove one of them and import again."
            )


# The model's fields a file sets, each with the file's name for it.
POST_FIELDS = {
    "title": "title",
    "body": "body",
    "excerpt": "excerpt",
    "continue_text": "continue_text",
    "status": "status",
    "published_at": "date",
}
PAGE_FIELDS = {
    "title": "title",
    "slug": "slug",
    "body": "body",
    "status": "status",
    "show_in_navigation": "show_in_navigation",
    "navigation_order": "navigation_order",
}


def fill(instance, record, fields):
    for model_field, record_field in fields.items():
        setattr(instance, model_field, getattr(record, record_field))


def validate(instance, source):
    """Raise FolderError naming `source` unless `instance` is valid."""
    exclude = [f.name for f in instance._meta.fields if not f.editable]
    try:
        # An empty body is allowed here: it was allowed where it came from.
        instance.full_clean(exclude=[*exclude, "body"])
    except ValidationError as error:
        problems = " ".join(
            " ".join(messages)
            if name == NON_FIELD_ERRORS
            else f"{name}: {' '.join(messages)}"
            for name, messages in sorted(error.message_dict.items())
        )
        raise FolderError(f"{source}: {problems} Fix it and import again.") from error


def import_tags(entries, summary):
    tags = []
    for entry in entries:
        tag = Tag.objects.filter(name=entry.name).first()
        summary.count("tag", created=tag is None)
        tag = tag or Tag(name=entry.name)
        tag.slug = entry.slug or tag.slug
        tag.description = entry.description
        validate(tag, files.TAGS_FILE)
        tag.save()
        tags.append(tag)
    return tags


def tag_named(name, tags, summary):
    if name not in tags:
        tags[name], created = Tag.objects.get_or_create(name=name)
        summary.count("tag", created=created)
    return tags[name]


def import_post(post_file, tags, summary):
    post = Post.objects.filter(slug=post_file.slug).first()
    summary.count("post", created=post is None)
    post = post or Post(slug=post_file.slug)
    fill(post, post_file, POST_FIELDS)
    validate(post, post_file.source)
    services.post_save(post=post)
    post.tags.set(tag_named(name, tags, summary) for name in post_file.tags)
    if post_file.updated is not None:
        Post.objects.filter(pk=post.pk).update(updated_at=post_file.updated)
    for alias in post_file.aliases:
        import_alias(alias, post, post_file.source, summary)
    return post


def import_featured_slots(post_files, posts, summary):
    """Give the folder's featured posts their slots: the folder decides for
    its own posts, and takes the positions it names from any other post.
    """
    claimed = {f.featured_position for f in post_files if f.featured_position}
    imported = {post.pk for post in posts}
    for slot in FeaturedSlot.objects.select_related("post"):
        if slot.post_id in imported or slot.position in claimed:
            if slot.post_id not in imported:
                summary.warnings.append(
                    f"“{slot.post}” lost featured position {slot.position} to a "
                    "post of the folder."
                )
            slot.delete()
    for post_file, post in zip(post_files, posts, strict=True):
        if post_file.featured_position is None:
            continue
        slot = FeaturedSlot(
            position=post_file.featured_position,
            post=post,
            label=post_file.featured_label,
        )
        validate(slot, post_file.source)
        slot.save()
        summary.count("featured slot")


def import_page(page_file, summary):
    page = Page.objects.filter(path=page_file.path).first()
    summary.count("page", created=page is None)
    page = page or Page()
    page.parent = None
    if page_file.parent:
        page.parent = Page.objects.filter(path=page_file.parent).first()
        if page.parent is None:
            raise FolderError(
                f"{page_file.source}: its parent page /{page_file.parent}/ is "
                f"neither in the folder nor on the site. Add "
                f"{files.PAGES_DIR}/{page_file.parent}.md or change `parent`, "
                "and import again."
            )
    fill(page, page_file, PAGE_FIELDS)
    validate(page, page_file.source)
    page.save()
    if page_file.updated is not None:
        Page.objects.filter(pk=page.pk).update(updated_at=page_file.updated)
    for alias in page_file.aliases:
        import_alias(alias, page, page_file.source, summary)


def import_alias(alias, target, source, summary):
    """Make the old address `alias` lead to `target` (a post or page): a
    post's old slug joins its slug history; any other address becomes an
    old address (blog.old_addresses).
    """
    old_slug = post_slug_in(alias)
    if isinstance(target, Post) and old_slug is not None:
        if old_slug != target.slug:
            SlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"post": target}
            )
            summary.count("old address")
        return
    old_addresses.keep(alias, target.get_absolute_url())
    summary.count("old address")


def post_slug_in(address):
    """Return the slug if `address` is a post's (`/posts/<slug>/`), else None."""
    try:
        match = resolve(address)
    except Resolver404:
        return None
    return match.kwargs["slug"] if match.view_name == "blog:post_detail" else None


def import_media(root, name, summary, *, copy):
    """Copy media/<name> back under MEDIA_ROOT, at the same name, as it is
    (only check it unless `copy`).

    Only images the editor accepts are copied: anything under /media/ is
    served from the site's own address, so an HTML or SVG file there could
    run script as the site.
    """
    path = Path(root, files.MEDIA_DIR, name)
    with path.open("rb") as image_file:
        try:
            decoded_image(
                image_file, max_pixels=settings.INKWELL_IMAGE_MAX_PIXELS
            ).close()
        except UploadRefused as refusal:
            summary.warnings.append(
                f"{files.MEDIA_DIR}/{name} was not copied: {refusal.message}"
            )
            return
    content = path.read_bytes()
    if not copy:
        summary.count("media file")
        return
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if stored.read() == content:
                return
        default_storage.delete(name)
    default_storage.save(name, ContentFile(content))
    summary.count("media file")
