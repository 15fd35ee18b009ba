"""Import a read WordPress export into Inkwell's database.

Posts and pages (matched on re-import by their origin, the WordPress blog's
address and post id), their authors, tags, featured slots (the sticky
posts), old addresses and, with a media folder, images. Everything happens
in one transaction: an import that fails, or a dry run, leaves the database
as it was (and removes the image files it stored).

Converting and rendering are the slow parts; blog.importers.wp_content
spreads them over the machine's cores. New posts are inserted in bulk and
rendered once each; posts imported before are saved through
services.post_save, which keeps their slug history.
"""

import re
from collections import defaultdict

from django.db.models import Max
from django.utils import timezone

from blog import content_version, search_index, services
from blog.importers.wp_authors import authors_by_login
from blog.importers.wp_content import convert_items, render_posts
from blog.importers.wp_markdown import ExportConverter
from blog.importers.wp_media import MediaImporter, is_remote
from blog.importers.wp_redirects import OldAddresses
from blog.importers.wp_summary import ImportSummary
from blog.importers.wp_tags import ExportTags
from blog.models import FeaturedSlot, Page, Post
from blog.slugs import SLUG_MAX_LENGTH, slug_from_title, unique_slug

IMPORTED_TYPES = ("post", "page")
_SLUG = re.compile(r"[-\w]+")
_BATCH = 500


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def import_export(export, **options):
    """Import `export` (blog.importers.wxr.read_export); return its
    ImportSummary. Options: see WordPressImport.
    """
    return WordPressImport(export, **options).run()


class WordPressImport:
    """One import of one export.

    `author`: the user every post and page is given (else WordPress logins
    are matched to users, or inactive users are made). `media_dir`: a copy
    of wp-content/uploads. `progress(stage, done, total)` is told how the
    slow stages go. `processes`: worker processes (default: one a core).
    """

    def __init__(
        self,
        export,
        *,
        author=None,
        media_dir=None,
        dry_run=False,
        progress=None,
        processes=None,
    ):
        self.export = export
        self.author = author
        self.media = MediaImporter(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.progress = progress or (lambda stage, done, total: None)
        self.processes = processes
        site = export.site
        self.origin_prefix = f"wordpress:{site.base_blog_url or site.link}:"
        self.summary = ImportSummary(
            site_title=site.title,
            site_url=site.base_blog_url or site.link,
            is_dry_run=dry_run,
            media=self.media.report if self.media else None,
        )
        self.addresses = OldAddresses(site)
        self.items = self._importable_items()

    def run(self):
        converted = convert_items(
            ExportConverter(self.export),
            self.items,
            progress=lambda done, total: self.progress("converted", done, total),
            processes=self.processes,
        )
        try:
            # Thousands of saves, counted as one change readers see.
            with content_version.one_bump():
                self._write(converted)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            self._discard_media()
        except BaseException:
            self._discard_media()
            raise
        return self.summary

    def _discard_media(self):
        if self.media is not None:
            self.media.discard()

    def _importable_items(self):
        items, seen = [], set()
        for item in self.export.items:
            if item.post_type not in IMPORTED_TYPES:
                self.summary.skipped[f"{item.post_type} (not a post or page)"] += 1
            elif item.state is None:
                self.summary.skipped[f"{item.post_type} with status {item.status}"] += 1
            elif item.wp_id in seen:
                self.summary.skipped[f"{item.post_type} listed twice"] += 1
            else:
                seen.add(item.wp_id)
                items.append(item)
                self.summary.comments += item.comment_count
        return items

    def _write(self, converted):
        converted = self._with_images(converted)
        content = dict(zip((item.wp_id for item in self.items), converted, strict=True))
        self.users = authors_by_login(
            self.items,
            self.export.authors,
            author=self.author,
            summary=self.summary,
        )
        self.tags = ExportTags(self.export, self.addresses, self.summary)
        self.tags.add_items(self.items)
        self._pages(content)
        posts = self._posts(content)
        # The new posts came in by bulk writes, their tags too: index every
        # imported post in one pass.
        search_index.index_posts(post.pk for post in posts.values())
        self._featured_slots(posts)
        self.addresses.add_site()
        self.summary.redirects_saved = self.addresses.save()
        self.summary.redirects_total = len(self.addresses.paths)
        self.summary.redirects_too_long = self.addresses.too_long
        # Tag links and old addresses were written in bulk, without signals
        # (one_bump counts this and every save's bump as one).
        content_version.bump()

    def origin(self, item):
        return f"{self.origin_prefix}{item.wp_id}"

    # Images

    def _with_images(self, converted):
        """Import the images the items use; return the conversions, those
        whose images moved converted again with the new URLs.
        """
        used = dict.fromkeys(url for each in converted for url in each.image_urls)
        new_urls = self.media.new_urls(used) if self.media else {}
        self.summary.remote_images = sum(
            1 for url in used if url not in new_urls and is_remote(url)
        )
        moved = [
            index
            for index, each in enumerate(converted)
            if any(url in new_urls for url in each.image_urls)
        ]
        again = convert_items(
            ExportConverter(self.export, image_url=new_urls),
            [self.items[i] for i in moved],
            processes=self.processes,
        )
        converted = list(converted)
        for index, conversion in zip(moved, again, strict=True):
            converted[index] = conversion
        return converted

    # Pages

    def _pages(self, content):
        items = [item for item in self.items if item.post_type == "page"]
        items = _parents_first(items)
        existing = {
            page.origin: page
            for page in Page.objects.filter(origin__startswith=self.origin_prefix)
        }
        in_navigation = self._navigation_pages(items)
        pages = {}
        for item in items:
            page = existing.get(self.origin(item)) or Page(origin=self.origin(item))
            is_new = page.pk is None
            page.title = _title(item)
            page.parent = pages.get(item.parent_id)
            page.body = content[item.wp_id].body
            # A page is never scheduled: a future page waits as a draft.
            is_published = item.state == "published" and not item.password
            page.status = Page.Status.PUBLISHED if is_published else Page.Status.DRAFT
            page.show_in_navigation = item.wp_id in in_navigation
            page.navigation_order = item.menu_order
            wanted = _slug(item, fallback="page")
            if is_new or page.slug != wanted:
                page.slug = unique_slug(wanted, page.slug_taken)
            page.save()
            Page.objects.filter(pk=page.pk).update(**_dates(item))
            pages[item.wp_id] = page
            self._count(item, "page", is_new, page.status, page_date=True)
            self.addresses.add_item(item, page.get_absolute_url())

    def _navigation_pages(self, items):
        """Return the ids of the pages WordPress's menus list; without
        menus, WordPress lists the top-level pages.
        """
        menu_items = self.export.of_type("nav_menu_item")
        if not menu_items:
            return {item.wp_id for item in items if not item.parent_id}
        return {
            int(entry.meta_value("_menu_item_object_id") or 0)
            for entry in menu_items
            if entry.meta_value("_menu_item_object", "page") == "page"
        }

    # Posts

    def _posts(self, content):
        """Write the posts; return {WordPress id: Post}."""
        items = [item for item in self.items if item.post_type == "post"]
        existing = {
            post.origin: post
            for post in Post.objects.filter(origin__startswith=self.origin_prefix)
        }
        taken = set(Post.objects.values_list("slug", flat=True))
        posts, new_posts = {}, []
        for item in items:
            post = existing.get(self.origin(item)) or Post(origin=self.origin(item))
            self._fill_post(post, item, content[item.wp_id], taken)
            posts[item.wp_id] = post
            if post.pk is None:
                new_posts.append((item, post))
            else:
                services.post_save(post=post)
                Post.objects.filter(pk=post.pk).update(**_dates(item))
                post.tags.set(self.tags.of_item(item))
                self._count(item, "post", False, post.status, post.published_at)
        self._create_posts(new_posts)
        for item, post in ((item, posts[item.wp_id]) for item in items):
            self.addresses.add_item(item, post.get_absolute_url())
            if post.state == Post.State.PUBLISHED:
                self.addresses.add_dates(item.local_date or post.published_at)
        return posts

    def _fill_post(self, post, item, converted, taken):
        post.title = _title(item)
        wanted = _slug(item, fallback="post")
        if post.slug != wanted:
            taken.discard(post.slug)
            post.slug = unique_slug(wanted, taken.__contains__)
            taken.add(post.slug)
        post.body = converted.body
        post.excerpt = converted.excerpt
        # Readers never saw a private, pending or password-protected post.
        is_public = item.state in ("published", "scheduled") and not item.password
        post.status = Post.Status.PUBLISHED if is_public else Post.Status.DRAFT
        post.published_at = item.published_at
        if is_public and post.published_at is None:
            post.published_at = timezone.now()
        post.author = self.users.get(item.author_login)
        if item.password and item.state != "draft":
            self.summary.kept_as_drafts["password-protected"] += 1
        elif item.status in ("private", "pending"):
            self.summary.kept_as_drafts[item.status] += 1

    def _create_posts(self, new_posts):
        """Insert the new posts in bulk, then render each once (in worker
        processes) and store the result with the WordPress dates.
        """
        posts = [post for _item, post in new_posts]
        Post.objects.bulk_create(posts, batch_size=_BATCH)
        rendered = render_posts(
            posts,
            progress=lambda done, total: self.progress("rendered", done, total),
            processes=self.processes,
        )
        for (item, post), fields in zip(new_posts, rendered, strict=True):
            for name, value in {**fields, **_dates(item)}.items():
                setattr(post, name, value)
            self._count(item, "post", True, post.status, post.published_at)
        Post.objects.bulk_update(
            posts,
            [*Post.RENDERED_FIELDS, "created_at", "updated_at"],
            batch_size=_BATCH,
        )
        links = [
            Post.tags.through(post_id=post.pk, tag_id=tag.pk)
            for item, post in new_posts
            for tag in self.tags.of_item(item)
        ]
        Post.tags.through.objects.bulk_create(links, batch_size=_BATCH)

    def _featured_slots(self, posts):
        """Feature the sticky posts, newest first, after the slots there are."""
        position = FeaturedSlot.objects.aggregate(last=Max("position"))["last"] or 0
        featured = set(FeaturedSlot.objects.values_list("post_id", flat=True))
        for item in self.export.sticky_posts():
            post = posts.get(item.wp_id)
            if post is None or post.pk in featured:
                continue
            if post.status != Post.Status.PUBLISHED:
                self.summary.sticky_not_featured += 1
                continue
            position += 1
            FeaturedSlot.objects.create(position=position, post=post)
            self.summary.slots_added.append(position)

    def _count(self, item, kind, is_new, status, published_at=None, page_date=False):
        self.summary.written[(kind, "imported" if is_new else "updated")] += 1
        if status == Post.Status.DRAFT:
            state = "draft"
        elif page_date or published_at <= timezone.now():
            state = "published"
        else:
            state = "scheduled"
        self.summary.states[(kind, state)] += 1


def _title(item):
    title = item.title.strip() or item.slug or "Untitled"
    return title[: Post._meta.get_field("title").max_length]


def _slug(item, *, fallback):
    """Return the item's WordPress slug as it was, or one made from its
    title when it has none (a draft) or one Inkwell cannot use.
    """
    if _SLUG.fullmatch(item.slug) and len(item.slug) <= SLUG_MAX_LENGTH:
        return item.slug
    return slug_from_title(item.slug or item.title, fallback=fallback)


def _dates(item):
    """Return the created and updated dates WordPress had for the item."""
    created = item.published_at or item.modified_at or timezone.now()
    return {"created_at": created, "updated_at": item.modified_at or created}


def _parents_first(items):
    """Return pages ordered so that each parent comes before its children."""
    by_id = {item.wp_id: item for item in items}
    depth = defaultdict(int)
    for item in items:
        seen, parent = {item.wp_id}, item.parent_id
        while parent in by_id and parent not in seen:
            seen.add(parent)
            depth[item.wp_id] += 1
            parent = by_id[parent].parent_id
    return sorted(items, key=lambda item: depth[item.wp_id])
