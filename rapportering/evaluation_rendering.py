"""Turning a final evaluation's document (``selectors.evaluation_document``) into HTML and PDF, through the
annual report's pipeline (``rendering.render_pdf``: WeasyPrint, tagged PDF, time limit, progress) and with its
print style sheet, charts and partials."""

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _

from tiltak import selectors as tiltak_selectors

from . import rendering


def title(document: dict) -> str:
    return _("Final evaluation – %(programme)s") % {"programme": document["content"]["programme"]["navn"]}


def _tiltak_rows(content: dict, editorial: dict) -> list[dict]:
    anbefalinger = editorial.get("tiltak", {})
    return [
        tiltak
        | {
            "anbefaling": anbefalinger.get(tiltak["kode"], {}).get("anbefaling", ""),
            "kommentar": anbefalinger.get(tiltak["kode"], {}).get("kommentar", ""),
        }
        for area in content["omraader"]
        for innsats in area["innsatsomraader"]
        for tiltak in innsats["tiltak"]
    ]


def context(document: dict, *, for_pdf: bool) -> dict:
    content, editorial = document["content"], document["editorial"]
    end_year = content["programme"]["end_year"]
    areas, counts = rendering._status_counts(content | {"aar": end_year})
    labels, categories = rendering._labels(content)
    vurderinger = editorial.get("omraader", {})
    rows = _tiltak_rows(content, editorial)
    by_code = {row["kode"]: row for row in rows}
    fin = content["finansiering"]
    return {
        "title": title(document),
        "content": content,
        "editorial": editorial,
        "end_year": end_year,
        "is_draft": editorial.get("status") in (None, "utkast"),
        "areas": [
            area
            | {
                "vurdering_tekst": vurderinger.get(str(area["nummer"]), ""),
                "innsatsomraader": [
                    innsats | {"tiltak": [by_code[t["kode"]] for t in innsats["tiltak"]]}
                    for innsats in area["innsatsomraader"]
                ],
                "aarsrapport_vurderinger": [
                    {"aar": report["aar"], "tekst": report["vurderinger"][str(area["nummer"])]}
                    for report in content["aarsrapporter"]
                    if report["vurderinger"].get(str(area["nummer"]))
                ],
            }
            for area in content["omraader"]
        ],
        "tiltak_rows": rows,
        "labels": labels,
        **tiltak_selectors.status_charts(
            areas=areas, counts=counts, year=end_year, id_prefix="evaluation", categories=categories
        ),
        "funding_year_chart": rendering.amount_bar_chart(
            chart_id="evaluation-funding-year",
            title=_("Grants in NOK per start year"),
            rows=fin["by_year"],
        ),
        "funding_programme_chart": rendering.amount_bar_chart(
            chart_id="evaluation-funding-programme",
            title=_("Grants in NOK per funding programme, whole period"),
            rows=fin["by_programme"],
        ),
        "stylesheet_url": ("css/aarsrapport.css" if for_pdf else static("css/aarsrapport.css")),
        "for_pdf": for_pdf,
    }


def render_html(document: dict, *, for_pdf: bool = False) -> str:
    return render_to_string("rapportering/sluttevaluering.html", context(document, for_pdf=for_pdf))


def render_pdf(document: dict, **kwargs) -> bytes:
    """The evaluation as PDF bytes, or ``rendering.RenderError``; arguments as ``rendering.render_pdf``. Its time
    limit is settings.SLUTTEVALUERING_RENDER_TIMEOUT (the whole period takes minutes where a year takes seconds)."""
    kwargs.setdefault("timeout", settings.SLUTTEVALUERING_RENDER_TIMEOUT)
    return rendering.render_pdf(document, to_html=render_html, title_of=title, **kwargs)
