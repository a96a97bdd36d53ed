"""E-mail of notifications (issue 18): preferences per kind, the outbox made with the notification, sending by the
task (claimed before sending, never twice), daily and weekly digests, and the recovery run. The sending here is
in-process with Django's locmem backend; tests/varsler/test_utsending_worker.py kills a real worker mid-send."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from varsler import selectors, services, utsending_services
from varsler.models import DEFAULT_LEVERING, Levering, Utsending, Varsel, Varselinnstilling


@pytest.fixture
def kari(saksbehandler):
    saksbehandler.email = "kari@example.com"
    saksbehandler.save()
    return saksbehandler


@pytest.fixture
def ola(koordinator):
    koordinator.email = "ola@example.com"
    koordinator.save()
    return koordinator


def notify(users, kind=Varsel.Kind.RUNDE_AAPNET, text="Runden er åpnet", **extra):
    return services.varsler_create(users=users, kind=kind, text=text, link="/mine-tiltak/", **extra)


# --- preferences ----------------------------------------------------------------------------------------------


def test_defaults_hold_until_a_user_chooses_and_only_choices_that_differ_are_stored(kari, ola):
    assert selectors.levering_for(user_ids=[kari.pk])[kari.pk] == DEFAULT_LEVERING
    services.varselinnstillinger_set(
        user=kari,
        choices={Varsel.Kind.RUNDE_AAPNET: Levering.APP, Varsel.Kind.KOMMENTAR: DEFAULT_LEVERING["kommentar"]},
    )
    assert list(Varselinnstilling.objects.values_list("user", "kind", "levering")) == [(kari.pk, "runde_aapnet", "app")]
    both = selectors.levering_for(user_ids=[kari.pk, ola.pk])
    assert both[kari.pk]["runde_aapnet"] == "app"
    assert both[ola.pk]["runde_aapnet"] == DEFAULT_LEVERING["runde_aapnet"] == "straks"
    services.varselinnstillinger_set(user=kari, choices={Varsel.Kind.RUNDE_AAPNET: Levering.STRAKS})
    assert not Varselinnstilling.objects.exists(), "back to the default: the user follows the default again"


def test_unknown_choices_are_refused_and_change_nothing(kari, client):
    with pytest.raises(ValidationError):
        services.varselinnstillinger_set(user=kari, choices={"runde_aapnet": "app", "kommentar": "hourly"})
    assert not Varselinnstilling.objects.exists()
    client.logout()
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.varselinnstillinger_set(user=AnonymousUser(), choices={})


# --- the outbox and sending -------------------------------------------------------------------------------------


def test_a_notification_wanted_at_once_gets_one_outbox_row_queued_after_commit(
    kari, ola, leser, django_capture_on_commit_callbacks
):
    services.varselinnstillinger_set(user=ola, choices={Varsel.Kind.RUNDE_AAPNET: Levering.APP})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        varsler = notify([kari, ola, leser])  # leser has no address, ola wants it in the portal only
    assert len(varsler) == 3
    assert mail.outbox == [], "nothing is sent before the transaction commits"
    (utsending,) = Utsending.objects.all()
    assert (utsending.user, utsending.key, utsending.to_email, utsending.status) == (
        kari,
        f"varsel:{varsler[0].pk}",
        "kari@example.com",
        "ventende",
    )
    assert "Runden er åpnet" in utsending.subject and "/mine-tiltak/" in utsending.body
    assert "/varsler/innstillinger/" in utsending.body
    assert len(callbacks) == 1

    for callback in callbacks:  # the commit: the (immediate) task backend sends
        callback()
    assert [m.to for m in mail.outbox] == [["kari@example.com"]]
    utsending.refresh_from_db()
    assert utsending.status == "sendt" and utsending.message_id.startswith("<")
    assert mail.outbox[0].extra_headers["Message-ID"] == utsending.message_id
    assert Varsel.objects.get(pk=varsler[0].pk).emailed_at == utsending.sent_at


def test_demo_notifications_are_never_emailed(kari):
    notify([kari], demo=True)
    assert not Utsending.objects.exists()


def test_a_task_run_twice_sends_once(kari):
    (varsel,) = notify([kari])
    pk = Utsending.objects.get().pk
    assert utsending_services.utsending_send(utsending_id=pk) == "sendt"
    assert utsending_services.utsending_send(utsending_id=pk) == "sendt"
    assert len(mail.outbox) == 1


def test_a_row_left_claimed_by_a_dead_worker_is_never_sent_again_and_becomes_uncertain(kari):
    notify([kari])
    utsending = Utsending.objects.get()
    # What a worker killed after the server's 250 and before marking leaves behind.
    Utsending.objects.filter(pk=utsending.pk).update(status="sender", claimed_at=timezone.now(), message_id="<x@y>")
    assert utsending_services.utsending_send(utsending_id=utsending.pk) == "sender"
    assert mail.outbox == []
    assert utsending_services.utsendinger_recover() == {"usikker": 0, "queued_again": 0}, "within the lease"
    later = timezone.now() + utsending_services.CLAIM_LEASE + datetime.timedelta(minutes=1)
    assert utsending_services.utsendinger_recover(now=later)["usikker"] == 1
    utsending.refresh_from_db()
    assert (utsending.status, utsending.message_id) == ("usikker", "<x@y>")
    assert utsending_services.utsending_send(utsending_id=utsending.pk) == "usikker"
    assert mail.outbox == []


class RefusingBackend:
    """A real failure as smtplib raises it: the server refused the connection before anything was sent."""

    error = ConnectionRefusedError(111, "Connection refused")

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise self.error


class RecipientRefusingBackend(RefusingBackend):
    error = smtplib.SMTPRecipientsRefused({"kari@example.com": (550, b"No such user")})


class DisconnectingBackend(RefusingBackend):
    error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.mark.parametrize(
    ("backend", "status"),
    [
        (RefusingBackend, "ventende"),  # not delivered: tried again by the recovery run
        (RecipientRefusingBackend, "feilet"),  # a refused address: not tried again
        (DisconnectingBackend, "usikker"),  # may have been accepted: never sent again
    ],
)
def test_failures_free_the_claim_only_when_nothing_can_have_been_delivered(kari, settings, backend, status):
    notify([kari])
    utsending = Utsending.objects.get()
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}
    assert utsending_services.utsending_send(utsending_id=utsending.pk) == status
    utsending.refresh_from_db()
    assert utsending.status == status and utsending.error


def test_the_recovery_run_queues_rows_that_lost_their_task(kari, django_capture_on_commit_callbacks):
    notify([kari])
    utsending = Utsending.objects.get()
    later = timezone.now() + utsending_services.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert utsending_services.utsendinger_recover(now=later) == {"usikker": 0, "queued_again": 1}
    utsending.refresh_from_db()
    assert utsending.status == "sendt"
    assert len(mail.outbox) == 1


# --- digests --------------------------------------------------------------------------------------------------


def test_a_daily_digest_gathers_the_users_kinds_once_a_day(kari, ola, django_capture_on_commit_callbacks):
    services.varselinnstillinger_set(user=ola, choices={Varsel.Kind.KOMMENTAR: Levering.UKENTLIG})
    first = notify([kari, ola], kind=Varsel.Kind.KOMMENTAR, text="Per kommenterte 2.1.2")
    second = notify([kari], kind=Varsel.Kind.KOMMENTAR, text="Per kommenterte 1.1.1")
    notify([kari], kind=Varsel.Kind.FORESPOERSEL_BESVART, text="Besvart")  # in the portal only
    second[0].read_at = timezone.now()  # read already: not e-mailed
    second[0].save()
    assert not Utsending.objects.exists(), "a digest kind is not sent at once"

    with django_capture_on_commit_callbacks(execute=True):
        made = utsending_services.digests_build(levering=Levering.DAGLIG)
    assert [u.user for u in made] == [kari]
    assert [m.to for m in mail.outbox] == [["kari@example.com"]]
    body = mail.outbox[0].body
    assert "Per kommenterte 2.1.2" in body and "1.1.1" not in body and "Besvart" not in body
    assert made[0].key == f"daglig:{timezone.localdate().isoformat()}"
    assert Varsel.objects.get(pk=first[0].pk).utsending == made[0]

    notify([kari], kind=Varsel.Kind.KOMMENTAR, text="Senere samme dag")
    with django_capture_on_commit_callbacks(execute=True):
        assert utsending_services.digests_build(levering=Levering.DAGLIG) == [], "one daily digest a day"
    assert len(mail.outbox) == 1
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        (next_day,) = utsending_services.digests_build(levering=Levering.DAGLIG, now=tomorrow)
    assert "Senere samme dag" in next_day.body and "2.1.2" not in next_day.body

    with django_capture_on_commit_callbacks(execute=True):
        (weekly,) = utsending_services.digests_build(levering=Levering.UKENTLIG)
    assert weekly.user == ola and weekly.key.startswith("ukentlig:")
    assert len(mail.outbox) == 3


def test_digest_queries_do_not_grow_with_notifications(kari, ola, django_assert_max_num_queries):
    for user in (kari, ola):
        for i in range(15):
            notify([user], kind=Varsel.Kind.KOMMENTAR, text=f"Kommentar {i}")
    # due varsler, preferences, digests already made, then per digest: savepoint, insert, update, release
    with django_assert_max_num_queries(3 + 2 * 4):
        assert len(utsending_services.digests_build(levering=Levering.DAGLIG)) == 2
