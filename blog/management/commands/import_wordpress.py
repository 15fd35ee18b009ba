import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from blog.importers.wordpress import import_export
from blog.importers.wxr import WXRError, read_export

STAGES = {"converted": "converted to Markdown", "rendered": "rendered"}


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2, from Tools → Export): posts, "
        "pages, tags, authors, sticky posts as featured slots, old addresses "
        "as redirects and, with --media-dir, images. All or nothing; running "
        "it again updates what it imported before."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress export file (.xml).")
        parser.add_argument(
            "--media-dir",
            help="A copy of the blog's wp-content/uploads folder, to import "
            "the images the posts use.",
        )
        parser.add_argument(
            "--author",
            metavar="USERNAME",
            help="Give every post and page to this existing user, instead of "
            "matching WordPress logins.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Do everything and print the summary, then save nothing.",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=500,
            help="Report progress on stderr after this many items (default 500).",
        )

    def handle(self, *args, export, media_dir, author, dry_run, progress_every, **_):
        user = self.author(author) if author else None
        if media_dir and not os.path.isdir(media_dir):
            raise CommandError(
                f"The media folder {media_dir} does not exist. Give the path of "
                "a copy of the blog's wp-content/uploads folder."
            )
        self.every = progress_every
        self.last_tenth = 0
        try:
            parsed = read_export(export, progress=self.report_reading)
        except WXRError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        summary = import_export(
            parsed,
            author=user,
            media_dir=media_dir,
            dry_run=dry_run,
            progress=self.report_stage,
        )
        for line in summary.lines():
            self.stdout.write(line)

    def author(self, username):
        User = get_user_model()
        try:
            return User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(
                f"No user is called {username}. Give the username of an "
                "existing user (python manage.py createsuperuser makes one)."
            ) from None

    def report_reading(self, done, total):
        tenth = done * 10 // max(total, 1)
        if tenth > self.last_tenth and total > 10_000_000:
            self.last_tenth = tenth
            self.stderr.write(f"Read {tenth * 10}% of the export.")

    def report_stage(self, stage, done, total):
        if self.every > 0 and (done % self.every == 0 or done == total) and total:
            if total >= self.every:
                self.stderr.write(f"{done} of {total} items {STAGES[stage]}.")
