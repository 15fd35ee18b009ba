"""Writes that change several rows or models at once: publishing,
unpublishing, and saving a post with its slug history.

Keyword-only and typed. The admin and the commands call these rather than
writing the rows themselves.
"""

from django.db import transaction
from django.db.models import QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from blog import old_addresses
from blog.models import FeaturedSlot, Post, SlugRedirect


def post_save(*, post: Post) -> Post:
    """Save `post` (rendering it) and keep its old slug as a redirect.

    Every old slug is kept, a draft's too: a post unpublished, renamed and
    published again must still answer at the URL readers knew, and
    PostQuerySet.formerly_at() is only asked about visible posts. Every old
    slug points at the post itself, not at the next slug, so a chain of
    renames still takes one hop; renaming a post back to an old slug drops
    that redirect, so nothing loops. Old addresses (blog.old_addresses)
    follow the post to its new URL for the same reason.
    """
    with transaction.atomic():
        old_slug = stored_slug(post)
        post.save()
        if old_slug and old_slug != post.slug:
            # Old addresses (an import's) go straight to the new URL.
            old_addresses.follow_move(
                Post(slug=old_slug).get_absolute_url(), post.get_absolute_url()
            )
            SlugRedirect.objects.filter(post=post, old_slug=post.slug).delete()
            # The slug's latest owner takes it: another post may have held
            # it, been renamed, and left this redirect behind.
            SlugRedirect.objects.update_or_create(
                old_slug=old_slug, defaults={"post": post}
            )
    return post


def stored_slug(post: Post) -> str | None:
    """Return the slug `post` has in the database, or None before its insert."""
    if post.pk is None:
        return None
    return Post.objects.filter(pk=post.pk).values_list("slug", flat=True).first()


def post_publish(*, posts: QuerySet[Post]) -> int:
    """Publish the drafts among `posts`; return how many there were.

    A draft without a date is published now; one dated in the future is
    scheduled; one dated in the past (it was published before) keeps its
    date.
    """
    now = timezone.now()
    return posts.drafts().update(
        status=Post.Status.PUBLISHED,
        published_at=Coalesce("published_at", Value(now)),
        updated_at=now,
    )


def post_unpublish(*, posts: QuerySet[Post]) -> tuple[int, int]:
    """Turn `posts` back into drafts, out of any featured slot.

    Return how many posts were unpublished and how many slots freed: a
    featured slot only ever holds a published post.
    """
    published = posts.filter(status=Post.Status.PUBLISHED)
    with transaction.atomic():
        slots, _by_model = FeaturedSlot.objects.filter(post__in=published).delete()
        count = published.update(status=Post.Status.DRAFT, updated_at=timezone.now())
    return count, slots
