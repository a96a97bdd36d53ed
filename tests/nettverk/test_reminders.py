"""Report-back reminders: the participants of an overdue meeting are e-mailed once, with a link to write it."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from nettverk import services
from nettverk.models import Deltagelse, Nettverk

pytestmark = pytest.mark.django_db


def test_participants_of_an_overdue_meeting_are_reminded_once(programme, saksbehandler, saksbehandler_annen_enhet):
    saksbehandler.email, saksbehandler_annen_enhet.email = "kari@example.no", "per@example.no"
    saksbehandler.save()
    saksbehandler_annen_enhet.save()
    transport = Nettverk.objects.get(slug="nsc-transport")
    today = timezone.localdate()

    def meeting(days_ago, **extra):
        return services.deltagelse_create(
            user=saksbehandler,
            data={
                "nettverk": transport,
                "tittel": f"Møte for {days_ago} dager siden",
                "start": today - datetime.timedelta(days=days_ago),
                "nivaa": "politisk",
                **extra,
            },
            deltakere=[saksbehandler, saksbehandler_annen_enhet],
        )

    overdue = meeting(20)
    meeting(5)  # not overdue yet
    reported = meeting(30, formaal="F", forberedelser="F", referat="R", deling="D")
    services.deltagelse_set_status(deltagelse=reported, user=saksbehandler, status="rapportert")

    call_command("send_deltagelse_paaminnelser", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["kari@example.no", "per@example.no"]
    assert message.subject == "Tilbakemelding mangler: Møte for 20 dager siden"
    assert overdue.get_absolute_url() in message.body
    assert "14 dager" in message.body
    assert Deltagelse.objects.get(pk=overdue.pk).reminder_sent_at is not None

    call_command("send_deltagelse_paaminnelser", stdout=io.StringIO())
    assert len(mail.outbox) == 1, "once per meeting"
