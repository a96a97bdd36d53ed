"""Reads for the reminder e-mails: who has tiltak without a statusmelding in a reporting year, and which."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from handlingsprogram.models import Handlingsprogram

from . import selectors
from .models import Ansvar, Paaminnelse, Tiltak


@dataclass(frozen=True)
class ReminderRecipient:
    user: object  # a User with its enhet loaded
    tiltak: list[Tiltak]  # programme order; each with innsatsomraade__omraade__handlingsprogram loaded


def _is_users(ansvar: Ansvar, user) -> bool:
    """permissions.responsible_filter, applied to an Ansvar already loaded: held by the user's enhet, or by
    their aktør as a whole (no enhet named)."""
    if ansvar.enhet_id is not None:
        return ansvar.enhet_id == user.enhet_id
    return ansvar.aktoer_id == user.enhet.aktoer_id


def reminder_recipients(*, programme: Handlingsprogram, year: int) -> list[ReminderRecipient]:
    """Every active saksbehandler not yet reminded for (programme, year) who is responsible for at least one of
    the programme's tiltak without a valid statusmelding dated in ``year``, with exactly those tiltak.
    Users without an e-mail address are included; the caller decides what to do with them.

    Three queries however many users, tiltak and ansvar there are: the unreported tiltak, their ansvar, and
    the users; the two are matched in Python."""
    User = get_user_model()
    unreported = list(selectors.unreported_tiltak(programme=programme, year=year))
    if not unreported:
        return []
    already_reminded = Paaminnelse.objects.filter(user=OuterRef("pk"), handlingsprogram=programme, aar=year)
    users = (
        User.objects.filter(is_active=True, rolle=User.Rolle.SAKSBEHANDLER, enhet__isnull=False)
        .filter(~Exists(already_reminded))
        .select_related("enhet")
        .order_by("username")
    )
    recipients = []
    for user in users:
        mine = [t for t in unreported if any(_is_users(ansvar, user) for ansvar in t.ansvar.all())]
        if mine:
            recipients.append(ReminderRecipient(user=user, tiltak=mine))
    return recipients
