"""Reads for the public progress on the programme's front page and each area's page (issue 17): how many tiltak
are in each status and assessment, a chart and a table of each, the latest statusmeldinger and when the newest
was dated. Public fields only: the internal remark and why a report was withdrawn are not even read.

A fixed number of queries whatever the number of tiltak and statusmeldinger: one for the counts, one for the
latest statusmeldinger (whose first is the newest, so "last updated" costs nothing more)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, CharField, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from felles.charts import Breakdown, StackedBarChart, stacked_bar_chart
from handlingsprogram.models import Handlingsprogram, PrioritertOmraade

from . import charts
from .models import Statusmelding, Tiltak
from .models.tiltak import LATEST_FIRST
from .selectors import reporting_year

LATEST_COUNT = 5

# The public charts are drawn narrower than the dashboard's, so that scaled down to a 320 px screen their text
# keeps a legible size (the longest area name, «1. Klima, energi og teknologiutvikling», still fits on one line).
PUBLIC_CHART_WIDTH = 360

# What the public may read of a statusmelding; everything else is left out of the query.
_INTERNAL_FIELDS = ("intern_merknad", "trukket_tilbake_begrunnelse", "correction_reason")


@dataclass(frozen=True)
class PublicProgress:
    """``status``/``vurdering``: the breakdowns per area (the table), ``*_chart`` their charts; ``demo_count``: how
    many of the counted tiltak have their status from made-up demo statusmeldinger; ``latest``: the newest
    effective statusmeldinger, newest first (``last_updated`` is the first one, or None)."""

    id_prefix: str  # keeps the page's element ids apart
    year: int
    status: Breakdown
    vurdering: Breakdown
    status_chart: StackedBarChart
    vurdering_chart: StackedBarChart
    demo_count: int
    latest: list[Statusmelding]

    @property
    def last_updated(self) -> Statusmelding | None:
        return self.latest[0] if self.latest else None


def public_statusmeldinger(
    *, programme: Handlingsprogram, omraade: PrioritertOmraade | None = None
) -> QuerySet[Statusmelding]:
    """The programme's (or one area's) effective statusmeldinger, newest first, without their internal fields."""
    qs = Statusmelding.objects.valid().filter(tiltak__innsatsomraade__omraade__handlingsprogram=programme)
    if omraade is not None:
        qs = qs.filter(tiltak__innsatsomraade__omraade=omraade)
    return (
        qs.select_related("tiltak__innsatsomraade__omraade__handlingsprogram")
        .defer(*_INTERNAL_FIELDS)
        .order_by(*LATEST_FIRST)
    )


def _counts(*, programme: Handlingsprogram, year: int, omraade: PrioritertOmraade | None):
    """Per area number, how many tiltak are in each status and assessment at the end of ``year`` (the shape of
    ``selectors.StatusOverview.counts``), and how many of them have it from a demo statusmelding. One query: the
    latest statusmelding's status, assessment and demo flag come back packed in one string, as on the dashboard."""
    latest = Statusmelding.objects.latest_valid(up_to=datetime.date(year, 12, 31)).annotate(
        packed=Concat(
            "status",
            Value("|"),
            "vurdering",
            Value("|"),
            Case(When(demo=True, then=Value("1")), default=Value("0"), output_field=CharField()),
            output_field=CharField(),
        )
    )
    rows = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
    if omraade is not None:
        rows = rows.filter(innsatsomraade__omraade=omraade)
    rows = (
        rows.annotate(siste=Subquery(latest.values("packed")[:1]))
        .order_by()
        .values_list("innsatsomraade__omraade__nummer", "siste")
    )
    counts: dict[int, dict[str, dict[str | None, int]]] = {}
    demo_count = 0
    for area_number, siste in rows:
        status, vurdering, demo = siste.split("|") if siste else (None, None, "0")
        area = counts.setdefault(area_number, {"status": {}, "vurdering": {}})
        area["status"][status] = area["status"].get(status, 0) + 1
        area["vurdering"][vurdering] = area["vurdering"].get(vurdering, 0) + 1
        demo_count += demo == "1"
    return counts, demo_count


def public_progress(
    *,
    programme: Handlingsprogram,
    areas: list[PrioritertOmraade],
    omraade: PrioritertOmraade | None = None,
    id_prefix: str = "progress",
) -> PublicProgress:
    """Where the programme (or, with ``omraade``, one of its areas) stands: each tiltak counts with its latest
    effective statusmelding up to the end of the reporting year. ``areas`` are the rows of the charts and tables,
    already read by the page (no query here); pass ``[omraade]`` for one area's page."""
    year = reporting_year(programme)
    counts, demo_count = _counts(programme=programme, year=year, omraade=omraade)
    status, vurdering = charts.breakdowns(areas=[(area.nummer, area.navn) for area in areas], counts=counts)
    return PublicProgress(
        id_prefix=id_prefix,
        year=year,
        status=status,
        vurdering=vurdering,
        status_chart=stacked_bar_chart(
            chart_id=f"{id_prefix}-status",
            title=_("Status of the measures, per priority area"),
            breakdown=status,
            width=PUBLIC_CHART_WIDTH,
        ),
        vurdering_chart=stacked_bar_chart(
            chart_id=f"{id_prefix}-vurdering",
            title=_("Assessment of the measures, per priority area"),
            breakdown=vurdering,
            width=PUBLIC_CHART_WIDTH,
        ),
        demo_count=demo_count,
        latest=list(public_statusmeldinger(programme=programme, omraade=omraade)[:LATEST_COUNT]),
    )
