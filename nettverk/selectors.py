"""Reads for networks. The register is small (dozens of rows), so the hierarchy is built in Python from
one query for networks and one for memberships, whatever its depth."""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When

from felles.search import SearchText, text_search
from handlingsprogram.models import Handlingsprogram, Kilde, PrioritertOmraade, User
from handlingsprogram.selectors import kilder_prefetch
from tiltak.models import Tiltak

from . import permissions
from .models import Deltagelse, Medlemskap, Nettverk, Vedlegg


@dataclass
class NettverkNode:
    nettverk: Nettverk
    children: list["NettverkNode"] = field(default_factory=list)


def _medlemskap_prefetch(*, kilder: bool) -> Prefetch:
    """Memberships with their actor and unit and, with ``kilder``, where each fact about them comes from (the
    level is often not stated in the programme document), for the pages that mark it."""
    medlemskap = Medlemskap.objects.select_related("aktoer", "enhet__aktoer")
    if kilder:
        medlemskap = medlemskap.prefetch_related(kilder_prefetch())
    return Prefetch("medlemskap", queryset=medlemskap)


def _all_nettverk(*, kilder: bool):
    return Nettverk.objects.prefetch_related(_medlemskap_prefetch(kilder=kilder)).order_by("rekkefoelge", "navn")


def nettverk_tree(*, kilder: bool = False) -> list[NettverkNode]:
    """All networks as a forest, roots first, each node's children in register order; ``kilder`` adds the
    memberships' sources (one query) for the register page, which marks them."""
    nodes = {n.pk: NettverkNode(n) for n in _all_nettverk(kilder=kilder)}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.nettverk.forelder_id)
        (parent.children if parent else roots).append(node)
    return roots


def medlemskap_level_sources() -> dict[int, Kilde]:
    """The source of every membership's level, by membership id (one query)."""
    return {
        kilde.object_id: kilde
        for kilde in Kilde.objects.filter(
            content_type__app_label="nettverk", content_type__model="medlemskap", field_name="nivaa"
        )
    }


def report_labels() -> dict[str, dict[str, str]]:
    """The labels of the coded values an annual report shows from this app, {kind: {code: label}}, in the active
    language; no query. The report freezes them with its content."""
    return {
        "nettverk_type": {value: str(label) for value, label in Nettverk.Type.choices},
        "medlemskap_rolle": {value: str(label) for value, label in Medlemskap.Rolle.choices},
        "nivaa": {value: str(label) for value, label in Medlemskap.Nivaa.choices},
    }


def nettverk_get(*, slug: str) -> Nettverk | None:
    return Nettverk.objects.filter(slug=slug).first()


@dataclass
class NettverkDetail:
    nettverk: Nettverk
    ancestors: list[Nettverk]
    children: list[Nettverk]
    tiltak: list[Tiltak]


def nettverk_detail(*, slug: str) -> NettverkDetail | None:
    everything = {n.pk: n for n in Nettverk.objects.order_by("rekkefoelge", "navn")}
    nettverk = next((n for n in everything.values() if n.slug == slug), None)
    if nettverk is None:
        return None
    nettverk = Nettverk.objects.prefetch_related(
        _medlemskap_prefetch(kilder=True),
        Prefetch(
            "omraader",
            queryset=PrioritertOmraade.objects.exclude(handlingsprogram__state=Handlingsprogram.State.UTKAST),
        ),
        kilder_prefetch(),
    ).get(pk=nettverk.pk)
    ancestors = []
    parent_id = nettverk.forelder_id
    while parent_id is not None and parent_id in everything and len(ancestors) < len(everything):
        ancestors.insert(0, everything[parent_id])
        parent_id = everything[parent_id].forelder_id
    children = [n for n in everything.values() if n.forelder_id == nettverk.pk]
    tiltak = list(
        nettverk.tiltak.exclude(innsatsomraade__omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST)
        .select_related("innsatsomraade__omraade__handlingsprogram")
        .order_by(
            "innsatsomraade__omraade__handlingsprogram__start_year",
            "innsatsomraade__omraade__nummer",
            "innsatsomraade__nummer",
            "nummer",
        )
    )
    return NettverkDetail(nettverk=nettverk, ancestors=ancestors, children=children, tiltak=tiltak)


def nettverk_for_api() -> QuerySet[Nettverk]:
    """Every network with its parent, areas, tiltak and memberships, in a fixed number of queries."""
    return (
        Nettverk.objects.select_related("forelder")
        .prefetch_related(
            # A draft programme's copies of the links are not public.
            Prefetch(
                "omraader",
                queryset=PrioritertOmraade.objects.exclude(handlingsprogram__state=Handlingsprogram.State.UTKAST),
            ),
            "omraader__handlingsprogram",
            Prefetch(
                "tiltak",
                queryset=Tiltak.objects.exclude(
                    innsatsomraade__omraade__handlingsprogram__state=Handlingsprogram.State.UTKAST
                ).select_related("innsatsomraade__omraade__handlingsprogram"),
            ),
            Prefetch(
                "medlemskap",
                queryset=Medlemskap.objects.select_related("aktoer", "enhet").prefetch_related(kilder_prefetch()),
            ),
            kilder_prefetch(),
        )
        .order_by("rekkefoelge", "navn")
    )


# --- Deltagelser ---------------------------------------------------------------------------------------------------

OVERDUE_DAYS = 14


def _deltagelser() -> QuerySet[Deltagelse]:
    return Deltagelse.objects.select_related("nettverk", "created_by")


def deltagelse_get(*, pk: int) -> Deltagelse | None:
    return (
        _deltagelser()
        .prefetch_related(
            Prefetch("deltakere", queryset=User.objects.select_related("enhet").order_by("first_name", "username")),
            Prefetch("tiltak", queryset=Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram")),
            Prefetch("vedlegg", queryset=Vedlegg.objects.select_related("uploaded_by")),
        )
        .filter(pk=pk)
        .first()
    )


def vedlegg_get(*, pk: int) -> Vedlegg | None:
    return Vedlegg.objects.select_related("deltagelse").filter(pk=pk).first()


def overdue_filter(today: datetime.date) -> Q:
    """Held more than OVERDUE_DAYS ago (by the last day) and not reported back."""
    limit = today - datetime.timedelta(days=OVERDUE_DAYS)
    return ~Q(status=Deltagelse.Status.RAPPORTERT) & (Q(end__lt=limit) | Q(end__isnull=True, start__lt=limit))


def deltagelser_for_user(*, user, today: datetime.date) -> list[Deltagelse]:
    """ "Mine deltagelser": those the user registered or takes part in, upcoming and overdue first."""
    return list(
        _deltagelser()
        .filter(Q(created_by=user) | Q(deltakere=user))
        # CASE rather than the bare condition: "end < …" is NULL for a one-day meeting, and PostgreSQL sorts
        # NULL first in a descending order.
        .annotate(is_overdue=Case(When(overdue_filter(today), then=True), default=False, output_field=BooleanField()))
        .distinct()
        .order_by("-is_overdue", "-start", "-id")
    )


def deltagelser_overdue_all(*, today: datetime.date) -> QuerySet[Deltagelse]:
    """Meetings held more than OVERDUE_DAYS ago without a report-back, oldest first (the dashboard pages them)."""
    qs = _deltagelser().filter(overdue_filter(today)).annotate(is_overdue=Value(True, output_field=BooleanField()))
    return qs.order_by("start", "id")


def deltagelser_overdue(*, today: datetime.date, limit: int = 50) -> list[Deltagelse]:
    """The first ``limit`` of ``deltagelser_overdue_all``."""
    return list(deltagelser_overdue_all(today=today)[:limit])


def deltagelser_recently_reported(*, limit: int = 30) -> list[Deltagelse]:
    """The latest report-backs, newest first (the "Siste fra internasjonale arenaer" page and its Atom feed)."""
    return list(_deltagelser().filter(status=Deltagelse.Status.RAPPORTERT).order_by("-reported_at", "-id")[:limit])


def deltagelser_upcoming(*, today: datetime.date, limit: int = 200) -> list[Deltagelse]:
    """Meetings from today on, soonest first (the iCalendar feed)."""
    return list(_deltagelser().filter(Q(start__gte=today) | Q(end__gte=today)).order_by("start", "id")[:limit])


def nettverk_deltagelser(*, nettverk: Nettverk, limit: int = 20) -> tuple[list[Deltagelse], int]:
    """A network's participation history, newest first, and how many there are in all."""
    qs = _deltagelser().filter(nettverk=nettverk)
    return list(qs.order_by("-start", "-id")[:limit]), qs.count()


@dataclass
class NettverkAar:
    nettverk: Nettverk
    politisk: int = 0
    administrativ: int = 0
    rapporter: list[Deltagelse] = field(default_factory=list)

    @property
    def moeter(self) -> int:
        return self.politisk + self.administrativ


def participation_by_network(*, year: int) -> list[NettverkAar]:
    """Per network, for one year: political and administrative participation and the report-backs; what the
    annual report's participation section shows. One query, whatever the number of networks or meetings."""
    rows: dict[int, NettverkAar] = {}
    qs = _deltagelser().filter(start__year=year).order_by("nettverk__rekkefoelge", "nettverk__navn", "start")
    for deltagelse in qs:
        entry = rows.setdefault(deltagelse.nettverk_id, NettverkAar(nettverk=deltagelse.nettverk))
        if deltagelse.nivaa == Medlemskap.Nivaa.POLITISK:
            entry.politisk += 1
        else:
            entry.administrativ += 1
        if deltagelse.status == Deltagelse.Status.RAPPORTERT:
            entry.rapporter.append(deltagelse)
    return list(rows.values())


def deltagelser_for_api() -> QuerySet[Deltagelse]:
    """Every deltagelse with its network and measures, in a fixed number of queries, newest first."""
    return (
        Deltagelse.objects.select_related("nettverk")
        .prefetch_related(
            Prefetch("tiltak", queryset=Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram"))
        )
        .order_by("-start", "-id")
    )


def nettverk_filtered(*, type: str = "", geografi: str = "", omraade=None) -> list[Nettverk]:
    """The register filtered by type, geography and priority area, as a flat list in register order."""
    qs = _all_nettverk(kilder=False).select_related("forelder")
    if type:
        qs = qs.filter(type=type)
    if geografi:
        qs = qs.filter(geografi=geografi)
    if omraade is not None:
        qs = qs.filter(omraader=omraade)
    return list(qs)


def medlemskap_for_api() -> QuerySet[Medlemskap]:
    return (
        Medlemskap.objects.select_related("nettverk", "aktoer", "enhet")
        .prefetch_related(kilder_prefetch())
        .order_by("nettverk__navn", "aktoer__navn", "id")
    )


def demo_rows() -> list[QuerySet]:
    """This app's rows load_demo made (for "does the database hold demo data?")."""
    return [Deltagelse.objects.filter(demo=True)]


# Search (the header's search box, portal/search.py): only what the user may read.

DELTAGELSE_PUBLIC_TEXT = ["sted", "formaal", "referat", "nettverk__navn"]
DELTAGELSE_INTERNAL_TEXT = ["posisjoner", "forberedelser", "oppfoelging", "laering", "deling", "eksterne_deltakere"]


def nettverk_search(*, query: SearchText, user) -> QuerySet[Nettverk]:
    """Networks matching ``query`` by name, short name or description (public data). One query (and a count)."""
    return text_search(Nettverk.objects.all(), query=query, title=["navn", "kortnavn"], body=["beskrivelse"])


def deltagelse_search(*, query: SearchText, user) -> QuerySet[Deltagelse]:
    """Deltagelser matching ``query`` in the fields the user may read: the public ones (title, place, purpose,
    what happened) for everyone, the internal ones (positions, preparation, follow-up, learning, sharing, other
    participants) for logged-in staff only. One query (and one for a count)."""
    body = DELTAGELSE_PUBLIC_TEXT + (DELTAGELSE_INTERNAL_TEXT if permissions.can_read_internal(user) else [])
    deltagelser = Deltagelse.objects.select_related("nettverk")
    return text_search(deltagelser, query=query, title=["tittel"], body=body)
