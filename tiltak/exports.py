"""Spreadsheet downloads from the tiltak app: the filtered tiltak list (the same columns as the page in
tiltak/views/oversikt.py). Projects and indicator values are resultater/exports.py's."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from felles.exports import csv_response, xlsx_response
from handlingsprogram.kilde_text import ansvar_kilde_text

from .models import Ansvar, Tiltak
from .templatetags.tiltak_tags import status_label, vurdering_label


def ansvar_label(ansvar: Ansvar) -> str:
    holder = f"{ansvar.aktoer.navn}, {ansvar.enhet.navn}" if ansvar.enhet_id else ansvar.aktoer.navn
    return f"{holder} ({ansvar.get_rolle_display()})"


def tiltak_header(*, year: int) -> list[str]:
    return [
        _("Code"),
        _("Measure"),
        _("Priority area"),
        _("Focus area"),
        _("Status"),
        _("Assessment"),
        _("Last status report"),
        _("Reported in %(year)s") % {"year": year},
        _("Responsible"),
        _("Source of responsibility"),
    ]


def tiltak_rows(tiltak_list: Iterable[Tiltak]) -> list[list]:
    """One row per tiltak from ``tiltak.selectors.tiltak_filtered`` (annotated, Ansvar prefetched). Never holds
    a statusmelding's text, so nothing internal (``intern_merknad``) can leak into a file."""
    rows = []
    for tiltak in tiltak_list:
        omraade = tiltak.innsatsomraade.omraade
        rows.append(
            [
                tiltak.kode,
                tiltak.tekst,
                f"{omraade.nummer}. {omraade.navn}",
                f"{tiltak.innsatsomraade.kode} {tiltak.innsatsomraade.navn}",
                status_label(tiltak.siste_status),
                vurdering_label(tiltak.siste_vurdering) if tiltak.siste_vurdering else "",
                tiltak.siste_dato,
                _("Yes") if tiltak.rapportert else _("No"),
                "; ".join(ansvar_label(ansvar) for ansvar in tiltak.ansvar.all()),
                "; ".join(f"{ansvar.aktoer.navn}: {ansvar_kilde_text(ansvar)}" for ansvar in tiltak.ansvar.all()),
            ]
        )
    return rows


def tiltak_export(*, fmt: str, tiltak_list: Iterable[Tiltak], year: int) -> HttpResponse:
    filename = f"tiltak-{year}.{fmt}"
    header = tiltak_header(year=year)
    rows = tiltak_rows(tiltak_list)
    if fmt == "csv":
        return csv_response(filename, header, rows)
    if fmt == "xlsx":
        return xlsx_response(filename, header, rows, sheet_title=_("Measures in %(year)s") % {"year": year})
    raise ValueError(f"Unknown export format {fmt!r}")
