from django.core.management.base import BaseCommand, CommandError

from blog.importers.markdown_files import FolderError
from blog.importers.markdown_site import describe, export_site


class Command(BaseCommand):
    help = (
        "Write every post, page and tag, and the media files they use, into a "
        "new or empty folder as Markdown files with YAML front matter, in the "
        "layout Jekyll and Hugo read. import_markdown reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A new or empty folder to write into.")

    def handle(self, *args, folder, **options):
        try:
            summary = export_site(folder)
        except FolderError as error:
            raise CommandError(str(error)) from error
        for warning in summary.warnings:
            self.stderr.write(warning)
        self.stdout.write(
            self.style.SUCCESS(f"Exported to {folder}: {describe(summary.created)}.")
        )
