"""The status of a deltagelse follows from what is filled in (issue 18, "Participation in fewer steps"): saving the
"before" fields makes it forberedt, its first day coming makes it gjennomført, saving the report-back makes it
rapportert; a button to move on is offered only when that step can succeed."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from nettverk import services
from nettverk.models import Deltagelse, Nettverk

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BEFORE = {"formaal": "Påvirke TEN-T", "forberedelser": "Notat til fylkesrådet"}
AFTER = {"referat": "Korridoren ble utvidet", "deling": "Delt med Innovasjon Norge"}


@pytest.fixture
def transport(programme):
    return Nettverk.objects.get(slug="nsc-transport")


def create(user, nettverk, *, days_from_today: int, **fields) -> Deltagelse:
    values = {
        "nettverk": nettverk,
        "tittel": "Arbeidsgruppemøte transport",
        "type": Deltagelse.Type.MOETE,
        "start": TODAY + datetime.timedelta(days=days_from_today),
        "sted": "Brussel",
        "nivaa": "administrativ",
        **fields,
    }
    return services.deltagelse_create(user=user, data=values)


def test_a_meeting_with_only_a_purpose_stays_planned(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=10, formaal="Påvirke")
    assert deltagelse.status == Deltagelse.Status.PLANLAGT


def test_saving_the_before_fields_makes_a_coming_meeting_prepared(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=10)
    assert deltagelse.status == Deltagelse.Status.PLANLAGT
    services.deltagelse_update(deltagelse=deltagelse, user=saksbehandler, data=BEFORE)
    deltagelse.refresh_from_db()
    assert deltagelse.status == Deltagelse.Status.FORBEREDT


def test_a_prepared_meeting_whose_day_has_passed_is_held_at_once(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=-2, **BEFORE)
    assert deltagelse.status == Deltagelse.Status.GJENNOMFOERT
    assert deltagelse.reported_at is None


def test_saving_the_report_back_makes_it_reported(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=-2, **BEFORE)
    services.deltagelse_update(deltagelse=deltagelse, user=saksbehandler, data=AFTER)
    deltagelse.refresh_from_db()
    assert deltagelse.status == Deltagelse.Status.RAPPORTERT
    assert deltagelse.reported_at is not None


def test_a_report_back_on_a_meeting_still_to_come_does_not_make_it_reported(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=3, **BEFORE, **AFTER)
    assert deltagelse.status == Deltagelse.Status.FORBEREDT


def test_the_daily_run_moves_prepared_meetings_whose_day_has_come(transport, saksbehandler):
    prepared = create(saksbehandler, transport, days_from_today=2, **BEFORE)
    unprepared = create(saksbehandler, transport, days_from_today=2, formaal="Påvirke")
    later = create(saksbehandler, transport, days_from_today=20, **BEFORE)

    assert services.deltagelser_advance(today=TODAY) == []
    moved = services.deltagelser_advance(today=TODAY + datetime.timedelta(days=2))
    assert [d.pk for d in moved] == [prepared.pk]
    for deltagelse, status in [(prepared, "gjennomfoert"), (unprepared, "planlagt"), (later, "forberedt")]:
        deltagelse.refresh_from_db()
        assert deltagelse.status == status
    assert prepared.history.first().history_change_reason.startswith("automatic")
    # Safe to run again: nothing more is due.
    assert services.deltagelser_advance(today=TODAY + datetime.timedelta(days=2)) == []


def test_the_command_runs_the_daily_advance(transport, saksbehandler, capsys):
    prepared = create(saksbehandler, transport, days_from_today=1, **BEFORE)
    Deltagelse.objects.filter(pk=prepared.pk).update(start=TODAY)
    call_command("advance_deltagelser")
    prepared.refresh_from_db()
    assert prepared.status == Deltagelse.Status.GJENNOMFOERT
    assert "1 deltagelse(r) moved on." in capsys.readouterr().out


def test_a_correction_back_one_step_is_kept_until_the_next_save(transport, saksbehandler):
    deltagelse = create(saksbehandler, transport, days_from_today=-2, **BEFORE, **AFTER)
    assert deltagelse.status == Deltagelse.Status.RAPPORTERT
    services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="gjennomfoert")
    deltagelse.refresh_from_db()
    assert deltagelse.status == Deltagelse.Status.GJENNOMFOERT
    assert services.deltagelser_advance(today=TODAY) == []  # the daily run does not undo a person's correction


def test_the_button_is_offered_only_when_its_step_can_succeed(client, transport, saksbehandler):
    client.force_login(saksbehandler)
    waiting = create(saksbehandler, transport, days_from_today=5, **BEFORE)
    page = client.get(reverse("nettverk:deltagelse_detail", args=[waiting.pk])).content.decode()
    assert 'id="status-form"' not in page
    assert 'id="next-missing"' in page and "at første dag er kommet" in page

    # A prepared meeting whose day has come before the daily run: the step can succeed, so it is offered.
    Deltagelse.objects.filter(pk=waiting.pk).update(start=TODAY)
    page = client.get(reverse("nettverk:deltagelse_detail", args=[waiting.pk])).content.decode()
    assert 'id="status-form"' in page and 'value="gjennomfoert"' in page
    assert 'id="next-missing"' not in page
