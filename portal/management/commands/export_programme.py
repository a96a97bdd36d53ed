from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from handlingsprogram.models import Handlingsprogram
from portal.programme_export import programme_export_toml


class Command(BaseCommand):
    help = (
        "Write a programme (any state, e.g. a rolled-over draft) in the programme file format, with the reference "
        "data it needs and every fact's source, so that load_programme can load it into another database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "programme", help="The programme's identifier (slug), e.g. internasjonalt-handlingsprogram-2020-2023."
        )
        parser.add_argument("-o", "--output", type=Path, help="The file to write (default: standard output).")

    def handle(self, *args, programme: str, output: Path | None, **options):
        found = Handlingsprogram.objects.filter(slug=programme).first()
        if found is None:
            with translation.override("nb"):
                known = ", ".join(Handlingsprogram.objects.order_by("start_year").values_list("slug", flat=True))
                raise CommandError(
                    _("No programme %(slug)s. The programmes are: %(known)s") % {"slug": programme, "known": known}
                )
        text = programme_export_toml(programme=found)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
