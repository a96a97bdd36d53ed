from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, backup_restore, manifest_read


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal: replace the database's contents and put every media file back, "
        "then check row counts, approved-report SHA-256s and file hashes against the backup's manifest. "
        "Stop the portal (gunicorn and the task worker) first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="the backup's directory")
        parser.add_argument("--yes", action="store_true", help="do not ask before replacing the database (for scripts)")

    def handle(self, *args, directory: Path, yes: bool, **options):
        try:
            manifest = manifest_read(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if not yes:
            answer = input(f"Replace this database's contents with the backup from {manifest['created_at']}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "j", "ja"):
                raise CommandError("Nothing restored.")
        try:
            report = backup_restore(source=directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restore: {directory} checked: {report.tables} tables, {report.rows} rows, "
            f"{report.approved_reports} approved reports, {report.files} files — identical to the backup"
        )
