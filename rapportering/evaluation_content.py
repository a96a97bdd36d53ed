"""The final evaluation's content: one plain, JSON-serialisable structure for a programme's whole period, built
from the other apps' selectors (and the approved annual reports' frozen content) in a number of queries that
depends on the number of years, never on the number of areas, tiltak, statusmeldinger, projects or meetings.

It follows the annual report's content (``rapportering.content``) and reuses its pieces: the same values and
labels frozen beside them, the same marks for demo content (``demo``) and inferred facts (``utledet``), so that
an approved evaluation renders from its frozen content alone.

Per tiltak: its status and assessment at the end of each year (the latest effective statusmelding dated on or
before 31 December), where it ended (the last year's, and the rollover decision once the programme is rolled
over into an adopted successor). Indicators from baseline to the last value against target; funding per year and
in total; participation per network and year with what the report-backs say was learned; each approved annual
report's summary and assessments per area."""

from collections import Counter

from handlingsprogram.models import Handlingsprogram
from nettverk import selectors as nettverk_selectors
from resultater import selectors as resultater_selectors
from tiltak import selectors as tiltak_selectors

from . import content as report_content
from .demo import demo_data_exists
from .models import Sluttevaluering, SluttevalueringTiltak

KIND = "sluttevaluering"
# 1: the first version.
SCHEMA_VERSION = 1


def evaluation_labels() -> dict:
    """The annual report's labels, and those only the evaluation shows (recommendations, rollover decisions)."""
    labels = report_content.report_labels()
    labels["labels"] = labels["labels"] | {
        "anbefaling": {c.value: str(c.label) for c in SluttevalueringTiltak.Anbefaling},
        "programanbefaling": {c.value: str(c.label) for c in Sluttevaluering.Anbefaling},
        "rullering": tiltak_selectors.rullering_decision_labels(),
    }
    return labels


def _status_by_year(programme: Handlingsprogram, years: list[int]) -> dict[int, dict[int, dict]]:
    """{tiltak id: {year: {status, vurdering, dato, demo}}}: one query per year."""
    rows: dict[int, dict[int, dict]] = {}
    for year in years:
        for pk, status, vurdering, dato, demo in (
            tiltak_selectors.tiltak_with_status(programme=programme, year=year)
            .order_by()
            .values_list("id", "siste_status", "siste_vurdering", "siste_dato", "siste_demo")
        ):
            rows.setdefault(pk, {})[year] = {
                "status": status,
                "vurdering": vurdering,
                "dato": report_content._iso(dato),
                "demo": bool(demo),
            }
    return rows


def _finansiering(programme: Handlingsprogram) -> dict:
    summary = resultater_selectors.funding_summary(programme=programme)
    return {
        "total_antall": summary.total_antall,
        "total_nok": report_content._amount(summary.total_nok),
        "uten_kurs": sum(row.uten_kurs for row in summary.by_programme),
        "missing_rates": [{"aar": aar, "valuta": valuta} for aar, valuta in summary.missing_rates],
        "by_year": [report_content._funding_row(row) | {"aar": row.key} for row in summary.by_year],
        "by_programme": [report_content._funding_row(row) for row in summary.by_programme],
        "by_area": [report_content._funding_row(row) | {"nummer": row.key} for row in summary.by_area],
    }


def _deltagelse(years: list[int]) -> dict:
    """Per network: meetings per year (political, administrative) and the report-backs' lessons; one query per
    year."""
    networks: dict[str, dict] = {}
    for year in years:
        for row in nettverk_selectors.participation_by_network(year=year):
            entry = networks.setdefault(
                row.nettverk.navn,
                {
                    "nettverk": row.nettverk.navn,
                    "kortnavn": row.nettverk.kortnavn,
                    "per_aar": {str(y): {"politisk": 0, "administrativ": 0} for y in years},
                    "laerdom": [],
                },
            )
            entry["per_aar"][str(year)] = {"politisk": row.politisk, "administrativ": row.administrativ}
            entry["laerdom"] += [
                {
                    "aar": year,
                    "tittel": d.tittel,
                    "start": d.start.isoformat(),
                    "nivaa": d.nivaa,
                    "laering": d.laering,
                    "deling": d.deling,
                    "demo": d.demo,
                }
                for d in row.rapporter
                if d.laering or d.deling
            ]
    for entry in networks.values():
        entry["per_aar"] = [{"aar": int(year)} | counts for year, counts in entry["per_aar"].items()]
    return {"aar": years, "nettverk": list(networks.values())}


def _aarsrapporter(approved_reports) -> list[dict]:
    """What the politicians were told each year: the approved reports' summaries and assessments, as frozen."""
    rows = []
    for report in approved_reports:
        # A report frozen without editorial texts (none in practice: approval always stores them) reads as empty.
        editorial = (report.frozen_content or {}).get("editorial", {})
        rows.append(
            {
                "aar": report.aar,
                "versjon": report.versjon,
                "godkjent": report.approved_at.date().isoformat(),
                "pdf_sha256": report.pdf_sha256,
                "sammendrag": editorial.get("sammendrag", ""),
                "vurderinger": editorial.get("vurderinger", {}),
            }
        )
    return rows


def build_content(*, programme: Handlingsprogram, approved_reports) -> dict:
    """The evaluation's data for ``programme``. ``approved_reports`` are its approved annual reports, oldest
    first (``rapportering.selectors.approved_reports``)."""
    years = tiltak_selectors.programme_years(programme)
    by_year = _status_by_year(programme, years)
    tiltak_ids: list[int] = []
    omraader = []
    counts: dict[int, dict[str, Counter]] = {}
    for omraade in tiltak_selectors.omraader_with_tiltak(programme=programme):
        area_counts = counts.setdefault(omraade.nummer, {"status": Counter(), "vurdering": Counter()})
        innsatsomraader = []
        for innsats in sorted(omraade.innsatsomraader.all(), key=lambda i: i.nummer):
            tiltak_list = []
            for tiltak in sorted(innsats.tiltak.all(), key=lambda t: t.nummer):
                tiltak_ids.append(tiltak.pk)
                ansvar = sorted(tiltak.ansvar.all(), key=lambda a: (a.rolle, a.aktoer.navn))
                per_year = by_year.get(tiltak.pk, {})
                aar = [
                    per_year.get(year, {"status": None, "vurdering": None, "dato": None, "demo": False}) | {"aar": year}
                    for year in years
                ]
                last = aar[-1]
                area_counts["status"][last["status"]] += 1
                area_counts["vurdering"][last["vurdering"]] += 1
                tiltak_list.append(
                    {
                        "id": tiltak.pk,
                        "kode": f"{omraade.nummer}.{innsats.nummer}.{tiltak.nummer}",
                        "tekst": tiltak.tekst,
                        "ansvar": [
                            {
                                "navn": report_content._ansvar_label(a),
                                "rolle": a.rolle,
                                "utledet": report_content._actor_inferred(a),
                            }
                            for a in ansvar
                        ],
                        "aar": aar,
                        "slutt": {"status": last["status"], "vurdering": last["vurdering"], "dato": last["dato"]},
                        "rullering": [],
                    }
                )
            innsatsomraader.append(
                {"kode": f"{omraade.nummer}.{innsats.nummer}", "navn": innsats.navn, "tiltak": tiltak_list}
            )
        omraader.append(
            {
                "nummer": omraade.nummer,
                "navn": omraade.navn,
                "slug": omraade.slug,
                "counts": {
                    "status": report_content._counts_to_json(dict(area_counts["status"])),
                    "vurdering": report_content._counts_to_json(dict(area_counts["vurdering"])),
                },
                "innsatsomraader": innsatsomraader,
            }
        )

    # Where each tiltak went, once the programme is rolled over into an adopted successor (drafts are staff's).
    _, successors = tiltak_selectors.tiltak_lineage_refs(tiltak_ids)
    for area in omraader:
        for innsats in area["innsatsomraader"]:
            for tiltak in innsats["tiltak"]:
                tiltak["rullering"] = successors.get(tiltak.pop("id"), [])

    return {
        "kind": KIND,
        "schema": SCHEMA_VERSION,
        "aar": years,
        "programme": {
            "navn": programme.navn,
            "slug": programme.slug,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
            "vedtak": programme.vedtak,
        },
        "omraader": omraader,
        "resultater": report_content._resultater(programme, programme.end_year),
        "finansiering": _finansiering(programme),
        "deltagelse": _deltagelse(years),
        "aarsrapporter": _aarsrapporter(approved_reports),
        "demo": demo_data_exists(),
        **evaluation_labels(),
    }
