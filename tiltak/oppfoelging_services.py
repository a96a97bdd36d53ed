"""Writes for the follow-up of the reporting: reporting rounds and requests for an update. Each write and the
notifications it gives are saved in one transaction (varsler.services), so a user is told exactly what happened."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from felles.forms import text_too_long
from handlingsprogram.models import Handlingsprogram
from varsler.models import Varsel
from varsler.services import varsler_create

from . import oppfoelging_selectors as selectors
from . import permissions
from .models import Oppfoelgingsforespoersel, Rapporteringsrunde, Statusmelding, Tiltak

MAX_TEXT_LENGTH = 10_000
MAX_NAME_LENGTH = 200


def _audit(obj, user, reason: str) -> None:
    """Who did it and what it was, in the audit history, also when no request is at hand (commands, tasks)."""
    obj._history_user = user
    obj._change_reason = reason


def _portal_language():
    """Notifications are written once, when they happen, in the portal's language (whatever the request's)."""
    return translation.override(settings.LANGUAGE_CODE)


@transaction.atomic
def runde_open(
    *,
    user,
    handlingsprogram: Handlingsprogram,
    navn: str,
    aar: int,
    frist: datetime.date,
    today: datetime.date | None = None,
    demo: bool = False,
) -> Rapporteringsrunde:
    """Open a reporting round and notify every staff member of a unit that owes status in it. ``demo`` is for
    load_demo only."""
    if not permissions.can_manage_runder(user):
        raise PermissionDenied
    today = today or timezone.localdate()
    if handlingsprogram.is_draft or handlingsprogram.is_closed:
        raise ValidationError(_("Reporting rounds can only be opened for an adopted programme that is not closed."))
    errors = {}
    navn = navn.strip()
    if not navn:
        errors["navn"] = _("Give the round a name, e.g. «Annual report 2024».")
    elif len(navn) > MAX_NAME_LENGTH:
        errors["navn"] = text_too_long(MAX_NAME_LENGTH)
    if frist < today:
        errors["frist"] = _("The deadline cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    runde = Rapporteringsrunde(
        handlingsprogram=handlingsprogram, navn=navn, aar=aar, frist=frist, opened_by=user, demo=demo
    )
    runde.full_clean()
    _audit(runde, user, "opened")
    try:
        with transaction.atomic():
            runde.save()
    except IntegrityError:
        # Another coordinator opened the same round a moment ago (the constraint full_clean checked before).
        raise ValidationError(_("A reporting round for this programme and year is already open.")) from None
    with _portal_language():
        text = _("Reporting round «%(name)s» is open: report status for %(year)s on your measures by %(deadline)s.") % {
            "name": runde.navn,
            "year": runde.aar,
            "deadline": runde.frist.strftime("%d.%m.%Y"),
        }
    varsler_create(
        users=selectors.users_owing_in(programme=handlingsprogram),
        kind=Varsel.Kind.RUNDE_AAPNET,
        text=text,
        link=reverse("tiltak:mine"),
        demo=demo,
    )
    return runde


# Days before a round's deadline when the staff who still owe a report are reminded.
FRIST_PAAMINNELSE_DAGER = (7, 1)


def runde_paaminnelser_send(*, today: datetime.date | None = None) -> dict[int, int]:
    """Remind the staff of units that still owe a report in an open round as its deadline nears: once at 7 days
    and once at 1 day before (the smallest threshold reached, so a round opened 3 days before its deadline gets
    the first at once and the second on the last day). Each reminder has a key, so however often the scheduler
    runs, a user gets each one once. Returns the number of users reminded per round."""
    today = today or timezone.localdate()
    reminded = {}
    for runde in selectors.runder_open_all():
        days_left = (runde.frist - today).days
        if days_left < 0:
            continue
        reached = [d for d in FRIST_PAAMINNELSE_DAGER if days_left <= d]
        if not reached:
            continue
        threshold = min(reached)
        with transaction.atomic(), _portal_language():
            text = _(
                "Reminder: «%(name)s» closes on %(deadline)s, and some of your unit's measures still lack a status "
                "report for %(year)s."
            ) % {"name": runde.navn, "deadline": runde.frist.strftime("%d.%m.%Y"), "year": runde.aar}
            created = varsler_create(
                users=selectors.users_still_owing_in(runde=runde),
                kind=Varsel.Kind.RUNDE_FRIST,
                text=text,
                link=reverse("tiltak:mine"),
                demo=runde.demo,
                key=f"runde:{runde.pk}:frist:{threshold}",
            )
        reminded[runde.pk] = len(created)
    return reminded


@transaction.atomic
def runde_close(*, runde: Rapporteringsrunde, user) -> Rapporteringsrunde:
    if not permissions.can_manage_runder(user):
        raise PermissionDenied
    runde = Rapporteringsrunde.objects.select_for_update().get(pk=runde.pk)
    if not runde.is_open:
        raise ValidationError(_("The reporting round is already closed."))
    runde.closed_at = timezone.now()
    runde.closed_by = user
    runde.full_clean()
    _audit(runde, user, "closed")
    runde.save(update_fields=["closed_at", "closed_by"])
    return runde


@transaction.atomic
def forespoersel_create(
    *, tiltak: Tiltak, user, melding: str, statusmelding: Statusmelding | None = None, demo: bool = False
) -> Oppfoelgingsforespoersel:
    """A coordinator asks the units responsible for ``tiltak`` for an update (or, with ``statusmelding``, for
    clarification of that entry); their staff are notified."""
    if not permissions.can_ask(user):
        raise PermissionDenied
    if tiltak.innsatsomraade.omraade.handlingsprogram.is_draft:
        raise ValidationError(_("The programme is a draft: requests for an update start when it is adopted."))
    melding = melding.strip()
    if not melding:
        raise ValidationError({"melding": _("Write what you are asking for.")})
    if len(melding) > MAX_TEXT_LENGTH:
        raise ValidationError({"melding": text_too_long(MAX_TEXT_LENGTH)})
    if statusmelding is not None and statusmelding.is_withdrawn:
        raise ValidationError({"statusmelding": _("A withdrawn status report cannot be asked about.")})
    forespoersel = Oppfoelgingsforespoersel(
        tiltak=tiltak, statusmelding=statusmelding, melding=melding, asked_by=user, demo=demo
    )
    forespoersel.full_clean()
    _audit(forespoersel, user, "asked")
    forespoersel.save()
    with _portal_language():
        if statusmelding is None:
            text = _("A coordinator asks for an update on measure %(code)s: %(message)s") % {
                "code": tiltak.kode,
                "message": melding,
            }
        else:
            text = _(
                "A coordinator asks for clarification of the status report of %(date)s on measure %(code)s: %(message)s"
            ) % {"code": tiltak.kode, "date": statusmelding.date.strftime("%d.%m.%Y"), "message": melding}
    varsler_create(
        users=selectors.users_responsible_for(tiltak=tiltak).exclude(pk=user.pk),
        kind=Varsel.Kind.FORESPOERSEL,
        text=text,
        link=f"{tiltak.get_absolute_url()}#forespoersel-{forespoersel.pk}",
        demo=demo,
    )
    return forespoersel


def _notify_asker(forespoersel: Oppfoelgingsforespoersel, user) -> None:
    if forespoersel.asked_by_id == user.pk:
        return
    with _portal_language():
        text = _("Your request on measure %(code)s was answered.") % {"code": forespoersel.tiltak.kode}
    varsler_create(
        users=[forespoersel.asked_by],
        kind=Varsel.Kind.FORESPOERSEL_BESVART,
        text=text,
        link=f"{forespoersel.tiltak.get_absolute_url()}#forespoersel-{forespoersel.pk}",
        demo=forespoersel.demo,
    )


@transaction.atomic
def forespoersel_answer(*, forespoersel: Oppfoelgingsforespoersel, user, svar: str) -> Oppfoelgingsforespoersel:
    """A responsible staff member answers a request with a reply text (a new statusmelding answers it too)."""
    forespoersel = (
        Oppfoelgingsforespoersel.objects.select_for_update()
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "asked_by")
        .get(pk=forespoersel.pk)
    )
    if forespoersel.is_answered:
        raise ValidationError(_("The request has already been answered."))
    if not permissions.can_answer(user, forespoersel):
        raise PermissionDenied
    svar = svar.strip()
    if not svar:
        raise ValidationError({"svar": _("Write your reply.")})
    if len(svar) > MAX_TEXT_LENGTH:
        raise ValidationError({"svar": text_too_long(MAX_TEXT_LENGTH)})
    forespoersel.svar = svar
    forespoersel.answered_at = timezone.now()
    forespoersel.answered_by = user
    forespoersel.full_clean()
    _audit(forespoersel, user, "answered with a reply")
    forespoersel.save(update_fields=["svar", "answered_at", "answered_by"])
    _notify_asker(forespoersel, user)
    return forespoersel


def answer_open_requests(*, statusmelding: Statusmelding) -> int:
    """Called by statusmelding_create inside its transaction: a new statusmelding answers every open request on
    its tiltak."""
    open_requests = list(
        Oppfoelgingsforespoersel.objects.select_for_update()
        .select_related("asked_by")
        .filter(tiltak=statusmelding.tiltak_id, answered_at__isnull=True)
    )
    now = timezone.now()
    for forespoersel in open_requests:
        forespoersel.tiltak = statusmelding.tiltak
        forespoersel.answered_at = now
        forespoersel.answered_by = statusmelding.author
        forespoersel.svar_statusmelding = statusmelding
        forespoersel.full_clean()
        _audit(forespoersel, statusmelding.author, f"answered by status report {statusmelding.pk}")
        forespoersel.save(update_fields=["answered_at", "answered_by", "svar_statusmelding"])
        _notify_asker(forespoersel, statusmelding.author)
    return len(open_requests)


def answer_clarification_by_comment(*, kommentar) -> int:
    """A comment on a statusmelding from someone responsible for its tiltak answers the open requests for
    clarification of that statusmelding: the comment is the reply (its text is kept as the request's ``svar`` too,
    so the request reads complete on its own). Runs in the comment's transaction (a post_save receiver,
    signals.py: handlingsprogram, where comments live, sits below this app). Other people's comments, and
    comments on other entries, answer nothing."""
    if kommentar.content_type.model_class() is not Statusmelding:
        return 0
    open_requests = list(
        Oppfoelgingsforespoersel.objects.select_for_update()
        .select_related("tiltak__innsatsomraade__omraade__handlingsprogram", "asked_by")
        .filter(statusmelding_id=kommentar.object_id, answered_at__isnull=True)
    )
    answered = 0
    for forespoersel in open_requests:
        if not permissions.can_answer(kommentar.author, forespoersel):
            continue
        forespoersel.svar = kommentar.tekst
        forespoersel.answered_at = kommentar.created_at or timezone.now()
        forespoersel.answered_by = kommentar.author
        forespoersel.full_clean()
        _audit(forespoersel, kommentar.author, f"answered with comment {kommentar.pk}")
        forespoersel.save(update_fields=["svar", "answered_at", "answered_by"])
        _notify_asker(forespoersel, kommentar.author)
        answered += 1
    return answered
