"""Slugs that work for titles in any language."""

from django.utils.text import slugify

SLUG_MAX_LENGTH = 200


def slug_from_title(title, *, fallback="post"):
    """Return a URL slug for a title, keeping letters of any script.

    A title with nothing sluggable in it ("!!!", emoji only) gets the fallback,
    so every post still has a usable URL.
    """
    slug = slugify(title, allow_unicode=True)[:SLUG_MAX_LENGTH].strip("-")
    return slug or fallback


def unique_slug(base, taken):
    """Return base, or base-2, base-3 ... whichever `taken(slug)` says is free."""
    candidate = base
    number = 2
    while taken(candidate):
        suffix = f"-{number}"
        candidate = f"{base[: SLUG_MAX_LENGTH - len(suffix)]}{suffix}"
        number += 1
    return candidate


def free_slug(instance, title, *, fallback):
    """Return a slug made from `title` that no other row of `instance`'s model
    has (a Post or a Tag).
    """
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    return unique_slug(
        slug_from_title(title, fallback=fallback),
        lambda slug: others.filter(slug=slug).exists(),
    )
