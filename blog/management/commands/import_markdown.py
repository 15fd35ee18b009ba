from django.core.management.base import BaseCommand, CommandError

from blog.importers.markdown_files import FolderError
from blog.importers.markdown_site import describe, import_folder


class Command(BaseCommand):
    help = (
        "Read a folder written by export_markdown (or by hand, in the same "
        "layout) into the blog, all or nothing: posts are matched by slug and "
        "pages by path, updated when they exist and created when not."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The folder export_markdown wrote.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Read and check everything, then save nothing.",
        )

    def handle(self, *args, folder, dry_run, **options):
        try:
            summary = import_folder(folder, dry_run=dry_run)
        except FolderError as error:
            raise CommandError(f"{error} Nothing was imported.") from error
        for warning in summary.warnings:
            self.stderr.write(warning)
        verb = "Would import (dry run, nothing was saved)" if dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} from {folder}: created {describe(summary.created)}; "
                f"updated {describe(summary.updated, ('post', 'page', 'tag'))}."
            )
        )
