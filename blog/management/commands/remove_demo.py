from django.core.management.base import BaseCommand

from blog import demo


class Command(BaseCommand):
    help = (
        "Remove the demo blog's posts, pages, tags, featured slots and images, "
        "and nothing the author made. A tag, page or image the author's own "
        "content uses is kept."
    )

    def handle(self, *args, **options):
        removal = demo.remove()
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed the demo: {removal.posts} posts, {removal.pages} pages, "
                f"{removal.tags} tags, {removal.files} images."
            )
        )
        kept = [
            ("tags your posts use", removal.kept_tags),
            ("pages with your subpages", removal.kept_pages),
            ("images your posts or pages show", removal.kept_files),
        ]
        for what, names in kept:
            if names:
                self.stdout.write(f"Kept {what}: {', '.join(names)}.")
