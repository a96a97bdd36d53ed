"""Labels and colours for status values, including the raw values that selectors annotate; the rows of the
tiltak list and of Mine tiltak, and the Ansvar of a list row."""

from dataclasses import dataclass

from django import template
from django.template.loader import get_template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from felles.formatting import per_language
from felles.templatetags.formatting import shorten
from tiltak.models import Ansvar, Statusmelding

register = template.Library()

STATUS_COLOURS = {
    Statusmelding.Status.IKKE_STARTET: "neutral",
    Statusmelding.Status.PAAGAAR: "info",
    Statusmelding.Status.FULLFOERT: "success",
    Statusmelding.Status.UTSATT: "warning",
    Statusmelding.Status.AVBRUTT: "danger",
}
VURDERING_COLOURS = {
    Statusmelding.Vurdering.I_RUTE: "success",
    Statusmelding.Vurdering.RISIKO: "warning",
    Statusmelding.Vurdering.AVVIK: "danger",
}


@register.filter
def status_label(value) -> str:
    return str(Statusmelding.Status(value).label) if value else _("No status report yet")


@register.filter
def vurdering_label(value) -> str:
    return str(Statusmelding.Vurdering(value).label) if value else _("Not assessed")


@register.filter
def status_colour(value) -> str:
    return STATUS_COLOURS.get(value, "neutral")


@register.filter
def vurdering_colour(value) -> str:
    return VURDERING_COLOURS.get(value, "neutral")


@register.simple_tag
def ansvar_list(tiltak) -> SafeString:
    """A tiltak's Ansvar as a list row names them, «Aktør, enhet (rolle)» each, or «–» when it has none (prefetch
    them with ``selectors.ansvar_list_prefetch``). Built here rather than in a template for the same reason as
    ``tiltak_list_row``: a page of 50 rows names some 70 Ansvar."""
    ansvar = tiltak.ansvar.all()
    if not ansvar:
        return SafeString("–")
    items = format_html_join(
        "",
        '<li><span lang="nb">{}</span> <span class="portal-meta">({})</span></li>',
        (
            (f"{a.aktoer_navn}, {a.enhet_navn}" if a.enhet_navn else a.aktoer_navn, Ansvar.Rolle(a.rolle).label)
            for a in ansvar
        ),
    )
    return format_html('<ul class="oversikt-ansvar">{}</ul>', items)


def _tag(colour: str, label: str) -> SafeString:
    return format_html('<span class="ds-tag" data-size="sm" data-color="{}">{}</span>', colour, label)


# The parts below take one of a few values each (six statuses, four assessments, demo or not, the labels of a
# year), so each is built once per language and value rather than once per row: a page of 50 rows then spends its
# time on what differs between its rows (50 rows of Mine tiltak at 100×: 3.8 → 1.7 ms).


@per_language
def _status_tag(status) -> SafeString:
    return _tag(status_colour(status), status_label(status))


@per_language
def _vurdering_tag(vurdering) -> SafeString:
    """The assessment's tag, or «–» when there is none."""
    return _tag(vurdering_colour(vurdering), vurdering_label(vurdering)) if vurdering else SafeString("–")


@per_language
def _demo_tag() -> SafeString:
    return get_template("_demo_tag.html").render()


def _joined(*tags) -> SafeString:
    return format_html_join(" ", "{}", ((tag,) for tag in tags if tag))


@per_language
def status_tags(status, vurdering, demo: bool) -> SafeString:
    """The status, the assessment when there is one and the demo tag, as templates/tiltak/_status_tags.html shows
    them (a list row cannot afford an include per row)."""
    return _joined(_status_tag(status), vurdering and _vurdering_tag(vurdering), demo and _demo_tag())


def _code_cell(tiltak) -> SafeString:
    """A row's first cell: the tiltak's code, linked to its page and named for screen readers."""
    kode = tiltak.kode
    return format_html(
        '<td><a class="ds-link portal-code" href="{}" aria-label="{}">{}</a></td>',
        tiltak.get_absolute_url(),
        _("Measure %(code)s") % {"code": kode},
        kode,
    )


@per_language
def _short_date(date) -> str:
    return date_format(date, "SHORT_DATE_FORMAT") if date else "–"


@dataclass(frozen=True)
class _RowLabels:
    current_status: str
    last_status_report: str
    reported_in_year: str
    yes: str
    not_reported_in_year: SafeString
    no: SafeString


@per_language
def _row_labels(year: int) -> _RowLabels:
    return _RowLabels(
        current_status=_("Current status"),
        last_status_report=_("Last status report"),
        reported_in_year=_("Reported in %(year)s") % {"year": year},
        yes=_("Yes"),
        not_reported_in_year=_tag("warning", _("Not reported in %(year)s") % {"year": year}),
        no=_tag("warning", _("No")),
    )


@register.simple_tag
def mine_tiltak_row(tiltak, year: int) -> SafeString:
    """One row of Mine tiltak (templates/tiltak/mine_tiltak.html has the header): the code linked to the tiltak's
    page, the text, the status and assessment, the date of the last statusmelding and whether one was dated in
    ``year``, each cell labelled for the stacked layout of a narrow screen. Built in Python for the reason
    ``tiltak_list_row`` gives: as template markup (an include for the tags) a row cost 0.15 ms, and a page of 50
    rows against the dozen a unit holds at 1× made the page a third slower at 100× (bench/pages.py)."""
    labels = _row_labels(year)
    return format_html(
        "<tr>{}"
        '<td lang="nb">{}</td>'
        '<td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td>'
        '<td data-label="{}">{}</td>'
        "</tr>",
        _code_cell(tiltak),
        shorten(tiltak.tekst, 160),
        labels.current_status,
        status_tags(tiltak.siste_status, tiltak.siste_vurdering, bool(tiltak.siste_demo)),
        labels.last_status_report,
        _short_date(tiltak.siste_dato),
        labels.reported_in_year,
        labels.yes if tiltak.rapportert else labels.not_reported_in_year,
    )


@register.simple_tag
def tiltak_list_row(tiltak, year: int) -> SafeString:
    """One row of the tiltak list (templates/tiltak/tiltak_list.html has the header that names its columns): the
    code linked to the tiltak's page, the text, the area and focus area, the status (with the demo tag when it is
    demo content), the assessment, the date of the last statusmelding, whether one was dated in ``year``, and the
    Ansvar. ``tiltak`` comes from ``selectors.tiltak_filtered`` (the ``siste_*`` and ``rapportert`` annotations).

    Built in Python, as Django's admin builds the rows of its change lists (``items_for_result``): the same row as
    template markup cost 0.2 ms, a page of 50 rows 10 ms, which made the list at 100× the programme twice as slow
    as at 1× (bench/pages.py); here it costs a fifth of that. Every value is escaped by ``format_html``."""
    innsatsomraade = tiltak.innsatsomraade
    omraade = innsatsomraade.omraade
    labels = _row_labels(year)
    return format_html(
        "<tr>{}"
        '<td lang="nb">{}</td>'
        '<td lang="nb">{}. {}<br><span class="portal-meta">{} {}</span></td>'
        "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "</tr>",
        _code_cell(tiltak),
        shorten(tiltak.tekst, 220),
        omraade.nummer,
        omraade.navn,
        innsatsomraade.kode,
        innsatsomraade.navn,
        _joined(_status_tag(tiltak.siste_status), tiltak.siste_demo and _demo_tag()),
        _vurdering_tag(tiltak.siste_vurdering),
        _short_date(tiltak.siste_dato),
        labels.yes if tiltak.rapportert else labels.no,
        ansvar_list(tiltak),
    )
