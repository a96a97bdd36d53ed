"""Reads for tiltak and statusmeldinger.

A tiltak's status is not stored: it is the latest statusmelding's (withdrawn ones do not count), as of the
end of a given year. ``tiltak_with_status`` adds it as annotations computed by the database, so every list
and count runs a fixed number of queries however many tiltak and statusmeldinger there are."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.charts import Category, stacked_bar_chart
from felles.history import HistoryEntry, history_entries
from handlingsprogram.models import Aktoer, Handlingsprogram, Innsatsomraade, Maal, PrioritertOmraade

from . import charts, permissions
from .models import (
    Ansvar,
    Indikator,
    Indikatorverdi,
    Prosjekt,
    ProsjektImport,
    Statusmelding,
    Tiltak,
    Valutakurs,
)
from .models.prosjekt import Valuta


def reporting_year(programme: Handlingsprogram, today: datetime.date | None = None) -> int:
    """The year staff are reporting on now: this year, or the programme's nearest year outside its period."""
    year = (today or timezone.localdate()).year
    return max(programme.start_year, min(year, programme.end_year))


def programme_years(programme: Handlingsprogram) -> list[int]:
    return list(range(programme.start_year, programme.end_year + 1))


def tiltak_with_status(*, programme: Handlingsprogram, year: int) -> QuerySet[Tiltak]:
    """The programme's tiltak annotated with ``siste_status``, ``siste_vurdering``, ``siste_dato`` (the latest
    valid statusmelding dated on or before 31 December of ``year``) and ``rapportert`` (one dated in ``year``)."""
    latest = Statusmelding.objects.latest_valid(up_to=datetime.date(year, 12, 31))
    return (
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
        .select_related("innsatsomraade__omraade__handlingsprogram")
        .annotate(
            siste_status=Subquery(latest.values("status")[:1]),
            siste_vurdering=Subquery(latest.values("vurdering")[:1]),
            siste_dato=Subquery(latest.values("date")[:1]),
            rapportert=Exists(Statusmelding.objects.valid().filter(tiltak=OuterRef("pk"), date__year=year)),
        )
        .order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer")
    )


def ansvar_prefetch() -> Prefetch:
    return Prefetch("ansvar", queryset=Ansvar.objects.select_related("aktoer", "enhet__aktoer"))


def _innsatsomraader_prefetch() -> Prefetch:
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").prefetch_related(
        ansvar_prefetch()
    )
    return Prefetch(
        "innsatsomraader",
        queryset=Innsatsomraade.objects.select_related("omraade").prefetch_related(Prefetch("tiltak", queryset=tiltak)),
    )


def omraader_with_tiltak(*, programme: Handlingsprogram) -> QuerySet[PrioritertOmraade]:
    """The programme's areas → innsatsområder → tiltak → ansvar, and each area's SDGs (the programme overview)."""
    return (
        programme.omraader.select_related("handlingsprogram")
        .prefetch_related("baerekraftsmaal", _innsatsomraader_prefetch())
        .order_by("nummer")
    )


def omraade_get(*, programme: Handlingsprogram, slug: str) -> PrioritertOmraade | None:
    """One area of the programme with its tiltak, its goals and its networks (the area page)."""
    return (
        omraader_with_tiltak(programme=programme)
        .prefetch_related(
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            "nettverk",
        )
        .filter(slug=slug)
        .first()
    )


def mine_tiltak(*, user, programme: Handlingsprogram, year: int) -> QuerySet[Tiltak]:
    """The tiltak where the user's enhet, or their aktør as a whole, holds an Ansvar."""
    mine = Ansvar.objects.filter(permissions.responsible_filter(user), tiltak=OuterRef("pk"))
    return tiltak_with_status(programme=programme, year=year).filter(Exists(mine)).prefetch_related(ansvar_prefetch())


@dataclass(frozen=True)
class TiltakFilter:
    """The filters of the internal tiltak list; every field optional."""

    omraade: int | None = None  # area number
    innsatsomraade: int | None = None  # Innsatsomraade pk
    status: str | None = None  # a Statusmelding.Status value, or "ingen" for no statusmelding yet
    vurdering: str | None = None
    aktoer: int | None = None  # Aktoer pk
    enhet: int | None = None  # Enhet pk
    baerekraftsmaal: int | None = None  # SDG number
    ikke_rapportert: bool = False
    q: str = ""


def tiltak_filtered(*, programme: Handlingsprogram, year: int, filters: TiltakFilter) -> QuerySet[Tiltak]:
    qs = tiltak_with_status(programme=programme, year=year).prefetch_related(ansvar_prefetch(), "baerekraftsmaal")
    if filters.omraade:
        qs = qs.filter(innsatsomraade__omraade__nummer=filters.omraade)
    if filters.innsatsomraade:
        qs = qs.filter(innsatsomraade_id=filters.innsatsomraade)
    if filters.status == "ingen":
        qs = qs.filter(siste_status__isnull=True)
    elif filters.status:
        qs = qs.filter(siste_status=filters.status)
    if filters.vurdering:
        qs = qs.filter(siste_vurdering=filters.vurdering)
    if filters.aktoer:
        qs = qs.filter(Exists(Ansvar.objects.filter(tiltak=OuterRef("pk"), aktoer_id=filters.aktoer)))
    if filters.enhet:
        qs = qs.filter(Exists(Ansvar.objects.filter(tiltak=OuterRef("pk"), enhet_id=filters.enhet)))
    if filters.baerekraftsmaal:
        qs = qs.filter(baerekraftsmaal__nummer=filters.baerekraftsmaal)
    if filters.ikke_rapportert:
        qs = qs.filter(rapportert=False)
    if filters.q:
        qs = qs.filter(
            Q(tekst__icontains=filters.q)
            | Q(innsatsomraade__navn__icontains=filters.q)
            | Exists(
                Statusmelding.objects.valid()
                .filter(tiltak=OuterRef("pk"))
                .filter(Q(gjennomfoert__icontains=filters.q) | Q(resultater__icontains=filters.q))
            )
        )
    return qs.distinct() if filters.baerekraftsmaal else qs


@dataclass(frozen=True)
class StatusOverview:
    """The dashboard's numbers for one programme and year. ``counts`` maps an area number to how many tiltak
    are in each status and each assessment at the end of the year (``None``: no statusmelding yet);
    ``unreported`` lists the tiltak with no statusmelding dated in the year, with their Ansvar."""

    counts: dict[int, dict[str, dict[str | None, int]]]
    unreported: list[Tiltak]


def status_overview(*, programme: Handlingsprogram, year: int) -> StatusOverview:
    """The numbers behind the dashboard in two queries whatever the size: each tiltak with its latest valid
    statusmelding up to the end of ``year``, and the unreported tiltak with their Ansvar.

    The latest statusmelding's status, assessment and date come back packed in one string ("paagaar|risiko|
    2023-05-10") so the database probes the statusmelding index once per tiltak rather than once per field;
    at 100× the programme that is 16 ms instead of 40 (bench/pages.py). A tiltak counts as reported when that
    latest statusmelding is dated in ``year``: any one dated in the year would be the latest."""
    latest = Statusmelding.objects.latest_valid(up_to=datetime.date(year, 12, 31)).annotate(
        packed=Concat("status", Value("|"), "vurdering", Value("|"), Cast("date", CharField()))
    )
    rows = (
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
        .annotate(siste=Subquery(latest.values("packed")[:1]))
        .order_by()
        .values_list("id", "innsatsomraade__omraade__nummer", "siste")
    )
    counts: dict[int, dict[str, dict[str | None, int]]] = {}
    unreported_ids = []
    for pk, area_number, siste in rows:
        status, vurdering, dato = siste.split("|") if siste else (None, None, "")
        area = counts.setdefault(area_number, {"status": {}, "vurdering": {}})
        area["status"][status] = area["status"].get(status, 0) + 1
        area["vurdering"][vurdering] = area["vurdering"].get(vurdering, 0) + 1
        if not dato.startswith(f"{year}-"):
            unreported_ids.append(pk)
    unreported = (
        list(
            Tiltak.objects.filter(pk__in=unreported_ids)
            .select_related("innsatsomraade__omraade__handlingsprogram")
            .prefetch_related(ansvar_prefetch())
            .order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer")
        )
        if unreported_ids
        else []
    )
    return StatusOverview(counts=counts, unreported=unreported)


def status_counts(*, programme: Handlingsprogram, year: int) -> dict[int, dict[str, dict[str | None, int]]]:
    """Per area number: how many tiltak are in each status and in each assessment at the end of ``year``."""
    return status_overview(programme=programme, year=year).counts


def unreported_tiltak(*, programme: Handlingsprogram, year: int) -> QuerySet[Tiltak]:
    return (
        tiltak_with_status(programme=programme, year=year).filter(rapportert=False).prefetch_related(ansvar_prefetch())
    )


def status_charts(
    *,
    areas: list[tuple[int, str]],
    counts,
    year: int,
    id_prefix: str,
    categories: tuple[tuple[Category, ...], tuple[Category, ...]] | None = None,
) -> dict:
    """The status and the assessment breakdowns at the end of ``year`` with a chart of each, as the dashboard and
    the annual report show them (``status``, ``vurdering``, ``status_chart``, ``vurdering_chart``). ``areas`` is
    the programme's (nummer, navn), ``counts`` as in ``StatusOverview``; ``id_prefix`` keeps the charts' element
    ids apart. ``categories`` (status, assessment: key, label, colour, pattern) replaces today's, as an approved
    annual report does with those frozen with it (see ``status_categories``)."""
    status, vurdering = charts.breakdowns(areas=areas, counts=counts, categories=categories)
    return {
        "status": status,
        "vurdering": vurdering,
        "status_chart": stacked_bar_chart(
            chart_id=f"{id_prefix}-status",
            title=_("Status of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=status,
        ),
        "vurdering_chart": stacked_bar_chart(
            chart_id=f"{id_prefix}-vurdering",
            title=_("Assessment of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=vurdering,
        ),
    }


def status_categories() -> dict[str, list[dict]]:
    """A tiltak's statuses and assessments as chart categories in plain data, in chart order, "ingen" (no
    statusmelding yet) last: {"status": [{"key", "label", "colour", "pattern"}, …], "vurdering": […]}. Labels in
    the active language; no query. The annual report freezes these with its content."""
    return {
        kind: [{"key": c.key, "label": str(c.label), "colour": c.colour, "pattern": c.pattern} for c in categories]
        for kind, categories in (("status", charts.status_categories()), ("vurdering", charts.vurdering_categories()))
    }


def report_labels() -> dict[str, dict[str, str]]:
    """The labels of the coded values an annual report shows from this app, {kind: {code: label}}, in the active
    language; no query. The report freezes them with its content (statuses and assessments: ``status_categories``)."""
    return {
        "maaleenhet": {value: str(label) for value, label in Indikator.Maaleenhet.choices},
        "retning": {value: str(label) for value, label in Indikator.Retning.choices},
        "prosjekt_rolle": {value: str(label) for value, label in Prosjekt.Rolle.choices},
        "prosjekt_status": {value: str(label) for value, label in Prosjekt.Status.choices},
    }


def latest_statusmeldinger(*, programme: Handlingsprogram, limit: int = 10) -> list[Statusmelding]:
    """The ``limit`` most recently written statusmeldinger on the programme's tiltak, withdrawn ones included.

    Filtering on the programme makes the database join every statusmelding before it sorts (68 ms at 100,000
    on SQLite), while the newest rows overall come straight off the created_at index (2 ms). So the newest
    rows are read first and kept when they belong to the programme; only when another programme wrote most
    of them lately does a second, filtered query run."""
    newest = Statusmelding.objects.select_related(
        "tiltak__innsatsomraade__omraade__handlingsprogram", "author__enhet__aktoer"
    ).order_by("-created_at", "-id")
    window = limit * 5
    candidates = list(newest[:window])
    mine = [s for s in candidates if s.tiltak.innsatsomraade.omraade.handlingsprogram_id == programme.pk]
    if len(mine) >= limit or len(candidates) < window:
        return mine[:limit]
    return list(newest.filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme)[:limit])


def tiltak_get_by_code(*, programme: Handlingsprogram, code: str) -> Tiltak | None:
    """The tiltak with code like ``2.3.1`` in the programme, or None for an unknown or malformed code."""
    return (
        tiltak_with_status(programme=programme, year=reporting_year(programme))
        .by_code(programme, code)
        .prefetch_related(
            ansvar_prefetch(),
            "baerekraftsmaal",
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            "nettverk",
        )
        .first()
    )


def statusmelding_timeline(*, tiltak: Tiltak) -> QuerySet[Statusmelding]:
    """All the tiltak's statusmeldinger, newest first, withdrawn ones included (shown as withdrawn)."""
    return tiltak.statusmeldinger.select_related("author__enhet__aktoer", "korrigerer", "withdrawn_by").order_by(
        "-date", "-created_at", "-id"
    )


def statusmelding_get(*, pk: int) -> Statusmelding | None:
    return (
        Statusmelding.objects.select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "author")
        .filter(pk=pk)
        .first()
    )


def tiltak_history(*, tiltak: Tiltak) -> list[HistoryEntry]:
    """Every recorded change to the tiltak, its Ansvar and its statusmeldinger, newest first. Three queries."""
    tiltak_records = Tiltak.history.filter(id=tiltak.pk).select_related("history_user")
    ansvar_records = Ansvar.history.filter(tiltak_id=tiltak.pk).select_related("history_user", "aktoer", "enhet")
    status_records = Statusmelding.history.filter(tiltak_id=tiltak.pk).select_related("history_user")
    entries = (
        history_entries(tiltak_records, str(Tiltak._meta.verbose_name), lambda r: tiltak.kode)
        + history_entries(ansvar_records, str(Ansvar._meta.verbose_name), lambda r: str(r.enhet or r.aktoer))
        + history_entries(status_records, str(Statusmelding._meta.verbose_name), lambda r: f"{r.date:%d.%m.%Y}")
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


# --- The partner API ---------------------------------------------------------------------------------------------

API_TILTAK_FIELDS = (
    "id",
    "nummer",
    "tekst",
    "updated_at",
    "innsatsomraade__nummer",
    "innsatsomraade__navn",
    "innsatsomraade__omraade__nummer",
    "innsatsomraade__omraade__slug",
    "innsatsomraade__omraade__navn",
    "innsatsomraade__omraade__handlingsprogram__slug",
    "siste_status",
    "siste_vurdering",
    "siste_dato",
)


def tiltak_for_api() -> QuerySet[Tiltak]:
    """Every programme's tiltak with their current status (the latest valid statusmelding, whatever its year),
    as plain rows of ``API_TILTAK_FIELDS``: the API lists thousands of them, and building model instances for
    rows that only become JSON would cost more than the query (bench/api.py). Filters apply before
    ``.values()``, so filter sets get a queryset of Tiltak."""
    latest = Statusmelding.objects.latest_valid()
    return Tiltak.objects.annotate(
        siste_status=Subquery(latest.values("status")[:1]),
        siste_vurdering=Subquery(latest.values("vurdering")[:1]),
        siste_dato=Subquery(latest.values("date")[:1]),
    ).order_by(
        "innsatsomraade__omraade__handlingsprogram__start_year",
        "innsatsomraade__omraade__handlingsprogram_id",
        "innsatsomraade__omraade__nummer",
        "innsatsomraade__nummer",
        "nummer",
    )


def tiltak_api_row(*, program_slug: str, code: str) -> dict | None:
    """One tiltak as the API's plain row, by its programme and code; None for an unknown or malformed code."""
    return (
        tiltak_for_api()
        .filter(innsatsomraade__omraade__handlingsprogram__slug=program_slug)
        .by_code(None, code)
        .values(*API_TILTAK_FIELDS)
        .first()
    )


@dataclass(frozen=True)
class TiltakRelations:
    """What the API shows with each tiltak, by tiltak id: four queries for any number of tiltak."""

    ansvar: dict[int, list[dict]]
    baerekraftsmaal: dict[int, list[int]]
    maal: dict[int, list[str]]
    nettverk: dict[int, list[str]]


def tiltak_relations(tiltak_ids: list[int]) -> TiltakRelations:
    ansvar: dict[int, list[dict]] = {}
    for tiltak_id, rolle, utledet, aktoer_slug, aktoer_navn, enhet_slug, enhet_navn in (
        Ansvar.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "rolle", "aktoer__navn", "enhet__navn")
        .values_list("tiltak_id", "rolle", "utledet", "aktoer__slug", "aktoer__navn", "enhet__slug", "enhet__navn")
    ):
        ansvar.setdefault(tiltak_id, []).append(
            {
                "rolle": rolle,
                "aktoer": aktoer_slug,
                "aktoer_navn": aktoer_navn,
                "enhet": enhet_slug,
                "enhet_navn": enhet_navn,
                "utledet": utledet,
            }
        )
    sdgs: dict[int, list[int]] = {}
    for tiltak_id, nummer in (
        Tiltak.baerekraftsmaal.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "baerekraftsmaal__nummer")
        .values_list("tiltak_id", "baerekraftsmaal__nummer")
    ):
        sdgs.setdefault(tiltak_id, []).append(nummer)
    goals: dict[int, list[str]] = {}
    for tiltak_id, dokument, nummer in (
        Tiltak.maal.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "maal__styringsdokument__rekkefoelge", "maal__nummer")
        .values_list("tiltak_id", "maal__styringsdokument__slug", "maal__nummer")
    ):
        goals.setdefault(tiltak_id, []).append(f"{dokument}#{nummer}")
    networks: dict[int, list[str]] = {}
    for tiltak_id, slug in (
        Tiltak.nettverk.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "nettverk__navn")
        .values_list("tiltak_id", "nettverk__slug")
    ):
        networks.setdefault(tiltak_id, []).append(slug)
    return TiltakRelations(ansvar=ansvar, baerekraftsmaal=sdgs, maal=goals, nettverk=networks)


def statusmeldinger_for_api() -> QuerySet[Statusmelding]:
    return Statusmelding.objects.select_related("tiltak__innsatsomraade__omraade__handlingsprogram").order_by(
        "-date", "-created_at", "-id"
    )


# --- The annual report (rapportering) ----------------------------------------------------------------------------


def statusmeldinger_in_year(*, programme: Handlingsprogram, year: int) -> QuerySet[Statusmelding]:
    """The programme's valid (not withdrawn) statusmeldinger dated in ``year``, oldest first within each tiltak,
    in one query; the annual report groups them by tiltak."""
    return (
        Statusmelding.objects.valid()
        .filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme, date__year=year)
        .order_by("tiltak_id", "date", "created_at", "id")
    )


# --- Results: indikatorer, prosjekter and funding -----------------------------------------------------------------


def _in_programme(programme: Handlingsprogram) -> Q:
    return Q(tiltak__innsatsomraade__omraade__handlingsprogram=programme) | Q(omraade__handlingsprogram=programme)


def indikatorer_for_programme(*, programme: Handlingsprogram) -> QuerySet[Indikator]:
    """The programme's indikatorer, area indikatorer first, each with its latest value. One query."""
    latest = Indikatorverdi.objects.filter(indikator=OuterRef("pk")).order_by("-aar")
    return (
        Indikator.objects.filter(_in_programme(programme))
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "omraade")
        .annotate(
            siste_aar=Subquery(latest.values("aar")[:1]),
            siste_verdi=Subquery(latest.values("verdi")[:1]),
        )
        .order_by(
            Coalesce("omraade__nummer", "tiltak__innsatsomraade__omraade__nummer"),
            F("tiltak__innsatsomraade__nummer").asc(nulls_first=True),
            F("tiltak__nummer").asc(nulls_first=True),
            "rekkefoelge",
            "navn",
            "id",
        )
    )


def indikator_get(*, pk: int) -> Indikator | None:
    return (
        Indikator.objects.select_related(
            "tiltak__innsatsomraade__omraade__handlingsprogram", "omraade__handlingsprogram"
        )
        .filter(pk=pk)
        .first()
    )


def indikatorverdier(*, indikator: Indikator) -> list[Indikatorverdi]:
    return list(indikator.verdier.select_related("registrert_av").order_by("aar"))


def indikator_history(*, indikator: Indikator) -> list[HistoryEntry]:
    """Changes to the indikator's definition and corrections of its values, newest first. Two queries."""
    definition = Indikator.history.filter(id=indikator.pk).select_related("history_user")
    values = Indikatorverdi.history.filter(indikator_id=indikator.pk).select_related("history_user")
    entries = history_entries(definition, str(Indikator._meta.verbose_name), lambda r: r.navn) + history_entries(
        values, str(Indikatorverdi._meta.verbose_name), lambda r: str(r.aar)
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def indikatorverdier_for_export(*, programme: Handlingsprogram) -> QuerySet[Indikatorverdi]:
    return (
        Indikatorverdi.objects.filter(
            Q(indikator__tiltak__innsatsomraade__omraade__handlingsprogram=programme)
            | Q(indikator__omraade__handlingsprogram=programme)
        )
        .select_related("indikator__tiltak__innsatsomraade__omraade", "indikator__omraade")
        .order_by("indikator__rekkefoelge", "indikator__navn", "indikator_id", "aar", "id")
    )


def indikatorer_with_values(*, programme: Handlingsprogram, up_to_year: int | None = None) -> list[Indikator]:
    """The programme's indikatorer with their values (up to ``up_to_year``) prefetched: two queries."""
    values = Indikatorverdi.objects.order_by("aar")
    if up_to_year is not None:
        values = values.filter(aar__lte=up_to_year)
    return list(indikatorer_for_programme(programme=programme).prefetch_related(Prefetch("verdier", queryset=values)))


def _rate_for_start_year() -> Case:
    """A project's exchange rate to NOK: 1 for NOK, else the coordinator's rate for its start year (NULL when
    none is entered, so the project can be named as missing rather than counted as zero)."""
    rate = Valutakurs.objects.filter(aar=ExtractYear(OuterRef("startdato")), valuta=OuterRef("valuta")).values("kurs")
    return Case(
        When(valuta=Valuta.NOK, then=Value(Decimal(1))),
        default=Subquery(rate[:1]),
        output_field=DecimalField(max_digits=12, decimal_places=4),
    )


def prosjekter_with_nok() -> QuerySet[Prosjekt]:
    return Prosjekt.objects.annotate(kurs=_rate_for_start_year()).annotate(
        innvilget_nok=ExpressionWrapper(
            F("innvilget_trondelag") * F("kurs"), output_field=DecimalField(max_digits=20, decimal_places=2)
        )
    )


@dataclass
class ProsjektFilter:
    finansieringsprogram: int | None = None
    status: str = ""
    aar: int | None = None
    omraade: int | None = None
    tiltak: int | None = None
    q: str = ""


def prosjekter_filtered(*, filters: ProsjektFilter) -> QuerySet[Prosjekt]:
    """Projects matching ``filters`` with their NOK sums and relations: three queries whatever the count."""
    prosjekter = prosjekter_with_nok().select_related("finansieringsprogram__forelder")
    if filters.finansieringsprogram:
        prosjekter = prosjekter.filter(
            Q(finansieringsprogram=filters.finansieringsprogram)
            | Q(finansieringsprogram__forelder=filters.finansieringsprogram)
        )
    if filters.status:
        prosjekter = prosjekter.filter(status=filters.status)
    if filters.aar:
        prosjekter = prosjekter.filter(startdato__year=filters.aar)
    if filters.omraade:
        prosjekter = prosjekter.filter(
            Exists(
                Prosjekt.tiltak.through.objects.filter(
                    prosjekt_id=OuterRef("pk"), tiltak__innsatsomraade__omraade_id=filters.omraade
                )
            )
        )
    if filters.tiltak:
        prosjekter = prosjekter.filter(
            Exists(Prosjekt.tiltak.through.objects.filter(prosjekt_id=OuterRef("pk"), tiltak_id=filters.tiltak))
        )
    if filters.q:
        prosjekter = prosjekter.filter(
            Q(navn__icontains=filters.q) | Q(akronym__icontains=filters.q) | Q(ekstern_id__icontains=filters.q)
        )
    return prosjekter.prefetch_related(*_prosjekt_relations())


def _prosjekt_relations() -> tuple[Prefetch, Prefetch]:
    """A project's organisations by name and its tiltak in code order, each tiltak with what its link needs."""
    return (
        Prefetch("aktoerer", queryset=Aktoer.objects.order_by("navn")),
        Prefetch(
            "tiltak",
            queryset=Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").order_by(
                "innsatsomraade__omraade__handlingsprogram__start_year",
                "innsatsomraade__omraade__nummer",
                "innsatsomraade__nummer",
                "nummer",
            ),
        ),
    )


def prosjekt_get(*, pk: int) -> Prosjekt | None:
    return (
        prosjekter_with_nok()
        .select_related("finansieringsprogram__forelder")
        .prefetch_related(*_prosjekt_relations())
        .filter(pk=pk)
        .first()
    )


def prosjekt_history(*, prosjekt: Prosjekt) -> list[HistoryEntry]:
    """Every version of the project, with its organisations and measures as they were. Three queries."""
    records = (
        Prosjekt.history.filter(id=prosjekt.pk)
        .select_related("history_user")
        .prefetch_related(
            "historicalprosjekt_aktoerer_set__aktoer",
            "historicalprosjekt_tiltak_set__tiltak__innsatsomraade__omraade",
        )
    )

    def aktoerer(record) -> str:
        return ", ".join(sorted(row.aktoer.navn for row in record.historicalprosjekt_aktoerer_set.all()))

    def tiltak(record) -> str:
        return ", ".join(sorted(row.tiltak.kode for row in record.historicalprosjekt_tiltak_set.all()))

    entries = history_entries(
        records,
        str(Prosjekt._meta.verbose_name),
        lambda r: r.ekstern_id,
        m2m={"aktoerer": aktoerer, "tiltak": tiltak},
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def indikatorer_for_tiltak(*, tiltak: Tiltak) -> QuerySet[Indikator]:
    return tiltak.indikatorer.order_by("rekkefoelge", "navn", "id")


def prosjekter_for_tiltak(*, tiltak: Tiltak) -> QuerySet[Prosjekt]:
    return prosjekter_with_nok().filter(tiltak=tiltak).select_related("finansieringsprogram")


@dataclass(frozen=True)
class FundingRow:
    key: object  # the programme's id, the year or the area's number
    label: str
    antall: int
    sum_nok: Decimal
    uten_kurs: int  # funded projects left out of the sum for want of an exchange rate


@dataclass(frozen=True)
class FundingSummary:
    by_programme: list[FundingRow]
    by_year: list[FundingRow]
    by_area: list[FundingRow]
    missing_rates: list[tuple[int, str]]  # (year, currency) with funded projects but no rate

    @property
    def total_nok(self) -> Decimal:
        return sum((row.sum_nok for row in self.by_programme), Decimal(0))

    @property
    def total_antall(self) -> int:
        return sum(row.antall for row in self.by_programme)


def _funding_aggregates() -> dict:
    return {
        "antall": Count("id"),
        "sum_nok": Coalesce(
            Sum("innvilget_nok"), Value(Decimal(0)), output_field=DecimalField(max_digits=20, decimal_places=2)
        ),
        "uten_kurs": Count("id", filter=Q(kurs__isnull=True)),
    }


def funding_summary(*, programme: Handlingsprogram, year: int | None = None) -> FundingSummary:
    """The grants of funded projects (granted or completed) running in ``programme``'s period, in NOK, per funding
    programme, per start year and per priority area of ``programme``; only those starting in ``year`` when it is
    given. Four queries, whatever the
    number of projects: the sums are made by the database."""
    # The programme's projects are those running at some time in its period (a grant from the year before that
    # runs into it counts); a rollover thus gives each programme its own figures.
    funded = prosjekter_with_nok().filter(
        status__in=Prosjekt.FUNDED,
        startdato__lte=datetime.date(programme.end_year, 12, 31),
        sluttdato__gte=datetime.date(programme.start_year, 1, 1),
    )
    if year is not None:
        funded = funded.filter(startdato__year=year)

    by_programme = [
        FundingRow(
            key=row["finansieringsprogram"],
            label=(
                f"{row['finansieringsprogram__forelder__navn']} – {row['finansieringsprogram__navn']}"
                if row["finansieringsprogram__forelder__navn"]
                else row["finansieringsprogram__navn"]
            ),
            antall=row["antall"],
            sum_nok=row["sum_nok"],
            uten_kurs=row["uten_kurs"],
        )
        for row in funded.order_by()
        .values("finansieringsprogram", "finansieringsprogram__navn", "finansieringsprogram__forelder__navn")
        .annotate(**_funding_aggregates())
        .order_by("-sum_nok", "finansieringsprogram__navn")
    ]
    by_year = [
        FundingRow(
            key=row["start_aar"],
            label=str(row["start_aar"]),
            antall=row["antall"],
            sum_nok=row["sum_nok"],
            uten_kurs=row["uten_kurs"],
        )
        for row in funded.order_by()
        .annotate(start_aar=ExtractYear("startdato"))
        .values("start_aar")
        .annotate(**_funding_aggregates())
        .order_by("start_aar")
    ]

    # A project serving several areas counts in each, so the areas' sums may add up to more than the total.
    in_area = funded.filter(
        Exists(
            Prosjekt.tiltak.through.objects.filter(
                prosjekt_id=OuterRef("pk"), tiltak__innsatsomraade__omraade_id=OuterRef(OuterRef("pk"))
            )
        )
    )

    def area_aggregate(aggregate):
        return Subquery(
            in_area.order_by().annotate(alle=Value(1)).values("alle").annotate(result=aggregate).values("result")[:1]
        )

    aggregates = _funding_aggregates()
    by_area = [
        FundingRow(
            key=omraade.nummer,
            label=f"{omraade.nummer}. {omraade.navn}",
            antall=omraade.antall or 0,
            sum_nok=omraade.sum_nok or Decimal(0),
            uten_kurs=omraade.uten_kurs or 0,
        )
        for omraade in PrioritertOmraade.objects.filter(handlingsprogram=programme)
        .annotate(
            antall=area_aggregate(aggregates["antall"]),
            sum_nok=area_aggregate(aggregates["sum_nok"]),
            uten_kurs=area_aggregate(aggregates["uten_kurs"]),
        )
        .order_by("nummer")
    ]
    missing_rates = list(
        funded.filter(kurs__isnull=True)
        .annotate(start_aar=ExtractYear("startdato"))
        .order_by("start_aar", "valuta")
        .values_list("start_aar", "valuta")
        .distinct()
    )
    return FundingSummary(by_programme=by_programme, by_year=by_year, by_area=by_area, missing_rates=missing_rates)


def valutakurser() -> QuerySet[Valutakurs]:
    return Valutakurs.objects.order_by("-aar", "valuta")


def prosjekt_years() -> list[int]:
    """The start years that have projects, for the year filters."""
    return list(
        Prosjekt.objects.annotate(start_aar=ExtractYear("startdato"))
        .order_by("start_aar")
        .values_list("start_aar", flat=True)
        .distinct()
    )


def prosjekt_import_get(*, pk: int, user) -> ProsjektImport | None:
    """An upload, only for the coordinator who made it (the file may hold what others should not see yet)."""
    # The file's bytes are not needed: its rows were read when it was uploaded.
    return ProsjektImport.objects.filter(pk=pk, opprettet_av=user).defer("fil").first()


def prosjekt_imports_recent(*, user, limit: int = 10) -> list[ProsjektImport]:
    return list(ProsjektImport.objects.filter(opprettet_av=user).defer("fil", "rader").order_by("-created_at")[:limit])


# --- Results in the partner API -------------------------------------------------------------------------------------


def indikatorer_for_api() -> QuerySet[Indikator]:
    """Every programme's indikatorer with what they measure and their values (never who recorded them): three
    queries a page, however many values there are."""
    return (
        Indikator.objects.select_related(
            "tiltak__innsatsomraade__omraade__handlingsprogram", "omraade__handlingsprogram"
        )
        .prefetch_related(Prefetch("verdier", queryset=Indikatorverdi.objects.order_by("aar")))
        .order_by(
            Coalesce(
                "omraade__handlingsprogram__start_year",
                "tiltak__innsatsomraade__omraade__handlingsprogram__start_year",
            ),
            Coalesce("omraade__nummer", "tiltak__innsatsomraade__omraade__nummer"),
            F("tiltak__innsatsomraade__nummer").asc(nulls_first=True),
            F("tiltak__nummer").asc(nulls_first=True),
            "rekkefoelge",
            "id",
        )
    )


def prosjekter_for_api() -> QuerySet[Prosjekt]:
    """Every project with its NOK sum and relations. A rate entered, corrected or deleted moves the ``updated_at``
    of the projects using it (tiltak/signals.py), so polling partners see new sums. Four queries a page."""
    return (
        prosjekter_with_nok()
        .select_related("finansieringsprogram")
        .prefetch_related(*_prosjekt_relations())
        .order_by("-startdato", "navn", "id")
    )


def prosjekter_funded_starting(*, year: int) -> QuerySet[Prosjekt]:
    """The funded projects (the statuses ``funding_summary`` counts) that started in ``year``, oldest first, with
    their NOK sums and relations (as ``prosjekter_filtered``)."""
    return (
        prosjekter_filtered(filters=ProsjektFilter(aar=year))
        .filter(status__in=Prosjekt.FUNDED)
        .order_by("startdato", "navn", "id")
    )
