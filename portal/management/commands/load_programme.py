from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.loader import ProgrammeFileError, programme_file_load

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "handlingsprogram-2020-2023.toml"


class Command(BaseCommand):
    help = (
        "Load a programme file (default: the 2020–2023 programme). Creates what is missing and never "
        "changes existing rows, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            result = programme_file_load(path=path)
        except ProgrammeFileError as error:
            raise CommandError(str(error)) from error
        for name in sorted(set(result.created) | set(result.existing)):
            self.stdout.write(f"{name}: {result.created[name]} created, {result.existing[name]} already there")
