"""Reads for the rollover: a draft's decisions, and a tiltak's lineage across programme periods. Each runs a fixed
number of queries whatever the number of tiltak, decisions or statusmeldinger."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from handlingsprogram.models import Handlingsprogram
from handlingsprogram.permissions import user_may_roll_over, user_may_see_drafts

from .models import Statusmelding, Tiltak, TiltakRullering
from .models.tiltak import LATEST_FIRST

_TILTAK_PATH = "innsatsomraade__omraade__handlingsprogram"


def _successors() -> Prefetch:
    return Prefetch("etterfoelgere", queryset=Tiltak.objects.select_related(_TILTAK_PATH).order_by("pk"))


def rulleringer_for_draft(*, programme: Handlingsprogram) -> list[TiltakRullering]:
    """The decisions of the roll-over into ``programme``, in the old tiltak's order."""
    return list(
        TiltakRullering.objects.filter(handlingsprogram=programme)
        .select_related(f"tiltak__{_TILTAK_PATH}", "kopi__innsatsomraade__omraade")
        .prefetch_related(_successors())
        .order_by("tiltak__innsatsomraade__omraade__nummer", "tiltak__innsatsomraade__nummer", "tiltak__nummer")
    )


def rullering_get(*, programme: Handlingsprogram, code: str) -> TiltakRullering | None:
    """The decision on the old tiltak ``code`` in the roll-over into ``programme``."""
    if programme.forgjenger_id is None:
        return None
    old = Tiltak.objects.by_code(programme.forgjenger, code)
    return (
        TiltakRullering.objects.filter(handlingsprogram=programme, tiltak__in=old)
        .select_related(f"tiltak__{_TILTAK_PATH}", "kopi")
        .prefetch_related(_successors())
        .first()
    )


def draft_tiltak(*, programme: Handlingsprogram) -> QuerySet[Tiltak]:
    return Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
        "innsatsomraade__omraade"
    )


def draft_tiltak_get(*, programme: Handlingsprogram, pk) -> Tiltak | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return draft_tiltak(programme=programme).select_related(_TILTAK_PATH).filter(pk=pk).first()


@dataclass
class Lineage:
    """Where a tiltak came from (the decisions on its predecessors) and where it went (its own decision), and its
    predecessors' statusmeldinger, newest first. Drafts the user may not see are left out."""

    came_from: list[TiltakRullering] = field(default_factory=list)
    went_to: TiltakRullering | None = None
    predecessor_timeline: list[Statusmelding] = field(default_factory=list)

    def __bool__(self):
        return bool(self.came_from or self.went_to)


def tiltak_lineage(*, tiltak: Tiltak, user) -> Lineage:
    """One query for a tiltak without lineage; with lineage, its successors and its predecessors' statusmeldinger
    besides (three at most)."""
    drafts_visible = user_may_see_drafts(user)
    decisions = list(
        TiltakRullering.objects.filter(Q(tiltak=tiltak) | Q(etterfoelgere=tiltak))
        .distinct()
        .select_related(f"tiltak__{_TILTAK_PATH}", "handlingsprogram")
        .order_by("tiltak__innsatsomraade__omraade__nummer", "tiltak__innsatsomraade__nummer", "tiltak__nummer")
    )
    if not decisions:
        return Lineage()
    prefetch_related_objects(decisions, _successors())
    came_from = [r for r in decisions if r.tiltak_id != tiltak.pk]
    went_to = next((r for r in decisions if r.tiltak_id == tiltak.pk), None)
    if went_to is not None and went_to.handlingsprogram.is_draft and not drafts_visible:
        went_to = None
    timeline = (
        list(
            Statusmelding.objects.valid()
            .filter(tiltak__in=[r.tiltak_id for r in came_from])
            .select_related(f"tiltak__{_TILTAK_PATH}", "author__enhet__aktoer")
            .order_by(*LATEST_FIRST)
        )
        if came_from
        else []
    )
    return Lineage(came_from=came_from, went_to=went_to, predecessor_timeline=timeline)


def lineage_section(*, tiltak: Tiltak, user) -> dict:
    """The tiltak page's section (tiltak/page_sections.py): {} when the tiltak has no lineage to show."""
    lineage = tiltak_lineage(tiltak=tiltak, user=user)
    if not lineage:
        return {}
    return {"lineage": lineage, "tiltak": tiltak, "may_decide": user_may_roll_over(user)}


def programme_rollover_state(*, programme: Handlingsprogram, user) -> dict:
    """What the programme page says about the programme's place in the sequence and what a coordinator may do:
    its successor (if the user may see it) and whether it may be rolled over. One query at most."""
    drafts_visible = user_may_see_drafts(user)
    successor = None
    # The current programme's successor can only be a draft: no query for those who may not see it.
    if drafts_visible or programme.state == Handlingsprogram.State.AVSLUTTET:
        successor = Handlingsprogram.objects.filter(forgjenger=programme).first()
    if successor is not None and successor.is_draft and not drafts_visible:
        successor = None
    is_coordinator = user_may_roll_over(user)
    return {
        "programme": programme,
        "successor": successor,
        "may_roll_over": is_coordinator and successor is None and programme.state == Handlingsprogram.State.VEDTATT,
        "may_decide": is_coordinator and programme.is_draft,
    }
