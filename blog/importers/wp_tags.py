"""The tags a WordPress import makes of tags and categories."""

import re

from blog.models import Tag
from blog.slugs import SLUG_MAX_LENGTH

TAG_TAXONOMIES = ("post_tag", "category")
# WordPress's default category, which says nothing about a post.
UNCATEGORIZED = "uncategorized"
_SLUG = re.compile(r"[-\w]+")


def tag_terms(item):
    """Yield the item's tags and categories, Uncategorized left out."""
    for term in item.terms:
        if term.taxonomy not in TAG_TAXONOMIES or not term.slug:
            continue
        if term.taxonomy == "category" and (
            term.slug == UNCATEGORIZED or term.name == "Uncategorized"
        ):
            continue
        yield term


class ExportTags:
    """Tags for an export's terms: the one with the term's slug, else the
    one with its name, else a new one. Each term's old archive goes to
    `addresses` (wp_redirects.OldAddresses).
    """

    def __init__(self, export, addresses, summary):
        self.addresses = addresses
        self.summary = summary
        self.by_term = {}  # (taxonomy, WordPress slug) -> Tag
        self.category_parents = {
            term.slug: term.parent_slug
            for term in export.terms
            if term.taxonomy == "category"
        }

    def add_items(self, items):
        used = set()
        for item in items:
            for term in tag_terms(item):
                key = (term.taxonomy, term.slug)
                if key not in self.by_term:
                    self.by_term[key] = self._tag(term.name, term.slug)
                    self.addresses.add_term(self._archive_path(term), self.by_term[key])
                used.add(self.by_term[key].pk)
        self.summary.tags_existing = len(used) - self.summary.tags_created

    def of_item(self, item):
        """Return the item's tags, each once."""
        tags = (self.by_term[(term.taxonomy, term.slug)] for term in tag_terms(item))
        return list({tag.pk: tag for tag in tags}.values())

    def _tag(self, name, slug):
        name = name[: Tag._meta.get_field("name").max_length] or slug
        slug = slug[:SLUG_MAX_LENGTH] if _SLUG.fullmatch(slug) else ""
        tag = (slug and Tag.objects.filter(slug=slug).first()) or (
            Tag.objects.filter(name=name).first()
        )
        if tag is None:
            # A blank slug is made from the name when saved.
            tag = Tag.objects.create(name=name, slug=slug)
            self.summary.tags_created += 1
        return tag

    def _archive_path(self, term):
        if term.taxonomy == "post_tag":
            return f"tag/{term.slug}"
        # A subcategory's archive is under its parents': /category/a/b/.
        chain, slug = [], term.slug
        while slug and slug not in chain:
            chain.insert(0, slug)
            slug = self.category_parents.get(slug, "")
        return "category/" + "/".join(chain)
