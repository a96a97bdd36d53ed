"""Reminder e-mails to staff whose tiltak have no statusmelding in the reporting year (run from cron by
``manage.py send_paaminnelser``)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from handlingsprogram.models import Handlingsprogram

from .models import Paaminnelse
from .reminder_selectors import ReminderRecipient, reminder_recipients

log = logging.getLogger(__name__)


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path


def _message(*, recipient: ReminderRecipient, programme: Handlingsprogram, year: int, site_url: str) -> EmailMessage:
    user = recipient.user
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "programme": programme,
        "year": year,
        "tiltak_list": [
            {"kode": t.kode, "tekst": t.tekst, "url": _absolute(site_url, t.get_absolute_url())}
            for t in recipient.tiltak
        ],
        "mine_url": _absolute(site_url, reverse("tiltak:mine")),
    }
    # A cron job has no request to take the language from; the staff read bokmål.
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("tiltak/email/paaminnelse_subject.txt", context).split())
        body = render_to_string("tiltak/email/paaminnelse_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email])


def paaminnelser_send(
    *,
    programme: Handlingsprogram,
    year: int,
    site_url: str,
    on_skip: Callable[[object], None] | None = None,
    on_failure: Callable[[object, Exception], None] | None = None,
) -> list[Paaminnelse]:
    """E-mail every responsible saksbehandler not yet reminded for (programme, year) the list of their tiltak
    without a statusmelding dated in ``year``, and record a Paaminnelse for each; return those recorded.

    Safe to run again and concurrently: users already reminded for the period are not selected, and each
    Paaminnelse is inserted *before* its e-mail is sent, in one transaction with the sending. A failed send
    rolls the row back (the next run tries again); a run that lost a race to another one hits the unique
    constraint and skips the user without sending, because the database holds the second insert until the
    first run commits (sending first and recording afterwards would mail the user twice in that case).

    Users without an e-mail address are passed to ``on_skip``; a send that fails (SMTP error, bad address)
    is logged and passed to ``on_failure``, and the run goes on with the next user. A closed programme takes
    no statusmeldinger, so nobody is reminded about it."""
    if programme.is_closed:
        return []
    recorded = []
    for recipient in reminder_recipients(programme=programme, year=year):
        user = recipient.user
        if not user.email:
            if on_skip is not None:
                on_skip(user)
            continue
        message = _message(recipient=recipient, programme=programme, year=year, site_url=site_url)
        try:
            with transaction.atomic():
                # No full_clean(): every value comes from the code above, and the unique constraint is
                # what settles a race, so it must be the database that checks it.
                paaminnelse = Paaminnelse.objects.create(
                    user=user, handlingsprogram=programme, aar=year, antall_tiltak=len(recipient.tiltak)
                )
                message.send()
        except IntegrityError:
            log.info("Reminder for %s %s already recorded by another run; not sent again.", user, year)
            continue
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; a malformed address a ValueError
            log.exception("Sending the %s reminder to %s failed.", year, user)
            if on_failure is not None:
                on_failure(user, error)
            continue
        recorded.append(paaminnelse)
    return recorded
