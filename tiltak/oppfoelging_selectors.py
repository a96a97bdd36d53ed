"""Reads for the follow-up of the reporting: reporting rounds, what each unit owes in them, and requests for an
update. Every read runs a fixed number of queries whatever the number of tiltak, units and statusmeldinger."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from handlingsprogram.models import Handlingsprogram

from . import selectors
from .models import Ansvar, Oppfoelgingsforespoersel, Rapporteringsrunde, Statusmelding, Tiltak


def _staff_users():
    User = get_user_model()
    return User.objects.filter(
        is_active=True, enhet__isnull=False, rolle__in=[User.Rolle.SAKSBEHANDLER, User.Rolle.KOORDINATOR]
    )


def _ansvar_of_user_unit() -> Q:
    """On Ansvar, in a subquery of users: the ansvar is the user's (held by their enhet, or by their aktør as a
    whole), as tiltak.permissions.responsible_filter says for one user."""
    return Q(enhet_id=OuterRef("enhet_id")) | Q(enhet__isnull=True, aktoer_id=OuterRef("enhet__aktoer_id"))


def users_owing_in(*, programme: Handlingsprogram) -> QuerySet:
    """Staff (case officers and coordinators) whose unit or aktør holds an ansvar on a tiltak of the programme."""
    ansvar = Ansvar.objects.filter(_ansvar_of_user_unit(), tiltak__innsatsomraade__omraade__handlingsprogram=programme)
    return _staff_users().filter(Exists(ansvar)).order_by("pk")


def users_still_owing_in(*, runde: Rapporteringsrunde) -> QuerySet:
    """Staff whose unit or aktør holds an ansvar on a tiltak of the round's programme that is not yet reported in
    the round (no effective statusmelding dated in its year): one query."""
    reported = Statusmelding.objects.valid().filter(tiltak=OuterRef("tiltak_id"), date__year=runde.aar)
    ansvar = Ansvar.objects.filter(
        _ansvar_of_user_unit(), tiltak__innsatsomraade__omraade__handlingsprogram=runde.handlingsprogram_id
    ).exclude(Exists(reported))
    return _staff_users().filter(Exists(ansvar)).order_by("pk")


def runder_open_all() -> list[Rapporteringsrunde]:
    """Every open round of every programme (what the scheduled reminders look at)."""
    return list(
        Rapporteringsrunde.objects.filter(closed_at__isnull=True).select_related("handlingsprogram").order_by("pk")
    )


def users_responsible_for(*, tiltak: Tiltak) -> QuerySet:
    return _staff_users().filter(Exists(Ansvar.objects.filter(_ansvar_of_user_unit(), tiltak=tiltak))).order_by("pk")


# --- Rounds ---------------------------------------------------------------------------------------------------


def runder_for(*, programme: Handlingsprogram) -> QuerySet[Rapporteringsrunde]:
    """The programme's rounds, open ones first, newest year first."""
    return (
        Rapporteringsrunde.objects.filter(handlingsprogram=programme)
        .select_related("handlingsprogram", "opened_by", "closed_by")
        .order_by("closed_at", "-aar", "-opened_at", "-id")
    )


def runder_open(*, programme: Handlingsprogram) -> list[Rapporteringsrunde]:
    return list(runder_for(programme=programme).filter(closed_at__isnull=True))


def runde_get(*, pk) -> Rapporteringsrunde | None:
    return Rapporteringsrunde.objects.select_related("handlingsprogram", "opened_by", "closed_by").filter(pk=pk).first()


def runde_tiltak(*, runde: Rapporteringsrunde) -> QuerySet[Tiltak]:
    """Every tiltak of the round's programme with its state in the round (``rapportert``: an effective
    statusmelding dated in the round's year), its latest status and the names of its ansvar (the round's page
    names them as the lists do, without their sources)."""
    return selectors.tiltak_with_status(programme=runde.handlingsprogram, year=runde.aar).prefetch_related(
        selectors.ansvar_list_prefetch()
    )


@dataclass
class UnitCompletion:
    """One responsible unit (an enhet, or an aktør as a whole) in a round: the tiltak it owes and has reported."""

    name: str
    aktoer: str
    owed: int = 0
    reported: int = 0
    tiltak_ids: set = field(default_factory=set)

    @property
    def complete(self) -> bool:
        return self.reported >= self.owed

    @property
    def missing(self) -> int:
        return self.owed - self.reported


def runde_units(*, runde: Rapporteringsrunde) -> list[UnitCompletion]:
    """Each responsible unit's completion in the round (one query): a unit owes each tiltak it holds an ansvar
    on, whatever the role, as "Mine tiltak" lists them; a tiltak is reported when it has an effective
    statusmelding dated in the round's year, whoever wrote it."""
    reported = Statusmelding.objects.valid().filter(tiltak=OuterRef("tiltak_id"), date__year=runde.aar)
    rows = (
        Ansvar.objects.filter(tiltak__innsatsomraade__omraade__handlingsprogram=runde.handlingsprogram_id)
        .annotate(rapportert=Exists(reported))
        .order_by()
        .values_list("aktoer_id", "aktoer__navn", "enhet_id", "enhet__navn", "tiltak_id", "rapportert")
    )
    units: dict[tuple, UnitCompletion] = {}
    for aktoer_id, aktoer_navn, enhet_id, enhet_navn, tiltak_id, rapportert in rows:
        unit = units.setdefault(
            (aktoer_id, enhet_id), UnitCompletion(name=enhet_navn or aktoer_navn, aktoer=aktoer_navn)
        )
        if tiltak_id in unit.tiltak_ids:
            continue
        unit.tiltak_ids.add(tiltak_id)
        unit.owed += 1
        unit.reported += int(rapportert)
    return sorted(units.values(), key=lambda u: (u.complete, u.aktoer, u.name != u.aktoer, u.name))


@dataclass(frozen=True)
class RoundDue:
    """What one user's units owe in one open round."""

    runde: Rapporteringsrunde
    owed: int
    reported: int
    today: datetime.date

    @property
    def remaining(self) -> int:
        return self.owed - self.reported

    @property
    def overdue(self) -> bool:
        return self.remaining > 0 and self.today > self.runde.frist

    @property
    def days_left(self) -> int:
        return (self.runde.frist - self.today).days


def runder_due_for(*, user, programme: Handlingsprogram, today: datetime.date | None = None) -> list[RoundDue]:
    """The open rounds of the programme with how many of the user's tiltak they owe and have reported: one query
    for the rounds, and one per open round (there is at most one per year)."""
    today = today or timezone.localdate()
    due = []
    for runde in runder_open(programme=programme):
        counts = selectors.mine_tiltak(user=user, programme=programme, year=runde.aar).aggregate(
            owed=Count("pk"), reported=Count("pk", filter=Q(rapportert=True))
        )
        if counts["owed"]:
            due.append(RoundDue(runde=runde, owed=counts["owed"], reported=counts["reported"], today=today))
    return due


# --- Requests -------------------------------------------------------------------------------------------------


def forespoersler_for(*, tiltak: Tiltak) -> list[Oppfoelgingsforespoersel]:
    """The tiltak's requests for an update, open ones first, then newest first (one query)."""
    return list(
        Oppfoelgingsforespoersel.objects.filter(tiltak=tiltak)
        .select_related("asked_by", "answered_by", "statusmelding", "svar_statusmelding")
        .order_by("answered_at", "-asked_at", "-id")
    )


def askable_statusmelding(*, tiltak: Tiltak, pk) -> Statusmelding | None:
    """The tiltak's statusmelding ``pk`` (as typed) if a coordinator may ask about it (not withdrawn), else None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:  # beyond any database's integer column
        return None
    return tiltak.statusmeldinger.filter(pk=pk, withdrawn_at__isnull=True).first()


def forespoersel_get(*, pk) -> Oppfoelgingsforespoersel | None:
    return (
        Oppfoelgingsforespoersel.objects.select_related(
            "tiltak__innsatsomraade__omraade__handlingsprogram", "asked_by", "statusmelding"
        )
        .filter(pk=pk)
        .first()
    )
