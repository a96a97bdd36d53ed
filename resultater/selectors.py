"""Reads for results: indikatorer and their values, international projects, exchange rates and funding sums,
for the pages, the partner API and the annual report."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
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
from django.db.models.functions import Coalesce, ExtractYear

from felles.history import HistoryEntry, history_entries
from felles.search import SearchText, text_search
from handlingsprogram.models import Aktoer, Handlingsprogram, PrioritertOmraade
from handlingsprogram.permissions import user_may_see_drafts
from handlingsprogram.selectors import kilder_prefetch, programmes_visible
from tiltak.models import Tiltak

from .models import Indikator, Indikatorverdi, Prosjekt, ProsjektImport, Valutakurs
from .models.prosjekt import Valuta


def report_labels() -> dict[str, dict[str, str]]:
    """The labels of the coded values an annual report shows from this app, {kind: {code: label}}, in the active
    language; no query. The report freezes them with its content (statuses and assessments: ``status_categories``)."""
    return {
        "maaleenhet": {value: str(label) for value, label in Indikator.Maaleenhet.choices},
        "retning": {value: str(label) for value, label in Indikator.Retning.choices},
        "prosjekt_rolle": {value: str(label) for value, label in Prosjekt.Rolle.choices},
        "prosjekt_status": {value: str(label) for value, label in Prosjekt.Status.choices},
    }


def _in_programme(programme: Handlingsprogram) -> Q:
    return Q(tiltak__innsatsomraade__omraade__handlingsprogram=programme) | Q(omraade__handlingsprogram=programme)


def indikatorer_for_programme(*, programme: Handlingsprogram) -> QuerySet[Indikator]:
    """The programme's indikatorer, area indikatorer first, each with its latest value (``siste_aar``,
    ``siste_verdi``, ``siste_demo`` when that value is demo content). One query."""
    latest = Indikatorverdi.objects.filter(indikator=OuterRef("pk")).order_by("-aar")
    return (
        Indikator.objects.filter(_in_programme(programme))
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "omraade")
        .annotate(
            siste_aar=Subquery(latest.values("aar")[:1]),
            siste_verdi=Subquery(latest.values("verdi")[:1]),
            siste_demo=Subquery(latest.values("demo")[:1]),
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


def indikator_get(*, pk: int, include_drafts: bool = False) -> Indikator | None:
    """The indikator, or None; one of a draft programme only when ``include_drafts`` (staff)."""
    indikatorer = Indikator.objects.select_related(
        "tiltak__innsatsomraade__omraade__handlingsprogram", "omraade__handlingsprogram"
    ).filter(pk=pk)
    if not include_drafts:
        draft = Handlingsprogram.State.UTKAST
        indikatorer = indikatorer.exclude(
            Q(tiltak__innsatsomraade__omraade__handlingsprogram__state=draft)
            | Q(omraade__handlingsprogram__state=draft)
        )
    return indikatorer.first()


def indikatorverdier(*, indikator: Indikator) -> list[Indikatorverdi]:
    return list(indikator.verdier.select_related("created_by").order_by("aar"))


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
        .prefetch_related(kilder_prefetch("indikator__kilder"))
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
    rate = Valutakurs.objects.filter(aar=ExtractYear(OuterRef("start_date")), valuta=OuterRef("valuta")).values("kurs")
    return Case(
        When(valuta=Valuta.NOK, then=Value(Decimal(1))),
        default=Subquery(rate[:1]),
        output_field=DecimalField(max_digits=12, decimal_places=4),
    )


def _rate_is_demo() -> Case:
    """Whether the rate ``_rate_for_start_year`` takes is a demo rate (false for NOK and for no rate)."""
    rate = Valutakurs.objects.filter(aar=ExtractYear(OuterRef("start_date")), valuta=OuterRef("valuta"))
    return Case(
        When(valuta=Valuta.NOK, then=Value(False)),
        default=Exists(rate.filter(demo=True)),
        output_field=BooleanField(),
    )


def prosjekter_with_nok() -> QuerySet[Prosjekt]:
    return Prosjekt.objects.annotate(kurs=_rate_for_start_year(), kurs_demo=_rate_is_demo()).annotate(
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
        prosjekter = prosjekter.filter(start_date__year=filters.aar)
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
        start_date__lte=datetime.date(programme.end_year, 12, 31),
        end_date__gte=datetime.date(programme.start_year, 1, 1),
    )
    if year is not None:
        funded = funded.filter(start_date__year=year)

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
        .annotate(start_aar=ExtractYear("start_date"))
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
        .annotate(start_aar=ExtractYear("start_date"))
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
        Prosjekt.objects.annotate(start_aar=ExtractYear("start_date"))
        .order_by("start_aar")
        .values_list("start_aar", flat=True)
        .distinct()
    )


def prosjekt_import_get(*, pk: int, user) -> ProsjektImport | None:
    """An upload, only for the coordinator who made it (the file may hold what others should not see yet)."""
    # The file's bytes are not needed: its rows were read when it was uploaded.
    return ProsjektImport.objects.filter(pk=pk, created_by=user).defer("fil").first()


def prosjekt_imports_recent(*, user, limit: int = 10) -> list[ProsjektImport]:
    return list(ProsjektImport.objects.filter(created_by=user).defer("fil", "rader").order_by("-created_at")[:limit])


# --- Results in the partner API -------------------------------------------------------------------------------------


def indikatorer_for_api() -> QuerySet[Indikator]:
    """Every programme's indikatorer with what they measure, their values (never who recorded them) and their
    sources: four queries a page, however many values there are. A draft programme's are left out: the API is
    public, and a draft is staff's."""
    return (
        Indikator.objects.exclude(
            tiltak__innsatsomraade__omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST
        )
        .exclude(omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "omraade__handlingsprogram")
        .prefetch_related(Prefetch("verdier", queryset=Indikatorverdi.objects.order_by("aar")), kilder_prefetch())
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
        .order_by("-start_date", "navn", "id")
    )


def prosjekter_funded_starting(*, year: int) -> QuerySet[Prosjekt]:
    """The funded projects (the statuses ``funding_summary`` counts) that started in ``year``, oldest first, with
    their NOK sums and relations (as ``prosjekter_filtered``)."""
    return (
        prosjekter_filtered(filters=ProsjektFilter(aar=year))
        .filter(status__in=Prosjekt.FUNDED)
        .order_by("start_date", "navn", "id")
    )


def demo_rows() -> list[QuerySet]:
    """This app's rows load_demo made (for "does the database hold demo data?")."""
    return [model.objects.filter(demo=True) for model in (Indikatorverdi, Prosjekt, Valutakurs)]


# Search (the header's search box, portal/search.py): only what the user may read.


def indikator_search(*, query: SearchText, user) -> QuerySet[Indikator]:
    """Indikatorer of the programmes the user may read (drafts only for staff) matching ``query`` by name,
    description or baseline source. One query (and one for a count)."""
    visible = programmes_visible(include_drafts=user_may_see_drafts(user))
    indikatorer = Indikator.objects.filter(
        Q(tiltak__innsatsomraade__omraade__handlingsprogram__in=visible) | Q(omraade__handlingsprogram__in=visible)
    ).select_related("tiltak__innsatsomraade__omraade", "omraade")
    return text_search(indikatorer, query=query, title=["navn"], body=["beskrivelse", "basis_kilde"])


def prosjekt_search(*, query: SearchText, user) -> QuerySet[Prosjekt]:
    """Projects matching ``query`` by name, acronym, project number, call or funding programme (every field of a
    project is public). One query (and one for a count)."""
    prosjekter = Prosjekt.objects.select_related("finansieringsprogram")
    return text_search(
        prosjekter,
        query=query,
        title=["navn", "akronym", "ekstern_id"],
        body=["utlysning", "finansieringsprogram__navn"],
        codes=("ekstern_id",),
    )
