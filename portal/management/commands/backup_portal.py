from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the media storage (attachments, report PDFs) into a new directory, with a "
        "manifest (row counts, approved-report SHA-256s, file hashes) that restore_portal checks against."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="a new or empty directory to write the backup into")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = backup_create(target=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        size = sum(f["size"] for f in manifest["files"].values())
        self.stdout.write(
            f"backup: {directory} ({manifest['engine']}): {len(manifest['tables'])} tables, {rows} rows, "
            f"{len(manifest['approved_reports'])} approved reports, {len(manifest['files'])} files ({size} bytes)"
        )
