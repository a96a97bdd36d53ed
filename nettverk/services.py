"""Writes for deltagelser: register, edit, and move the status along planlagt → forberedt → gjennomført →
rapportert. Each step has requirements (``missing_for``); a step whose requirements are not met changes nothing.

The status follows from what is filled in: saving a deltagelse moves it forwards to the furthest step whose
requirements are met (the "before" fields make it forberedt, the report-back makes it rapportert), and
``deltagelser_advance`` (run daily) makes a prepared meeting gjennomført once its first day has come. It never
moves backwards by itself: going back one step is a person's correction (``deltagelse_set_status``)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from felles.vedlegg import check_upload
from handlingsprogram.models import PrioritertOmraade
from varsler import selectors as varsler_selectors
from varsler.models import Varsel
from varsler.services import varsler_create

from .models import Deltagelse, Nettverk, Vedlegg
from .permissions import can_edit, can_read_internal, can_register

ORDER = [
    Deltagelse.Status.PLANLAGT,
    Deltagelse.Status.FORBEREDT,
    Deltagelse.Status.GJENNOMFOERT,
    Deltagelse.Status.RAPPORTERT,
]
FIELDS = [
    "nettverk",
    "tittel",
    "type",
    "start",
    "end",
    "sted",
    "nivaa",
    "eksterne_deltakere",
    "formaal",
    "posisjoner",
    "forberedelser",
    "referat",
    "oppfoelging",
    "laering",
    "deling",
]


def missing_for(deltagelse: Deltagelse, status: str, *, today: datetime.date | None = None) -> list[str]:
    """What the deltagelse still lacks to be in ``status`` (every step includes the ones before it)."""
    today = today or timezone.localdate()
    missing: list[str] = []
    target = ORDER.index(status)
    if target >= ORDER.index(Deltagelse.Status.FORBEREDT):
        if not deltagelse.formaal.strip():
            missing.append(_("the purpose"))
        if not deltagelse.forberedelser.strip():
            missing.append(_("the preparation done"))
    if target >= ORDER.index(Deltagelse.Status.GJENNOMFOERT) and deltagelse.start > today:
        missing.append(_("the first day to have come"))
    if target >= ORDER.index(Deltagelse.Status.RAPPORTERT):
        if not deltagelse.referat.strip():
            missing.append(_("what happened and was decided"))
        if not deltagelse.deling.strip():
            missing.append(_("how and with whom it was shared"))
    return missing


def next_status(deltagelse: Deltagelse) -> str | None:
    index = ORDER.index(deltagelse.status)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def furthest_status(deltagelse: Deltagelse, *, today: datetime.date | None = None) -> str:
    """The furthest step whose requirements (and every earlier step's) are met by what is filled in."""
    reached = ORDER[0]
    for status in ORDER[1:]:
        if missing_for(deltagelse, status, today=today):
            break
        reached = status
    return reached


def _advance(deltagelse: Deltagelse, *, today: datetime.date | None = None) -> bool:
    """Move the (unsaved) deltagelse forwards to ``furthest_status``; True when the status changed."""
    furthest = furthest_status(deltagelse, today=today)
    if ORDER.index(furthest) <= ORDER.index(deltagelse.status):
        return False
    deltagelse.status = furthest
    if furthest == Deltagelse.Status.RAPPORTERT and deltagelse.reported_at is None:
        deltagelse.reported_at = timezone.now()
    return True


def tilbakerapportering_notify(*, deltagelse: Deltagelse, user=None) -> list[Varsel]:
    """Tell those who follow the deltagelse's network, a network it is part of (following a network is following
    its sub-networks), or one of those networks' priority areas, that its report-back is in. Not the one who
    reported it. Runs in the transaction that made it "rapportert". The text names only the network, the title
    and the date, which are public; the link leads to the deltagelse, whose internal parts the page shows only
    to those who may read them, and only users who may read those get the notification."""
    chain = []
    nettverk = Nettverk.objects.filter(pk=deltagelse.nettverk_id).only("pk", "navn", "forelder_id").first()
    while nettverk is not None and nettverk not in chain and len(chain) < 20:
        chain.append(nettverk)
        nettverk = (
            Nettverk.objects.filter(pk=nettverk.forelder_id).only("pk", "navn", "forelder_id").first()
            if nettverk.forelder_id
            else None
        )
    areas = list(PrioritertOmraade.objects.filter(nettverk__in=chain).distinct())
    followers = [
        follower
        for follower in varsler_selectors.followers_of(objects=[*chain, *areas])
        if (user is None or follower.pk != user.pk) and can_read_internal(follower)
    ]
    if not followers:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        text = _("New report-back from %(network)s: «%(title)s» (%(date)s)") % {
            "network": chain[0].navn,
            "title": deltagelse.tittel,
            "date": deltagelse.start.strftime("%d.%m.%Y"),
        }
    return varsler_create(
        users=followers,
        kind=Varsel.Kind.TILBAKERAPPORTERING,
        text=text,
        link=reverse("nettverk:deltagelse_detail", kwargs={"pk": deltagelse.pk}),
        demo=deltagelse.demo,
        key=f"tilbakerapportering:{deltagelse.pk}",
    )


def _notify_if_reported(deltagelse: Deltagelse, before: str, user) -> None:
    if deltagelse.status == Deltagelse.Status.RAPPORTERT and before != Deltagelse.Status.RAPPORTERT:
        tilbakerapportering_notify(deltagelse=deltagelse, user=user)


def _apply(deltagelse: Deltagelse, data: dict, deltakere, tiltak, user=None) -> Deltagelse:
    before = deltagelse.status if deltagelse.pk else None
    for name in FIELDS:
        if name in data:
            setattr(deltagelse, name, data[name])
    deltagelse.full_clean()
    _advance(deltagelse)
    deltagelse.save()
    if deltakere is not None:
        deltagelse.deltakere.set(deltakere)
    if tiltak is not None:
        deltagelse.tiltak.set(tiltak)
    _notify_if_reported(deltagelse, before, user)
    return deltagelse


@transaction.atomic
def deltagelse_create(*, user, data: dict, deltakere=None, tiltak=None) -> Deltagelse:
    if not can_register(user):
        raise PermissionDenied(_("You may not register participation."))
    deltagelse = Deltagelse(created_by=user)
    return _apply(deltagelse, data, deltakere, tiltak, user)


@transaction.atomic
def deltagelse_update(*, deltagelse: Deltagelse, user, data: dict, deltakere=None, tiltak=None) -> Deltagelse:
    deltagelse = Deltagelse.objects.select_for_update().get(pk=deltagelse.pk)
    if not can_edit(user, deltagelse):
        raise PermissionDenied(_("You may not change this participation."))
    _apply(deltagelse, data, deltakere, tiltak, user)
    # A change that takes away what the status needs (e.g. emptying the report-back) is refused as a whole.
    missing = missing_for(deltagelse, deltagelse.status)
    if missing:
        raise ValidationError(
            _("As %(status)s it needs %(missing)s.")
            % {"status": deltagelse.get_status_display().lower(), "missing": ", ".join(missing)}
        )
    return deltagelse


@transaction.atomic
def deltagelse_set_status(*, deltagelse: Deltagelse, user, status: str) -> Deltagelse:
    """Move to ``status`` (forwards any number of steps once their requirements are met, or back one step to
    correct a mistake)."""
    deltagelse = Deltagelse.objects.select_for_update().get(pk=deltagelse.pk)
    if not can_edit(user, deltagelse):
        raise PermissionDenied(_("You may not change this participation."))
    if status not in ORDER:
        raise ValidationError(_("Unknown status."))
    if ORDER.index(status) < ORDER.index(deltagelse.status) - 1:
        raise ValidationError(_("The status can go back only one step at a time."))
    missing = missing_for(deltagelse, status)
    if missing:
        raise ValidationError(
            _("To mark it as %(status)s, fill in %(missing)s.")
            % {"status": Deltagelse.Status(status).label.lower(), "missing": ", ".join(missing)}
        )
    before = deltagelse.status
    deltagelse.status = status
    if status == Deltagelse.Status.RAPPORTERT and deltagelse.reported_at is None:
        deltagelse.reported_at = timezone.now()
    elif status != Deltagelse.Status.RAPPORTERT:
        deltagelse.reported_at = None
    deltagelse.save(update_fields=["status", "reported_at", "updated_at"])
    _notify_if_reported(deltagelse, before, user)
    return deltagelse


def deltagelser_advance(*, today: datetime.date | None = None) -> list[Deltagelse]:
    """Every deltagelse whose first day has come and whose "before" is complete becomes gjennomført (or further,
    if its report-back is written too). Safe to run as often as you like; returns the ones it moved."""
    today = today or timezone.localdate()
    moved = []
    candidates = Deltagelse.objects.filter(
        start__lte=today, status__in=[Deltagelse.Status.PLANLAGT, Deltagelse.Status.FORBEREDT]
    ).order_by("pk")
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            deltagelse = Deltagelse.objects.select_for_update().get(pk=pk)
            before = deltagelse.status
            if _advance(deltagelse, today=today):
                deltagelse._change_reason = "automatic: the meeting's first day has come"
                deltagelse.save(update_fields=["status", "reported_at", "updated_at"])
                _notify_if_reported(deltagelse, before, None)
                moved.append(deltagelse)
    return moved


def vedlegg_add(*, deltagelse: Deltagelse, user, uploaded) -> Vedlegg:
    """Attach an uploaded document after checking its size and what its bytes are; refused uploads store nothing."""
    if not can_edit(user, deltagelse):
        raise PermissionDenied(_("You may not change this participation."))
    checked = check_upload(uploaded)
    vedlegg = Vedlegg(
        deltagelse=deltagelse, navn=checked.name, type=checked.kind, stoerrelse=uploaded.size, uploaded_by=user
    )
    vedlegg.fil.save(checked.storage_name, uploaded, save=False)
    vedlegg.save()
    return vedlegg


def vedlegg_delete(*, vedlegg: Vedlegg, user) -> None:
    if not can_edit(user, vedlegg.deltagelse):
        raise PermissionDenied(_("You may not change this participation."))
    vedlegg.fil.delete(save=False)
    vedlegg.delete()
