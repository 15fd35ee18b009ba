from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from blog.unused_media import find_unused

DEFAULT_MIN_AGE_MINUTES = 60


class Command(BaseCommand):
    help = (
        "List the uploaded files that no saved post or page uses any longer; "
        "--delete removes them. Files uploaded in the last hour (--min-age) "
        "are kept: an author may be writing the post that will use them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="Remove the unused files."
        )
        parser.add_argument(
            "--min-age",
            type=int,
            default=DEFAULT_MIN_AGE_MINUTES,
            metavar="MINUTES",
            help=(
                "Keep files younger than this many minutes "
                f"(default {DEFAULT_MIN_AGE_MINUTES})."
            ),
        )

    def handle(self, *args, delete, min_age, **options):
        if min_age < 0:
            raise CommandError("--min-age is a number of minutes, 0 or more.")
        report = find_unused(min_age_minutes=min_age)
        for name in report.unused:
            if delete:
                default_storage.delete(name)
                self.stdout.write(f"deleted {name}")
            else:
                self.stdout.write(name)
        if report.recent:
            self.stdout.write(
                f"Kept {len(report.recent)} unused file(s) younger than "
                f"{min_age} minutes: an author may be adding them to a post "
                "right now. Run again later, or pass --min-age 0."
            )
        count = len(report.unused)
        if not count:
            summary = f"No unused files ({report.used} in use)."
        elif delete:
            summary = f"Deleted {count} unused file(s); {report.used} in use."
        else:
            summary = (
                f"{count} unused file(s); {report.used} in use. "
                "Run with --delete to remove them."
            )
        self.stdout.write(self.style.SUCCESS(summary))
