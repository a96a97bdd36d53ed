from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from portal.loader import ProgrammeFileError, programme_file_load

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "handlingsprogram-2020-2023.toml"


class Command(BaseCommand):
    help = (
        "Load a programme file (default: the 2020–2023 programme; any programme of the same format, e.g. "
        "2024–2027, is loaded beside the ones there). Creates what is missing and never changes existing rows, "
        "so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, path: Path, **options):
        # The portal speaks bokmål; a command's own words too (the place in the file stays as the file writes it).
        with translation.override("nb"):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            try:
                result = programme_file_load(path=path)
            except ProgrammeFileError as error:
                raise CommandError(
                    _("The programme file was not loaded, and nothing was changed. %(where)s") % {"where": str(error)}
                ) from error
        for name in sorted(set(result.created) | set(result.existing)):
            self.stdout.write(f"{name}: {result.created[name]} created, {result.existing[name]} already there")
