"""A reporting round nearing its deadline reminds the staff of units that still owe a report in it (issue 18): at
7 days and at 1 day before, each once however often the scheduler runs, and not those whose unit has reported
everything. The scheduler's command queues it (and the other scheduled tasks) for the worker."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from handlingsprogram.models import User
from tiltak import oppfoelging_services
from tiltak.models import Ansvar, Statusmelding, Tiltak
from varsler.models import Utsending, Varsel

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2023, 1, 5)


@pytest.fixture
def runde(programme, koordinator):
    return oppfoelging_services.runde_open(
        user=koordinator,
        handlingsprogram=programme,
        navn="Årsrapport 2022",
        aar=2022,
        frist=datetime.date(2023, 1, 15),
        today=TODAY,
    )


def reminders(user):
    return list(Varsel.objects.filter(user=user, kind=Varsel.Kind.RUNDE_FRIST).values_list("key", flat=True))


def test_reminded_at_seven_and_at_one_day_before_each_once(runde, saksbehandler, leser):
    day = datetime.timedelta(days=1)
    assert oppfoelging_services.runde_paaminnelser_send(today=runde.frist - 8 * day) == {}
    assert reminders(saksbehandler) == []
    oppfoelging_services.runde_paaminnelser_send(today=runde.frist - 7 * day)
    oppfoelging_services.runde_paaminnelser_send(today=runde.frist - 7 * day)
    oppfoelging_services.runde_paaminnelser_send(today=runde.frist - 3 * day)
    assert reminders(saksbehandler) == [f"runde:{runde.pk}:frist:7"]
    oppfoelging_services.runde_paaminnelser_send(today=runde.frist - day)
    assert sorted(reminders(saksbehandler)) == [f"runde:{runde.pk}:frist:1", f"runde:{runde.pk}:frist:7"]
    (text,) = set(Varsel.objects.filter(kind=Varsel.Kind.RUNDE_FRIST).values_list("text", flat=True))
    assert text == (
        "Påminnelse: fristen for «Årsrapport 2022» er 15.01.2023, og noen av tiltakene til enheten din mangler "
        "fortsatt statusmelding for 2022."
    )
    assert reminders(leser) == [], "a leser owes nothing"
    assert oppfoelging_services.runde_paaminnelser_send(today=runde.frist + day) == {}, "not after the deadline"


def test_a_unit_that_has_reported_everything_is_not_reminded(runde, saksbehandler, programme):
    owed = Tiltak.objects.filter(
        ansvar__in=Ansvar.objects.filter(enhet=saksbehandler.enhet)
        | Ansvar.objects.filter(enhet__isnull=True, aktoer=saksbehandler.enhet.aktoer),
        innsatsomraade__omraade__handlingsprogram=programme,
    ).distinct()
    assert owed.exists()
    for tiltak in owed:
        Statusmelding.objects.create(
            tiltak=tiltak,
            author=saksbehandler,
            date=datetime.date(2022, 11, 1),
            status=Statusmelding.Status.PAAGAAR,
            vurdering=Statusmelding.Vurdering.I_RUTE,
            gjennomfoert="Gjort",
        )
    others = User.objects.create_user(
        username="plan", password="x" * 20, rolle="saksbehandler", enhet=runde.opened_by.enhet
    )
    oppfoelging_services.runde_paaminnelser_send(today=runde.frist - datetime.timedelta(days=1))
    assert reminders(saksbehandler) == []
    assert reminders(others) == [f"runde:{runde.pk}:frist:1"]


def test_a_reminder_wanted_by_email_goes_through_the_outbox(runde, saksbehandler, django_capture_on_commit_callbacks):
    saksbehandler.email = "kari@example.com"
    saksbehandler.save()
    with django_capture_on_commit_callbacks(execute=True):
        oppfoelging_services.runde_paaminnelser_send(today=runde.frist - datetime.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["kari@example.com"]]
    assert mail.outbox[0].subject.startswith("Handlingsprogram: Påminnelse: fristen for «Årsrapport 2022»")
    assert Utsending.objects.get().status == "sendt"


def test_the_scheduler_command_queues_every_scheduled_task(capsys, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    call_command("enqueue_scheduled_tasks")
    names = {result.task.name for result in default_task_backend.results}
    assert {"runde_paaminnelser", "advance", "deltagelse_paaminnelser", "recover_utsendinger"} <= names
    assert "Queued" in capsys.readouterr().out
