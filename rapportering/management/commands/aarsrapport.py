"""Render a programme's annual report to a PDF file:

    python manage.py aarsrapport --aar 2021 --output rapport-2021.pdf [--program SLUG]

An approved report is written exactly as stored (the same bytes the portal serves); otherwise the report is
rendered from live data with the year's draft texts, if there is a draft."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from handlingsprogram import selectors as programme_selectors
from rapportering import rendering, selectors
from rapportering.models import Aarsrapport


class Command(BaseCommand):
    help = "Render the annual report for a year to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("--aar", type=int, required=True, help="The year the report covers.")
        parser.add_argument("--output", required=True, help="Where to write the PDF.")
        parser.add_argument("--program", help="The programme's slug (default: the current programme).")

    def handle(self, *args, aar: int, output: str, program: str | None, **options):
        programme = (
            programme_selectors.programme_get(slug=program) if program else programme_selectors.programme_current()
        )
        if programme is None:
            raise CommandError(f"No such programme: {program}" if program else "No programme has been loaded.")
        if not programme.start_year <= aar <= programme.end_year:
            raise CommandError(f"{aar} is outside {programme.navn} ({programme.start_year}–{programme.end_year}).")
        aarsrapport = selectors.current_for_year(programme=programme, year=aar)
        if aarsrapport is not None and aarsrapport.status == Aarsrapport.Status.GODKJENT and aarsrapport.pdf:
            with aarsrapport.pdf.open("rb") as handle:
                pdf = handle.read()
            kind = "approved"
        else:
            try:
                document = selectors.live_document(programme=programme, year=aar, aarsrapport=aarsrapport)
                pdf = rendering.render_pdf(document)
            except rendering.RenderError as error:
                raise CommandError(str(error)) from error
            kind = "draft"
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Wrote the {kind} annual report for {aar} ({len(pdf):,} bytes) to {output}")
