from django.core.management.base import BaseCommand
from django.utils import timezone

from blog import search_index
from blog.models import Page, Post


class Command(BaseCommand):
    help = (
        "Render every post's and page's Markdown again and store the result, "
        "after the rendering pipeline changed. Only those whose output "
        "changed are written, and their updated_at is left alone: "
        "re-rendering is not an edit. Running it twice changes nothing the "
        "second time. The search index is rebuilt at the end, in one pass "
        "(after a change of LANGUAGE_CODE too)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--progress-every",
            type=int,
            default=500,
            help="Report progress after this many posts (default 500).",
        )

    def handle(self, *args, progress_every, **options):
        total = Post.objects.count()
        changed = 0
        posts = Post.objects.order_by("pk").only(
            "pk", "slug", "body", "excerpt", *Post.RENDERED_FIELDS
        )
        for seen, post in enumerate(posts.iterator(chunk_size=500), start=1):
            changed += self.rerender(post)
            if progress_every > 0 and seen % progress_every == 0 and seen < total:
                self.stdout.write(f"{seen} of {total} posts checked, {changed} changed")
        self.stdout.write(
            self.style.SUCCESS(f"Re-rendered {total} posts: {changed} changed.")
        )
        # Pages go through the same pipeline; a blog without any says
        # nothing of them.
        pages = Page.objects.order_by("pk").only(
            "pk", "path", "body", *Page.RENDERED_FIELDS
        )
        if pages.exists():
            changed = sum(map(self.rerender_page, pages.iterator(chunk_size=500)))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Re-rendered {pages.count()} pages: {changed} changed."
                )
            )
        # The text may have changed, or the language it is stemmed in.
        search_index.index_posts()
        search_index.index_pages()

    def rerender(self, post):
        """Store the post's new rendering if it differs; return 1 if it did."""
        stored = post.rendered_fields()
        post.render()
        rendered = post.rendered_fields()
        if rendered == stored:
            return 0
        # update(), not save(): save() would bump updated_at. rendered_at
        # tells feeds the content changed all the same.
        Post.objects.filter(pk=post.pk).update(**rendered, rendered_at=timezone.now())
        return 1

    def rerender_page(self, page):
        """Store the page's new rendering if it differs; return 1 if it did."""
        stored = page.rendered_fields()
        page.render()
        rendered = page.rendered_fields()
        if rendered == stored:
            return 0
        Page.objects.filter(pk=page.pk).update(**rendered)
        return 1
