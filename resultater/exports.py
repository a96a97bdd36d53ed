"""Results in CSV and XLSX: projects (the export is also the import format) and indikator values."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from felles.exports import csv_response, xlsx_response
from handlingsprogram.kilde_text import kilde_text

# Projects: the export is also the import format (prosjekt_import.py reads these columns back).

PROSJEKT_COLUMNS = (
    ("ekstern_id", _lazy("Project number")),
    ("navn", _lazy("Name")),
    ("akronym", _lazy("Acronym")),
    ("finansieringsprogram", _lazy("Funding programme")),
    ("utlysning", _lazy("Sub-programme or call")),
    ("rolle", _lazy("Trøndelag's role")),
    ("aktoerer", _lazy("Trøndelag organisations")),
    ("start_date", _lazy("Start")),
    ("end_date", _lazy("End")),
    ("status", _lazy("Status")),
    ("totalbudsjett", _lazy("Total budget")),
    ("innvilget_trondelag", _lazy("Granted to Trøndelag partners")),
    ("valuta", _lazy("Currency")),
    ("tiltak", _lazy("Measures")),
)
# Computed for the reader; the import ignores them.
PROSJEKT_COMPUTED_COLUMNS = (
    ("kurs", _lazy("Exchange rate to NOK")),
    ("innvilget_nok", _lazy("Granted in NOK")),
)
LIST_SEPARATOR = "; "


def basis_kilde_text(indikator) -> str:
    """Where the baseline comes from (kilder prefetched): the value's source, and the year's where it differs
    (the document gives a figure without a year, so the year is inferred)."""
    verdi, aar = indikator.kilde_for("basis_verdi"), indikator.kilde_for("basis_aar")
    text = kilde_text(verdi)
    if aar is not None and (
        verdi is None or (aar.type, aar.reference, aar.reasoning) != (verdi.type, verdi.reference, verdi.reasoning)
    ):
        text += " " + _("(year: %(source)s)") % {"source": kilde_text(aar)}
    return text


def prosjekt_rows(prosjekter: Iterable) -> list[list]:
    """One row per project from ``selectors.prosjekter_for_export`` (annotated with ``kurs`` and
    ``innvilget_nok``, relations prefetched)."""
    rows = []
    for prosjekt in prosjekter:
        rows.append(
            [
                prosjekt.ekstern_id,
                prosjekt.navn,
                prosjekt.akronym,
                prosjekt.finansieringsprogram.navn,
                prosjekt.utlysning,
                prosjekt.get_rolle_display(),
                LIST_SEPARATOR.join(aktoer.navn for aktoer in prosjekt.aktoerer.all()),
                prosjekt.start_date,
                prosjekt.end_date,
                prosjekt.get_status_display(),
                prosjekt.totalbudsjett,
                prosjekt.innvilget_trondelag,
                prosjekt.valuta,
                LIST_SEPARATOR.join(tiltak.kode for tiltak in prosjekt.tiltak.all()),
                prosjekt.kurs,
                prosjekt.innvilget_nok,
            ]
        )
    return rows


def prosjekt_export(*, fmt: str, prosjekter: Iterable) -> HttpResponse:
    header = [str(label) for _key, label in PROSJEKT_COLUMNS + PROSJEKT_COMPUTED_COLUMNS]
    rows = prosjekt_rows(prosjekter)
    if fmt == "csv":
        return csv_response("prosjekter.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response("prosjekter.xlsx", header, rows, sheet_title=_("Projects"))
    raise ValueError(f"Unknown export format {fmt!r}")


def indikatorverdi_export(*, fmt: str, verdier: Iterable, year: int | None = None) -> HttpResponse:
    """Every recorded value with its indikator's definition, one row per indikator and year."""
    header = [
        _("Indicator"),
        _("Measure or priority area"),
        _("Unit of measure"),
        _("Direction"),
        _("Baseline"),
        _("Baseline year"),
        _("Baseline source"),
        _("Target"),
        _("Target year"),
        _("Year"),
        _("Value"),
        _("Source"),
        _("Comment"),
        _("Where the baseline comes from"),
    ]
    rows = []
    for verdi in verdier:
        indikator = verdi.indikator
        rows.append(
            [
                indikator.navn,
                indikator.eier_label,
                indikator.get_maaleenhet_display(),
                indikator.get_retning_display(),
                indikator.basis_verdi,
                indikator.basis_aar,
                indikator.basis_kilde,
                indikator.maal_verdi,
                indikator.maal_aar,
                verdi.aar,
                verdi.verdi,
                verdi.kilde,
                verdi.kommentar,
                basis_kilde_text(indikator),
            ]
        )
    if fmt == "csv":
        return csv_response("indikatorverdier.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response("indikatorverdier.xlsx", header, rows, sheet_title=_("Indicator values"))
    raise ValueError(f"Unknown export format {fmt!r}")
