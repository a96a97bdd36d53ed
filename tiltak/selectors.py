"""Reads for tiltak and statusmeldinger.

A tiltak's status is the latest statusmelding's (withdrawn and corrected ones do not count), as of the end of a
given year. ``tiltak_with_status`` adds it as annotations computed by the database, so every list and count runs a
fixed number of queries however many tiltak and statusmeldinger there are; the current one is also kept on the
tiltak (``Tiltak.gjeldende_*``), which the annotations read when it holds for the year asked for."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from felles.charts import Category, stacked_bar_chart
from felles.history import HistoryEntry, history_entries
from felles.search import SearchText, text_search
from felles.version_memo import remembered
from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    Handlingsprogram,
    Innsatsomraade,
    Kilde,
    Maal,
    PrioritertOmraade,
)
from handlingsprogram.permissions import user_may_see_drafts
from handlingsprogram.selectors import kilder_prefetch, kommentarer_prefetch, programmes_visible

from . import charts, permissions
from .models import (
    Aarsstatus,
    Ansvar,
    Oppfoelgingsforespoersel,
    Rapporteringsrunde,
    Statusmelding,
    StatusmeldingVedlegg,
    Tiltak,
    TiltakRullering,
)
from .models.tiltak import LATEST_FIRST


def reporting_year(programme: Handlingsprogram, today: datetime.date | None = None) -> int:
    """The year staff are reporting on now: this year, or the programme's nearest year outside its period."""
    year = (today or timezone.localdate()).year
    return max(programme.start_year, min(year, programme.end_year))


def programme_years(programme: Handlingsprogram) -> list[int]:
    return list(range(programme.start_year, programme.end_year + 1))


def _current_status_holds(year: int) -> Q:
    """Whether a tiltak's kept current status (``Tiltak.gjeldende_*``) is also its status at the end of ``year``:
    when it has no valid statusmelding at all, or the latest is dated on or before 31 December. Only a tiltak
    with a statusmelding after that year (a past year asked for) needs its status at the end of that year from
    elsewhere (``Aarsstatus``, or its statusmeldinger)."""
    return Q(gjeldende_dato__isnull=True) | Q(gjeldende_dato__lte=datetime.date(year, 12, 31))


def tiltak_with_status(*, programme: Handlingsprogram, year: int) -> QuerySet[Tiltak]:
    """The programme's tiltak annotated with ``siste_status``, ``siste_vurdering``, ``siste_dato`` (the latest
    valid statusmelding dated on or before 31 December of ``year``; ``siste_demo`` when that one is demo content)
    and ``rapportert`` (one dated in ``year``). Read, per tiltak, from the first of these that holds: the kept
    current status (``Tiltak.gjeldende_*``, when it is dated by the end of ``year``), the kept status at the end
    of ``year`` (``Aarsstatus``), or a search of its statusmeldinger (a year outside the programme's, or data
    written without the signals and not yet refreshed).

    How the kept row of the year is read depends on the year, measured at 100× the programme (BENCHMARKS.md):
    for a year before the one staff report on now, most tiltak have a later status and need their row, so one
    LEFT JOIN reads them all; for the year staff report on (and later ones) hardly any tiltak needs it, so the row
    is a subquery inside the CASE, looked up only for a tiltak whose current status is later than the year (a
    join would read the year's rows for every tiltak: a hash join over all of them on PostgreSQL)."""
    latest = Statusmelding.objects.latest_valid(up_to=datetime.date(year, 12, 31))
    holds = _current_status_holds(year)
    in_year = Q(gjeldende_dato__gte=datetime.date(year, 1, 1), gjeldende_dato__lte=datetime.date(year, 12, 31))
    before_year = Q(gjeldende_dato__isnull=True) | Q(gjeldende_dato__lt=datetime.date(year, 1, 1))
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
    if year < reporting_year(programme):
        tiltak = tiltak.annotate(aarsstatus_aaret=FilteredRelation("aarsstatuser", condition=Q(aarsstatuser__aar=year)))
        kept_for_year = Q(aarsstatus_aaret__id__isnull=False)
        kept_whens = [
            When(kept_for_year & Q(aarsstatus_aaret__dato__gte=datetime.date(year, 1, 1)), then=Value(True)),
            When(kept_for_year, then=Value(False)),
        ]

        def kept_value(field: str):
            return F(f"aarsstatus_aaret__{field}")
    else:
        kept = Aarsstatus.objects.filter(tiltak=OuterRef("pk"), aar=year)
        kept_for_year = Exists(kept)
        kept_whens = [When(kept_for_year, then=Exists(kept.filter(dato__year=year)))]

        def kept_value(field: str):
            return Subquery(kept.values(field)[:1])

    def status_field(current: str, kept_field: str, searched: str) -> Case:
        return Case(
            When(holds, then=F(current)),
            When(kept_for_year, then=kept_value(kept_field)),
            default=Subquery(latest.values(searched)[:1]),
        )

    return (
        tiltak.select_related("innsatsomraade__omraade__handlingsprogram")
        .annotate(
            siste_status=status_field("gjeldende_status", "status", "status"),
            siste_vurdering=status_field("gjeldende_vurdering", "vurdering", "vurdering"),
            siste_dato=status_field("gjeldende_dato", "dato", "date"),
            siste_demo=status_field("gjeldende_demo", "demo", "demo"),
            # Reported in the year: the status at its end comes from a statusmelding dated in it.
            rapportert=Case(
                When(in_year, then=Value(True)),
                When(before_year, then=Value(False)),
                *kept_whens,
                default=Exists(Statusmelding.objects.valid().filter(tiltak=OuterRef("pk"), date__year=year)),
                output_field=BooleanField(),
            ),
        )
        .order_by("innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer")
    )


# What a list of tiltak shows of each row and the rows above it (code, text, area, focus area, the programme's slug
# for the link): a page of 50 rows then builds four small models per row instead of four full ones, among them the
# programme with its introduction (``QuerySet.only``; the status annotations stay).
LIST_ROW_FIELDS = (
    "nummer",
    "tekst",
    "innsatsomraade",
    "innsatsomraade__nummer",
    "innsatsomraade__navn",
    "innsatsomraade__omraade",
    "innsatsomraade__omraade__nummer",
    "innsatsomraade__omraade__navn",
    "innsatsomraade__omraade__handlingsprogram",
    "innsatsomraade__omraade__handlingsprogram__slug",
)


def ansvar_list_prefetch() -> Prefetch:
    """A tiltak's Ansvar with the names of their actor and unit (``aktoer_navn``, ``enhet_navn``, NULL without
    one) and the role (one query): what a list row names (``tiltak_tags.ansvar_list``), without the sources that
    ``ansvar_prefetch`` adds for the exports and the tiltak page (two queries and a model per source more). The
    names are columns of the Ansvar rather than an actor and a unit model each: a page of 50 rows builds some 70
    models instead of 210."""
    return Prefetch(
        "ansvar",
        queryset=Ansvar.objects.only("tiltak", "rolle").annotate(
            aktoer_navn=F("aktoer__navn"), enhet_navn=F("enhet__navn")
        ),
    )


def ansvar_prefetch() -> Prefetch:
    """A tiltak's Ansvar with their actor and unit, and where each comes from (one query): an Ansvar is never shown,
    exported or reported without its source."""
    return Prefetch(
        "ansvar", queryset=Ansvar.objects.select_related("aktoer", "enhet__aktoer").prefetch_related(kilder_prefetch())
    )


def _innsatsomraader_prefetch(*, kilder: bool = False) -> Prefetch:
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").prefetch_related(
        ansvar_prefetch()
    )
    return Prefetch(
        "innsatsomraader",
        queryset=Innsatsomraade.objects.select_related("omraade").prefetch_related(Prefetch("tiltak", queryset=tiltak)),
    )


def omraader_with_tiltak(*, programme: Handlingsprogram, kilder: bool = False) -> QuerySet[PrioritertOmraade]:
    """The programme's areas → innsatsområder → tiltak → ansvar, and each area's SDGs (the programme overview);
    ``kilder`` adds where the areas' links and the ansvar come from (two queries more), for pages that mark them."""
    areas = programme.omraader.select_related("handlingsprogram").prefetch_related(
        "baerekraftsmaal", _innsatsomraader_prefetch(kilder=kilder)
    )
    if kilder:
        areas = areas.prefetch_related(kilder_prefetch())
    return areas.order_by("nummer")


def omraade_light_get(*, programme: Handlingsprogram, slug: str) -> PrioritertOmraade | None:
    """One area of the programme, without its tiltak (the area page's heading; omraade_get has the rest)."""
    return (
        PrioritertOmraade.objects.filter(handlingsprogram=programme, slug=slug)
        .select_related("handlingsprogram")
        .first()
    )


def omraade_get(*, programme: Handlingsprogram, slug: str) -> PrioritertOmraade | None:
    """One area of the programme with its tiltak, its goals and its networks (the area page)."""
    return (
        omraader_with_tiltak(programme=programme, kilder=True)
        .prefetch_related(
            Prefetch("maal", queryset=Maal.objects.select_related("styringsdokument")),
            "nettverk",
            kilder_prefetch("nettverk__kilder"),
        )
        .filter(slug=slug)
        .first()
    )


def mine_tiltak(*, user, programme: Handlingsprogram, year: int) -> QuerySet[Tiltak]:
    """The tiltak where the user's enhet, or their aktør as a whole, holds an Ansvar (the page does not show the
    Ansvar, so they are not fetched). ``pk IN (their Ansvar's tiltak)`` rather than EXISTS per tiltak: SQLite then
    starts from the user's Ansvar instead of probing the Ansvar of every tiltak in the programme (the key pass at
    100× the programme: 4.0 → 2.9 ms; PostgreSQL plans both alike)."""
    mine = Ansvar.objects.filter(permissions.responsible_filter(user)).values("tiltak_id")
    return tiltak_with_status(programme=programme, year=year).filter(pk__in=mine)


@dataclass(frozen=True)
class FilterChoices:
    """What the tiltak list's filters offer for one programme, as (value, label) pairs in the order shown: its
    areas (by number), focus areas, the actors and units that hold an Ansvar in it (by pk), and the 17 SDGs."""

    omraader: list[tuple[int, str]]
    innsatsomraader: list[tuple[int, str]]
    aktoerer: list[tuple[int, str]]
    enheter: list[tuple[int, str]]
    baerekraftsmaal: list[tuple[int, str]]


def filter_choices(*, programme: Handlingsprogram) -> FilterChoices:
    """The filter choices of ``programme``'s tiltak list: five small queries, or, while the programme data is
    unchanged since a visit computed them in this process, none but the data version's (felles/version_memo.py;
    the actors and units are a semi-join over every Ansvar, which grows with the programme)."""
    return remembered(("tiltak_filter_choices", programme.pk), lambda: _filter_choices_compute(programme))


def _filter_choices_compute(programme: Handlingsprogram) -> FilterChoices:
    in_programme = Ansvar.objects.filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme)
    names = dict(Baerekraftsmaal.objects.values_list("nummer", "navn"))
    return FilterChoices(
        omraader=[
            (nummer, f"{nummer}. {navn}")
            for nummer, navn in programme.omraader.order_by("nummer").values_list("nummer", "navn")
        ],
        innsatsomraader=[
            (innsatsomraade.pk, f"{innsatsomraade.kode} {innsatsomraade.navn}")
            for innsatsomraade in Innsatsomraade.objects.filter(omraade__handlingsprogram=programme)
            .select_related("omraade")
            .order_by("omraade__nummer", "nummer")
        ],
        aktoerer=list(
            Aktoer.objects.filter(Exists(in_programme.filter(aktoer=OuterRef("pk"))))
            .order_by("navn")
            .values_list("pk", "navn")
        ),
        enheter=[
            (pk, f"{navn} ({kortnavn or aktoer_navn})")
            for pk, navn, kortnavn, aktoer_navn in Enhet.objects.filter(
                Exists(in_programme.filter(enhet=OuterRef("pk")))
            )
            .order_by("aktoer__navn", "navn")
            .values_list("pk", "navn", "aktoer__kortnavn", "aktoer__navn")
        ],
        baerekraftsmaal=[
            (nummer, f"{nummer}. {names[nummer]}" if nummer in names else str(nummer)) for nummer in range(1, 18)
        ],
    )


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
    """The programme's tiltak that match ``filters``, with their status in ``year``; the caller prefetches what it
    shows (the page: ``ansvar_list_prefetch``; the export: ``ansvar_prefetch`` with the sources)."""
    qs = tiltak_with_status(programme=programme, year=year)
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
    ``unreported_ids`` are the tiltak with no statusmelding dated in the year, in code order (the page shows them
    a page at a time, from ``tiltak_rows_with_ansvar``)."""

    counts: dict[int, dict[str, dict[str | None, int]]]
    unreported_ids: list[int]


def status_overview(*, programme: Handlingsprogram, year: int) -> StatusOverview:
    """The numbers behind the dashboard in one query whatever the size: each tiltak with its latest valid
    statusmelding up to the end of ``year``.

    The status, assessment and date come back packed in one string ("paagaar|risiko|2023-05-10"): from the kept
    current status where it holds for ``year`` (no search at all), else from the latest statusmelding up to the
    year's end, so that the database probes the statusmelding index once per tiltak rather than once per field.
    A tiltak counts as reported when that latest statusmelding is dated in ``year``: any one dated in the year
    would be the latest."""
    latest = Statusmelding.objects.latest_valid(up_to=datetime.date(year, 12, 31)).annotate(
        packed=Concat("status", Value("|"), "vurdering", Value("|"), Cast("date", CharField()))
    )
    rows = (
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
        .annotate(
            siste=Case(
                # No statusmelding: NULL, as the search gives (Concat would make "||" of the NULLs).
                When(gjeldende_dato__isnull=True, then=Value(None)),
                When(
                    _current_status_holds(year),
                    then=Concat(
                        "gjeldende_status",
                        Value("|"),
                        "gjeldende_vurdering",
                        Value("|"),
                        Cast("gjeldende_dato", CharField()),
                    ),
                ),
                default=Subquery(latest.values("packed")[:1]),
                output_field=CharField(),
            )
        )
        .order_by()
        .values_list("id", "innsatsomraade__omraade__nummer", "innsatsomraade__nummer", "nummer", "siste")
    )
    counts: dict[int, dict[str, dict[str | None, int]]] = {}
    unreported = []
    for pk, area_number, innsats_number, number, siste in rows:
        status, vurdering, dato = siste.split("|") if siste else (None, None, "")
        area = counts.setdefault(area_number, {"status": {}, "vurdering": {}})
        area["status"][status] = area["status"].get(status, 0) + 1
        area["vurdering"][vurdering] = area["vurdering"].get(vurdering, 0) + 1
        if not dato.startswith(f"{year}-"):
            unreported.append((area_number, innsats_number, number, pk))
    return StatusOverview(counts=counts, unreported_ids=[pk for *_code, pk in sorted(unreported)])


def tiltak_rows_with_ansvar() -> QuerySet[Tiltak]:
    """Tiltak with what a list row shows of them: the code's parts, the text and the names of their Ansvar (narrow
    it by pk). A row names the Ansvar without marking where each comes from (the tiltak's page does that), so their
    sources are not read (``ansvar_list_prefetch``)."""
    return (
        Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram")
        .only(*LIST_ROW_FIELDS)
        .prefetch_related(ansvar_list_prefetch())
    )


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
    width: int | None = None,
) -> dict:
    """The status and the assessment breakdowns at the end of ``year`` with a chart of each, as the dashboard and
    the annual report show them (``status``, ``vurdering``, ``status_chart``, ``vurdering_chart``). ``areas`` is
    the programme's (nummer, navn), ``counts`` as in ``StatusOverview``; ``id_prefix`` keeps the charts' element
    ids apart. ``categories`` (status, assessment: key, label, colour, pattern) replaces today's, as an approved
    annual report does with those frozen with it (see ``status_categories``)."""
    status, vurdering = charts.breakdowns(areas=areas, counts=counts, categories=categories)
    size = {"width": width} if width else {}  # the annual report's print layout keeps the default width
    return {
        "status": status,
        "vurdering": vurdering,
        "status_chart": stacked_bar_chart(
            chart_id=f"{id_prefix}-status",
            title=_("Status of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=status,
            **size,
        ),
        "vurdering_chart": stacked_bar_chart(
            chart_id=f"{id_prefix}-vurdering",
            title=_("Assessment of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=vurdering,
            **size,
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


def latest_statusmeldinger(*, programme: Handlingsprogram, limit: int = 10) -> list[Statusmelding]:
    """The ``limit`` most recently written effective statusmeldinger on the programme's tiltak (a withdrawn or
    corrected one is left out; its correction is listed instead).

    Filtering on the programme makes the database join every statusmelding before it sorts (68 ms at 100,000
    on SQLite), while the newest rows overall come straight off the created_at index (2 ms). So the newest
    rows are read first and kept when they belong to the programme; only when another programme wrote most
    of them lately does a second, filtered query run."""
    newest = (
        Statusmelding.objects.valid()
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "author__enhet__aktoer")
        .order_by("-created_at", "-id")
    )
    window = limit * 5
    candidates = list(newest[:window])
    mine = [s for s in candidates if s.tiltak.innsatsomraade.omraade.handlingsprogram_id == programme.pk]
    if len(mine) >= limit or len(candidates) < window:
        return mine[:limit]
    return list(newest.filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme)[:limit])


def tiltak_light_get(*, programme: Handlingsprogram, code: str) -> Tiltak | None:
    """The tiltak with code like ``2.3.1`` in the programme, without its status or relations (its page's title and
    links; tiltak_get_by_code has the rest), or None."""
    return Tiltak.objects.by_code(programme, code).select_related("innsatsomraade__omraade__handlingsprogram").first()


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
            kilder_prefetch(),
            kilder_prefetch("nettverk__kilder"),
        )
        .first()
    )


def statusmelding_timeline(
    *, tiltak: Tiltak, with_kommentarer: bool = False, with_vedlegg: bool = False
) -> QuerySet[Statusmelding]:
    """All the tiltak's statusmeldinger, newest first, withdrawn and superseded ones included (shown as such);
    with their comment threads for a reader who may see them, and their documents for one who may open them (one
    query more each)."""
    timeline = tiltak.statusmeldinger.select_related(
        "author__enhet__aktoer", "korrigerer", "superseded_by", "withdrawn_by"
    ).order_by(*LATEST_FIRST)
    if with_kommentarer:
        timeline = timeline.prefetch_related(kommentarer_prefetch())
    if with_vedlegg:
        timeline = timeline.prefetch_related("vedlegg")
    return timeline


def current_statusmelding(*, tiltak: Tiltak) -> Statusmelding | None:
    """The tiltak's latest effective statusmelding (its status and assessment are the tiltak's now), or None."""
    return tiltak.statusmeldinger.valid().order_by(*LATEST_FIRST).first()


def correctable_statusmelding(*, tiltak: Tiltak, pk) -> Statusmelding | None:
    """The tiltak's statusmelding ``pk`` if it may be corrected (it still counts), else None; ``pk`` as typed."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return tiltak.statusmeldinger.valid().filter(pk=pk).first()


def statusmelding_get(*, pk: int) -> Statusmelding | None:
    return (
        Statusmelding.objects.select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "author")
        .filter(pk=pk)
        .first()
    )


def statusmelding_vedlegg_get(*, pk: int) -> StatusmeldingVedlegg | None:
    return StatusmeldingVedlegg.objects.filter(pk=pk).first()


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
    "siste_demo",
)


def tiltak_for_api() -> QuerySet[Tiltak]:
    """Every programme's tiltak with their current status (the latest valid statusmelding, whatever its year),
    as plain rows of ``API_TILTAK_FIELDS``: the API lists thousands of them, and building model instances for
    rows that only become JSON would cost more than the query (bench/api.py). Filters apply before
    ``.values()``, so filter sets get a queryset of Tiltak. The current status is the one kept on the tiltak."""
    return (
        Tiltak.objects.exclude(innsatsomraade__omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .annotate(
            siste_status=F("gjeldende_status"),
            siste_vurdering=F("gjeldende_vurdering"),
            siste_dato=F("gjeldende_dato"),
            siste_demo=F("gjeldende_demo"),
        )
        .order_by(
            "innsatsomraade__omraade__handlingsprogram__start_year",
            "innsatsomraade__omraade__handlingsprogram_id",
            "innsatsomraade__omraade__nummer",
            "innsatsomraade__nummer",
            "nummer",
        )
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
    """What the API shows with each tiltak, by tiltak id: seven queries for any number of tiltak. ``kilder`` holds
    the sources of the tiltak, their ansvar and their links, keyed (model name, object id, field, related id)."""

    ansvar: dict[int, list[dict]]
    baerekraftsmaal: dict[int, list[int]]
    maal: dict[int, list[str]]
    nettverk: dict[int, list[str]]
    maal_ids: dict[int, dict[str, int]] = field(default_factory=dict)
    nettverk_ids: dict[int, dict[str, int]] = field(default_factory=dict)
    sdg_ids: dict[int, dict[int, int]] = field(default_factory=dict)
    kilder: dict[tuple, Kilde] = field(default_factory=dict)

    # Lineage across programme periods: {"handlingsprogram", "kode", "beslutning"} per predecessor or successor.
    forgjengere: dict[int, list[dict]] = field(default_factory=dict)
    etterfoelgere: dict[int, list[dict]] = field(default_factory=dict)

    def kilde(self, model: str, object_id: int, field_name: str = "", related_id: int | None = None) -> Kilde | None:
        return self.kilder.get((model, object_id, field_name, related_id))


def _code(omraade, innsats, nummer) -> str | None:
    return None if nummer is None else f"{omraade}.{innsats}.{nummer}"


def tiltak_lineage_refs(tiltak_ids: list[int]) -> tuple[dict[int, list[dict]], dict[int, list[dict]]]:
    """Each tiltak's predecessors (the old tiltak whose rollover decision names it) and successors (its own
    decision's successors; one entry without a code for a closed tiltak), by tiltak id, leaving out rollovers into
    a draft programme. Two queries."""
    utkast = Handlingsprogram.State.UTKAST
    forgjengere: dict[int, list[dict]] = {}
    old = "tiltakrullering__tiltak__innsatsomraade__"
    for tiltak_id, decision, slug, omraade, innsats, nummer in (
        TiltakRullering.etterfoelgere.through.objects.filter(tiltak_id__in=tiltak_ids)
        .exclude(tiltakrullering__handlingsprogram__state=utkast)
        .order_by("tiltak_id", f"{old}omraade__nummer", f"{old}nummer", "tiltakrullering__tiltak__nummer")
        .values_list(
            "tiltak_id",
            "tiltakrullering__decision",
            f"{old}omraade__handlingsprogram__slug",
            f"{old}omraade__nummer",
            f"{old}nummer",
            "tiltakrullering__tiltak__nummer",
        )
    ):
        forgjengere.setdefault(tiltak_id, []).append(
            {"handlingsprogram": slug, "kode": _code(omraade, innsats, nummer), "beslutning": decision}
        )
    etterfoelgere: dict[int, list[dict]] = {}
    new = "etterfoelgere__innsatsomraade__"
    for tiltak_id, decision, slug, omraade, innsats, nummer in (
        TiltakRullering.objects.filter(tiltak_id__in=tiltak_ids)
        .exclude(handlingsprogram__state=utkast)
        .order_by("tiltak_id", f"{new}omraade__nummer", f"{new}nummer", "etterfoelgere__nummer")
        .values_list(
            "tiltak_id",
            "decision",
            "handlingsprogram__slug",
            f"{new}omraade__nummer",
            f"{new}nummer",
            "etterfoelgere__nummer",
        )
    ):
        etterfoelgere.setdefault(tiltak_id, []).append(
            {"handlingsprogram": slug, "kode": _code(omraade, innsats, nummer), "beslutning": decision}
        )
    return forgjengere, etterfoelgere


def tiltak_relations(tiltak_ids: list[int]) -> TiltakRelations:
    ansvar: dict[int, list[dict]] = {}
    for ansvar_id, tiltak_id, rolle, aktoer_slug, aktoer_navn, enhet_slug, enhet_navn in (
        Ansvar.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "rolle", "aktoer__navn", "enhet__navn")
        .values_list("id", "tiltak_id", "rolle", "aktoer__slug", "aktoer__navn", "enhet__slug", "enhet__navn")
    ):
        ansvar.setdefault(tiltak_id, []).append(
            {
                "id": ansvar_id,
                "rolle": rolle,
                "aktoer": aktoer_slug,
                "aktoer_navn": aktoer_navn,
                "enhet": enhet_slug,
                "enhet_navn": enhet_navn,
            }
        )
    sdgs: dict[int, list[int]] = {}
    sdg_ids: dict[int, dict[int, int]] = {}
    for tiltak_id, nummer, sdg_id in (
        Tiltak.baerekraftsmaal.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "baerekraftsmaal__nummer")
        .values_list("tiltak_id", "baerekraftsmaal__nummer", "baerekraftsmaal_id")
    ):
        sdgs.setdefault(tiltak_id, []).append(nummer)
        sdg_ids.setdefault(tiltak_id, {})[nummer] = sdg_id
    goals: dict[int, list[str]] = {}
    goal_ids: dict[int, dict[str, int]] = {}
    for tiltak_id, dokument, nummer, maal_id in (
        Tiltak.maal.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "maal__styringsdokument__rekkefoelge", "maal__nummer")
        .values_list("tiltak_id", "maal__styringsdokument__slug", "maal__nummer", "maal_id")
    ):
        goals.setdefault(tiltak_id, []).append(f"{dokument}#{nummer}")
        goal_ids.setdefault(tiltak_id, {})[f"{dokument}#{nummer}"] = maal_id
    networks: dict[int, list[str]] = {}
    network_ids: dict[int, dict[str, int]] = {}
    for tiltak_id, slug, nettverk_id in (
        Tiltak.nettverk.through.objects.filter(tiltak_id__in=tiltak_ids)
        .order_by("tiltak_id", "nettverk__navn")
        .values_list("tiltak_id", "nettverk__slug", "nettverk_id")
    ):
        networks.setdefault(tiltak_id, []).append(slug)
        network_ids.setdefault(tiltak_id, {})[slug] = nettverk_id
    ansvar_ids = [row["id"] for rows in ansvar.values() for row in rows]
    forgjengere, etterfoelgere = tiltak_lineage_refs(tiltak_ids)
    return TiltakRelations(
        ansvar=ansvar,
        baerekraftsmaal=sdgs,
        maal=goals,
        nettverk=networks,
        maal_ids=goal_ids,
        nettverk_ids=network_ids,
        sdg_ids=sdg_ids,
        kilder=kilder_by_fact(
            Q(content_type__model="tiltak", content_type__app_label="tiltak", object_id__in=tiltak_ids)
            | Q(content_type__model="ansvar", content_type__app_label="tiltak", object_id__in=ansvar_ids)
            | Q(
                content_type__model="nettverk",
                content_type__app_label="nettverk",
                field_name="tiltak",
                related_id__in=tiltak_ids,
            )
        ),
        forgjengere=forgjengere,
        etterfoelgere=etterfoelgere,
    )


def _fact_key(kilde: Kilde) -> tuple:
    return (kilde.content_type.model, kilde.object_id, kilde.field_name, kilde.related_id)


def kilder_by_fact(condition: Q) -> dict[tuple, Kilde]:
    """The Kilde rows matching ``condition`` (one query), keyed (model name, object id, field, related id)."""
    return {
        _fact_key(kilde): kilde
        for kilde in Kilde.objects.filter(condition).select_related("content_type", "recorded_by")
    }


def statusmeldinger_for_api() -> QuerySet[Statusmelding]:
    return Statusmelding.objects.select_related("tiltak__innsatsomraade__omraade__handlingsprogram").order_by(
        *LATEST_FIRST
    )


# --- The annual report (rapportering) ----------------------------------------------------------------------------


def statusmeldinger_in_year(*, programme: Handlingsprogram, year: int) -> QuerySet[Statusmelding]:
    """The programme's effective (neither withdrawn nor corrected) statusmeldinger dated in ``year``, oldest first
    within each tiltak,
    in one query; the annual report groups them by tiltak."""
    return (
        Statusmelding.objects.valid()
        .filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme, date__year=year)
        .order_by("tiltak_id", "date", "created_at", "id")
    )


def demo_rows() -> list[QuerySet]:
    """This app's rows load_demo made (for "does the database hold demo data?")."""
    return [
        Statusmelding.objects.filter(demo=True),
        Rapporteringsrunde.objects.filter(demo=True),
        Oppfoelgingsforespoersel.objects.filter(demo=True),
    ]


# Search (the header's search box, portal/search.py): only what the user may read, as the tiltak page shows it.

STATUSMELDING_PUBLIC_TEXT = ["gjennomfoert", "resultater", "neste_steg", "correction_reason"]
STATUSMELDING_INTERNAL_TEXT = ["intern_merknad", "trukket_tilbake_begrunnelse"]


def tiltak_search(*, query: SearchText, user) -> QuerySet[Tiltak]:
    """The tiltak of the programmes the user may read (drafts only for staff) whose text or focus area matches
    ``query``, ready for their links. One query (and one for a count), whatever the number of hits."""
    tiltak = Tiltak.objects.filter(
        innsatsomraade__omraade__handlingsprogram__in=programmes_visible(include_drafts=user_may_see_drafts(user))
    ).select_related("innsatsomraade__omraade__handlingsprogram")
    return text_search(tiltak, query=query, title=["tekst"], body=["innsatsomraade__navn"])


def statusmelding_search(*, query: SearchText, user) -> QuerySet[Statusmelding]:
    """Statusmeldinger matching ``query`` in the fields the user may read: for anonymous users the public text of
    the ones that count (as the tiltak page shows them to all); logged-in users also search the internal remark
    and the reason for a withdrawal, and find withdrawn and corrected ones too. One query (and one for a count)."""
    internal = permissions.can_read_internal(user)
    meldinger = Statusmelding.objects.filter(
        tiltak__innsatsomraade__omraade__handlingsprogram__in=programmes_visible(
            include_drafts=user_may_see_drafts(user)
        )
    ).select_related("tiltak__innsatsomraade__omraade__handlingsprogram")
    if not internal:
        meldinger = meldinger.valid()
    body = STATUSMELDING_PUBLIC_TEXT + (STATUSMELDING_INTERNAL_TEXT if internal else [])
    return text_search(meldinger, query=query, title=["tiltak__tekst"], body=body)


# --- The final evaluation (rapportering) -------------------------------------------------------------------------


def tiltak_ids_in(*, programme: Handlingsprogram) -> set[int]:
    """The ids of the programme's tiltak (one query): what a final evaluation may give recommendations for."""
    return set(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).values_list("pk", flat=True))


def rullering_decision_labels() -> dict[str, str]:
    """The rollover decisions' labels in the active language (no query), which the final evaluation freezes."""
    return {choice.value: str(choice.label) for choice in TiltakRullering.Decision}


def tiltak_choice_rows(queryset: QuerySet[Tiltak]) -> QuerySet:
    """The tiltak of ``queryset`` in the programme document's order (programme, område, innsatsområde, number) as
    plain values for a long list of checkboxes: (pk, nummer, tekst, innsatsområde's nummer, its navn, område's
    nummer). No model instances: a form listing 450 of them spent most of its time building those."""
    return queryset.order_by(
        "innsatsomraade__omraade__handlingsprogram__start_year",
        "innsatsomraade__omraade__nummer",
        "innsatsomraade__nummer",
        "nummer",
    ).values_list(
        "pk", "nummer", "tekst", "innsatsomraade__nummer", "innsatsomraade__navn", "innsatsomraade__omraade__nummer"
    )
