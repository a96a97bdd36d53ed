"""Reminder e-mails about missing report-backs: the participants of a meeting held more than
``selectors.OVERDUE_DAYS`` days ago and not reported are e-mailed once (``manage.py send_deltagelse_paaminnelser``,
run from cron)."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import selectors
from .models import Deltagelse

log = logging.getLogger(__name__)


def _recipients(deltagelse: Deltagelse) -> list[str]:
    people = list(deltagelse.deltakere.all()) or [deltagelse.created_by]
    return sorted({person.email for person in people if person.email and person.is_active})


def _message(deltagelse: Deltagelse, to: list[str], site_url: str) -> EmailMessage:
    context = {
        "deltagelse": deltagelse,
        "url": site_url.rstrip("/") + deltagelse.get_absolute_url(),
        "mine_url": site_url.rstrip("/") + reverse("nettverk:mine_deltagelser"),
        "days": selectors.OVERDUE_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):  # no request to take the language from; staff read bokmål
        subject = " ".join(render_to_string("nettverk/email/paaminnelse_subject.txt", context).split())
        body = render_to_string("nettverk/email/paaminnelse_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=to)


def deltagelse_paaminnelser_send(
    *, today, site_url: str, on_failure: Callable[[Deltagelse, Exception], None] | None = None
) -> list[Deltagelse]:
    """Remind the participants of every overdue meeting not yet reminded; return the meetings reminded about.

    The reminder is claimed (``reminder_sent_at`` set where it was empty) in the same transaction as the sending:
    a failed send rolls the claim back for the next run, and two runs at once never mail twice."""
    reminded = []
    overdue = (
        Deltagelse.objects.filter(selectors.overdue_filter(today), reminder_sent_at__isnull=True)
        .select_related("nettverk", "created_by")
        .prefetch_related("deltakere")
        .order_by("start", "id")
    )
    for deltagelse in overdue:
        to = _recipients(deltagelse)
        if not to:
            continue
        try:
            with transaction.atomic():
                claimed = Deltagelse.objects.filter(pk=deltagelse.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=timezone.now()
                )
                if not claimed:
                    continue
                _message(deltagelse, to, site_url).send()
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; a malformed address a ValueError
            log.exception("Sending the report-back reminder for deltagelse %s failed.", deltagelse.pk)
            if on_failure is not None:
                on_failure(deltagelse, error)
            continue
        reminded.append(deltagelse)
    return reminded
