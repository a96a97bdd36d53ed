"""The annual report's content: one plain, JSON-serialisable structure for (programme, year), built from the
other apps' selectors in a fixed number of queries whatever the number of areas, tiltak or statusmeldinger.

The same structure is rendered for the HTML preview, the PDF and the command line, and is what approval
freezes. It holds values (status keys, texts, dates as ISO strings), and beside them, under ``labels`` and
``categories``, the label (and for statuses and assessments the chart colour and pattern) of every coded value
the report shows, as worded when the content was built. An approved report thus renders from its frozen content
alone: a label reworded or translated later changes new reports, not approved ones.

Amounts and indicator values are stored as decimal strings ("926000.00"), formatted when rendered.

What each schema version added is noted at ``SCHEMA_VERSION``: a report frozen with an older one lacks those
keys, and the template leaves the chapters out. A report frozen before schema 4 has no labels of its own: it is
rendered with today's (``report_labels``), and cannot be made fully frozen after the fact, since the labels it
was approved with are not recorded anywhere but in its PDF."""

import datetime
from decimal import Decimal
from functools import wraps

from django.utils import translation

from felles.charts import NONE_KEY
from handlingsprogram.models import Handlingsprogram
from nettverk import selectors as nettverk_selectors
from resultater import selectors as resultater_selectors
from tiltak import selectors as tiltak_selectors

from .demo import demo_data_exists

# 2: "deltagelse" (participation in international arenas) added; reports frozen with 1 have no such key.
# 3: "resultater" (indicators) and "finansiering" (international projects and their funding) added.
# 4: "labels" ({kind: {code: label}}: status, vurdering, maaleenhet, retning, prosjekt_rolle, prosjekt_status,
#    nettverk_type, medlemskap_rolle, nivaa) and "categories" (the status and vurdering chart categories: key, label,
#    colour, pattern) added, so that an approved report no longer takes its labels from today's code.
# 5: provenance: each tiltak's "ansvar" ({navn, rolle, utledet}: utledet when the document does not name the
#    actor) and each membership's "nivaa_utledet" (the level inferred, not stated); the report marks them. And
#    "demo" (true when the database held demo data as the report was built: the cover says so).
# 6: each tiltak's "kort" (a short text for headings and the one-page overview: the programme's wording cut at a
#    word boundary by the portal, never a title of its own) and "forkortet" (whether it was cut). A report frozen
#    with 6 or later is laid out for reading (cover with the county's wordmark, the overview of every tiltak after
#    the summary, short headings); one frozen earlier keeps the layout it was approved with (``rendering``).
# The keys are what approved reports were frozen with, so a model field renamed later keeps its key here
# (the statusmelding's "dato", the membership's "fra_dato" and "til_dato").
SCHEMA_VERSION = 6

# The report goes to Fylkesutvalget in bokmål whatever language its reader browses the portal in: its labels are
# frozen, its preview and its PDF rendered, and the messages of its PDF generation stored, in this language.
REPORT_LANGUAGE = "nb"


def in_report_language(function):
    """Run ``function`` with REPORT_LANGUAGE active (a fresh ``override`` per call: one shared instance is not
    safe across threads)."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(REPORT_LANGUAGE):
            return function(*args, **kwargs)

    return wrapper


# Where "what changed" is measured from: the previous approved report's frozen data when there is one (so the
# report says what changed since the politicians last read one), else the status at the end of the year before.
BASIS_REPORT = "report"
BASIS_YEAR_END = "year_end"

STOPPED = "avbrutt"
COMPLETED = "fullfoert"

# How an indikator's latest value compares with its baseline, given whether higher or lower is better.
BETTER = "bedre"
WORSE = "verre"
UNCHANGED = "uendret"

CENT = Decimal("0.01")

# A short text fits one line of the overview's text column (8 pt, about 95 mm) and of a measure's heading.
SHORT_TEXT_LENGTH = 58
ELLIPSIS = "\u2026"


def short_text(text: str, limit: int = SHORT_TEXT_LENGTH) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis when cut, and whether it
    was cut. The programme has no short titles of its own: the ellipsis shows the reader this is the start of
    the measure's wording, not another name for it. A final full stop is dropped, as in a heading."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text.removesuffix("."), False
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:.–-") + "\u00a0" + ELLIPSIS, True


def _counts_to_json(counts: dict[str | None, int]) -> dict[str, int]:
    return {NONE_KEY if key is None else key: value for key, value in counts.items()}


def _ansvar_label(ansvar) -> str:
    if ansvar.enhet_id:
        return f"{ansvar.enhet.navn} ({ansvar.aktoer.kortnavn or ansvar.aktoer.navn})"
    return ansvar.aktoer.navn


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _statusmelding(melding) -> dict:
    # The internal remark is deliberately left out: the report is public once approved.
    return {
        "dato": melding.date.isoformat(),
        "status": melding.status,
        "vurdering": melding.vurdering,
        "gjennomfoert": melding.gjennomfoert,
        "resultater": melding.resultater,
        "neste_steg": melding.neste_steg,
    }


def _active_in(medlemskap, year: int) -> bool:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (medlemskap.start_date is None or medlemskap.start_date <= end) and (
        medlemskap.end_date is None or medlemskap.end_date >= start
    )


def _actor_inferred(ansvar) -> bool:
    """Whether the document does not name the ansvar's actor (its enhet and rolle it never states)."""
    kilde = ansvar.kilde_for()
    return kilde is not None and kilde.is_inferred


def _nettverk_appendix(year: int) -> list[dict]:
    rows: list[dict] = []
    level_sources = nettverk_selectors.medlemskap_level_sources()

    def walk(nodes, depth):
        for node in nodes:
            nettverk = node.nettverk
            rows.append(
                {
                    "navn": nettverk.navn,
                    "kortnavn": nettverk.kortnavn,
                    "type": nettverk.type,
                    "geografi": nettverk.geografi,
                    "depth": depth,
                    "medlemskap": [
                        {
                            "aktoer": m.aktoer.navn,
                            "enhet": m.enhet.navn if m.enhet_id else "",
                            "rolle": m.rolle,
                            "nivaa": m.nivaa,
                            "nivaa_utledet": m.pk in level_sources and level_sources[m.pk].is_inferred,
                            "fra_dato": _iso(m.start_date),
                            "til_dato": _iso(m.end_date),
                            "representanter": m.representanter,
                        }
                        for m in sorted(nettverk.medlemskap.all(), key=lambda m: (m.nivaa, m.aktoer.navn, m.rolle))
                        if _active_in(m, year)
                    ],
                }
            )
            walk(node.children, depth + 1)

    walk(nettverk_selectors.nettverk_tree(), 0)
    return rows


def _deltagelse(year: int) -> list[dict]:
    """Participation in international arenas during the year, per network, political and administrative, with the
    report-backs' public part (section 2.4: reported annually and collectively to Fylkesutvalget)."""
    return [
        {
            "nettverk": row.nettverk.navn,
            "kortnavn": row.nettverk.kortnavn,
            "politisk": row.politisk,
            "administrativ": row.administrativ,
            "rapporter": [
                {
                    "tittel": d.tittel,
                    "start": d.start.isoformat(),
                    "nivaa": d.nivaa,
                    "sted": d.sted,
                    "referat": d.referat,
                }
                for d in row.rapporter
            ],
        }
        for row in nettverk_selectors.participation_by_network(year=year)
    ]


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _amount(value: Decimal | None) -> str | None:
    """A sum of money to the øre: a product with an exchange rate has more decimals than it means."""
    return None if value is None else str(value.quantize(CENT))


def _development(indikator, verdi: Decimal | None) -> str | None:
    if verdi is None:
        return None
    if verdi == indikator.basis_verdi:
        return UNCHANGED
    higher_is_better = indikator.retning == indikator.Retning.HOEYERE
    return BETTER if (verdi > indikator.basis_verdi) == higher_is_better else WORSE


def _resultater(programme: Handlingsprogram, year: int) -> dict:
    """The programme's indikatorer with baseline, target and the values up to ``year``. ``aar`` holds the table's
    year columns (the programme's years so far, and any earlier year with a value); each indikator's ``verdier``
    has one entry per column, ``verdi`` None where nothing was registered. Values after ``year`` are left out, so
    a report says what was known for its year."""
    indikatorer = resultater_selectors.indikatorer_with_values(programme=programme, up_to_year=year)
    values = {indikator.pk: {v.aar: v.verdi for v in indikator.verdier.all()} for indikator in indikatorer}
    years = sorted(set(range(programme.start_year, year + 1)).union(*(v.keys() for v in values.values())))
    rows = []
    for indikator in indikatorer:
        by_year = values[indikator.pk]
        latest_year = max(by_year, default=None)
        latest = by_year[latest_year] if latest_year is not None else None
        rows.append(
            {
                "navn": indikator.navn,
                # What it measures, as values: the label («Tiltak 2.3.3») is made when the report is rendered.
                "tiltak": indikator.tiltak.kode if indikator.tiltak_id else None,
                "omraade": (
                    {"nummer": indikator.omraade.nummer, "navn": indikator.omraade.navn}
                    if indikator.omraade_id
                    else None
                ),
                "maaleenhet": indikator.maaleenhet,
                "retning": indikator.retning,
                "basis_verdi": _decimal(indikator.basis_verdi),
                "basis_aar": indikator.basis_aar,
                "basis_kilde": indikator.basis_kilde,
                "maal_verdi": _decimal(indikator.maal_verdi),
                "maal_aar": indikator.maal_aar,
                "verdier": [{"aar": aar, "verdi": _decimal(by_year.get(aar))} for aar in years],
                "siste_aar": latest_year,
                "siste_verdi": _decimal(latest),
                "utvikling": _development(indikator, latest),
                "maal_naadd": indikator.target_reached(latest) if latest is not None else None,
            }
        )
    return {"aar": years, "indikatorer": rows}


def _funding_row(row) -> dict:
    return {"label": row.label, "antall": row.antall, "sum_nok": _amount(row.sum_nok), "uten_kurs": row.uten_kurs}


def _programme_label(finansieringsprogram) -> str:
    if finansieringsprogram.forelder_id:
        return f"{finansieringsprogram.forelder.navn} – {finansieringsprogram.navn}"
    return finansieringsprogram.navn


def _finansiering(programme: Handlingsprogram, year: int) -> dict:
    """The funded projects (granted or completed) that started in ``year`` and their grants in NOK, per funding
    programme and per priority area, and each project. A grant in a currency with no exchange rate for the year
    is not in the NOK sums: ``uten_kurs`` counts those projects and ``missing_rates`` names the rates, so the
    report can say so rather than show a sum that looks complete."""
    summary = resultater_selectors.funding_summary(programme=programme, year=year)
    prosjekter = resultater_selectors.prosjekter_funded_starting(year=year)
    return {
        "total_antall": summary.total_antall,
        "total_nok": _amount(summary.total_nok),
        "uten_kurs": sum(row.uten_kurs for row in summary.by_programme),
        "missing_rates": [{"aar": aar, "valuta": valuta} for aar, valuta in summary.missing_rates],
        "by_programme": [_funding_row(row) for row in summary.by_programme],
        "by_area": [_funding_row(row) | {"nummer": row.key} for row in summary.by_area],
        "prosjekter": [
            {
                "akronym": p.akronym,
                "navn": p.navn,
                "finansieringsprogram": _programme_label(p.finansieringsprogram),
                "utlysning": p.utlysning,
                "rolle": p.rolle,
                "aktoerer": [a.navn for a in p.aktoerer.all()],
                "tiltak": sorted(
                    (t.kode for t in p.tiltak.all()), key=lambda kode: tuple(int(n) for n in kode.split("."))
                ),
                "status": p.status,
                "startdato": _iso(p.start_date),
                "sluttdato": _iso(p.end_date),
                "innvilget": _amount(p.innvilget_trondelag),
                "valuta": p.valuta,
                "innvilget_nok": _amount(p.innvilget_nok),
            }
            for p in prosjekter
        ],
    }


def _tiltak_index(omraader: list[dict]) -> dict[str, dict]:
    return {t["kode"]: t for area in omraader for innsats in area["innsatsomraader"] for t in innsats["tiltak"]}


def compute_changes(*, current: dict[str, dict], previous: dict[str, dict], basis: str, since: int | None) -> dict:
    """What changed between two snapshots of {kode: {"status", "vurdering", "tekst", …}}. A tiltak with no
    statusmelding has status None; going from None to a status counts as a status change."""

    def brief(kode, entry):
        tekst = entry.get("tekst", "")
        # A previous report frozen before schema 6 has no short text: cut it the same way.
        kort = entry["kort"] if "kort" in entry else short_text(tekst)[0]
        return {"kode": kode, "tekst": tekst, "kort": kort}

    status_changed, vurdering_changed, completed, stopped, added = [], [], [], [], []
    for kode, now in current.items():
        before = previous.get(kode)
        if before is None:
            if basis == BASIS_REPORT:
                added.append(brief(kode, now))
            before = {"status": None, "vurdering": None}
        if now["status"] != before["status"]:
            status_changed.append(brief(kode, now) | {"fra": before["status"], "til": now["status"]})
            if now["status"] == COMPLETED:
                completed.append(brief(kode, now))
            elif now["status"] == STOPPED:
                stopped.append(brief(kode, now))
        if now["vurdering"] != before["vurdering"]:
            vurdering_changed.append(brief(kode, now) | {"fra": before["vurdering"], "til": now["vurdering"]})
    removed = [brief(kode, entry) for kode, entry in previous.items() if kode not in current]
    return {
        "basis": basis,
        "since": since,
        "status_changed": status_changed,
        "vurdering_changed": vurdering_changed,
        "completed": completed,
        "stopped": stopped,
        "added": added,
        "removed": removed,
    }


def report_labels() -> dict:
    """The labels and chart categories of the coded values the report shows, in the active language, as
    ``build_content`` freezes them (``labels`` and ``categories``); no query. Also what a report frozen before
    schema 4 is rendered with."""
    categories = tiltak_selectors.status_categories()
    labels = {kind: {c["key"]: c["label"] for c in rows} for kind, rows in categories.items()}
    return {
        "labels": labels | resultater_selectors.report_labels() | nettverk_selectors.report_labels(),
        "categories": categories,
    }


def build_content(*, programme: Handlingsprogram, year: int, previous_report_content: dict | None = None) -> dict:
    """The report's data for ``programme`` and ``year``. ``previous_report_content`` is the frozen content of the
    previous approved report, if any (see ``rapportering.selectors.previous_approved``); without it the changes
    are measured from the end of the previous year."""
    status_rows = {
        pk: (status, vurdering, dato)
        for pk, status, vurdering, dato in tiltak_selectors.tiltak_with_status(programme=programme, year=year)
        .order_by()
        .values_list("id", "siste_status", "siste_vurdering", "siste_dato")
    }
    meldinger: dict[int, list[dict]] = {}
    for melding in tiltak_selectors.statusmeldinger_in_year(programme=programme, year=year):
        meldinger.setdefault(melding.tiltak_id, []).append(_statusmelding(melding))
    counts = tiltak_selectors.status_counts(programme=programme, year=year)

    omraader = []
    for omraade in tiltak_selectors.omraader_with_tiltak(programme=programme):
        area_counts = counts.get(omraade.nummer, {"status": {}, "vurdering": {}})
        innsatsomraader = []
        for innsats in sorted(omraade.innsatsomraader.all(), key=lambda i: i.nummer):
            tiltak_list = []
            for tiltak in sorted(innsats.tiltak.all(), key=lambda t: t.nummer):
                status, vurdering, dato = status_rows.get(tiltak.pk, (None, None, None))
                ansvar = sorted(tiltak.ansvar.all(), key=lambda a: (a.rolle, a.aktoer.navn))
                kort, forkortet = short_text(tiltak.tekst)
                tiltak_list.append(
                    {
                        "kode": f"{omraade.nummer}.{innsats.nummer}.{tiltak.nummer}",
                        "tekst": tiltak.tekst,
                        "kort": kort,
                        "forkortet": forkortet,
                        "status": status,
                        "vurdering": vurdering,
                        "siste_dato": _iso(dato),
                        "ansvarlige": [_ansvar_label(a) for a in ansvar if a.rolle == "ansvarlig"],
                        "bidragsytere": [_ansvar_label(a) for a in ansvar if a.rolle != "ansvarlig"],
                        "ansvar": [
                            {"navn": _ansvar_label(a), "rolle": a.rolle, "utledet": _actor_inferred(a)} for a in ansvar
                        ],
                        "statusmeldinger": meldinger.get(tiltak.pk, []),
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
                    "status": _counts_to_json(area_counts["status"]),
                    "vurdering": _counts_to_json(area_counts["vurdering"]),
                },
                "innsatsomraader": innsatsomraader,
            }
        )

    current = _tiltak_index(omraader)
    if previous_report_content is not None:
        previous = _tiltak_index(previous_report_content["omraader"])
        changes = compute_changes(
            current=current, previous=previous, basis=BASIS_REPORT, since=previous_report_content["aar"]
        )
    else:
        previous = {
            f"{row['innsatsomraade__omraade__nummer']}.{row['innsatsomraade__nummer']}.{row['nummer']}": {
                "status": row["siste_status"],
                "vurdering": row["siste_vurdering"],
            }
            for row in tiltak_selectors.tiltak_with_status(programme=programme, year=year - 1)
            .order_by()
            .values(
                "innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer", "siste_status", "siste_vurdering"
            )
        }
        changes = compute_changes(current=current, previous=previous, basis=BASIS_YEAR_END, since=year - 1)

    return {
        "schema": SCHEMA_VERSION,
        "aar": year,
        "programme": {
            "navn": programme.navn,
            "slug": programme.slug,
            "start_year": programme.start_year,
            "end_year": programme.end_year,
            "vedtak": programme.vedtak,
        },
        "omraader": omraader,
        "changes": changes,
        "resultater": _resultater(programme, year),
        "finansiering": _finansiering(programme, year),
        "deltagelse": _deltagelse(year),
        "nettverk": _nettverk_appendix(year),
        "demo": demo_data_exists(),
        **report_labels(),
    }
