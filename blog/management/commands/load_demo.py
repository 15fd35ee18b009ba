from django.core.management.base import BaseCommand

from blog import demo
from blog.models import FeaturedSlot, FirstRun, Post, Tag

MESSAGES = {
    demo.Outcome.SET_UP_BEFORE: (
        "This blog was set up before ({when}); the demo is loaded only into a "
        "brand-new database, so nothing was changed."
    ),
    demo.Outcome.HAS_CONTENT: (
        "The database already has posts, pages or tags; the demo content was "
        "not loaded and nothing was changed."
    ),
    demo.Outcome.LEFT_EMPTY: (
        "Started an empty blog without the demo; later runs leave it as it is."
    ),
}


class Command(BaseCommand):
    help = (
        "Set up a brand-new blog: load the demo blog into it (or, with "
        "--empty, nothing) and record that it is set up. A blog set up "
        "before, or with content of its own, is never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--empty",
            action="store_true",
            help="Set a new blog up without the demo (make run DEMO=0).",
        )

    def handle(self, *args, empty, **options):
        outcome = demo.load(with_demo=not empty)
        if outcome != demo.Outcome.LOADED:
            record = FirstRun.load()
            when = f"{record.set_up_at:%Y-%m-%d %H:%M} UTC" if record else ""
            self.stdout.write(MESSAGES[outcome].format(when=when))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo blog: {Post.objects.count()} posts, "
                f"{Tag.objects.count()} tags, "
                f"{FeaturedSlot.objects.count()} featured slots. "
                "`manage.py remove_demo` removes it again."
            )
        )
