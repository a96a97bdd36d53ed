"""The follow-up's records in the audit history and the admin (issue 18): a round's opening and closing, a
request's asking and answering, each with who did it; the admin shows them in bokmål, read-mostly."""

import datetime

import pytest
from django.urls import reverse

from handlingsprogram.kommentar_services import kommentar_add
from tiltak import oppfoelging_services as services
from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde
from tiltak.services import statusmelding_create

TODAY = datetime.date(2022, 11, 1)


def history_of(obj) -> list[tuple[str, str, str]]:
    return [
        (r.history_type, r.history_user.username if r.history_user else None, r.history_change_reason)
        for r in obj.history.order_by("history_date", "history_id")
    ]


@pytest.fixture
def runde(programme, koordinator):
    return services.runde_open(
        user=koordinator,
        handlingsprogram=programme,
        navn="Årsrapport 2022",
        aar=2022,
        frist=datetime.date(2023, 1, 15),
        today=TODAY,
    )


def test_opening_and_closing_a_round_are_in_its_history(runde, koordinator):
    services.runde_close(runde=runde, user=koordinator)
    assert history_of(runde) == [("+", koordinator.username, "opened"), ("~", koordinator.username, "closed")]
    closed = runde.history.earliest("history_date").next_record
    assert closed.closed_by_id == koordinator.pk and closed.closed_at is not None


def test_asking_and_both_ways_of_answering_are_in_the_requests_history(
    programme, koordinator, saksbehandler, statusmelding, tiltak_212
):
    reply = services.forespoersel_create(
        tiltak=tiltak_212, user=koordinator, melding="Hvilke skoler?", statusmelding=statusmelding
    )
    services.forespoersel_answer(forespoersel=reply, user=saksbehandler, svar="Tre skoler.")
    assert history_of(reply) == [
        ("+", koordinator.username, "asked"),
        ("~", saksbehandler.username, "answered with a reply"),
    ]
    update = services.forespoersel_create(tiltak=tiltak_212, user=koordinator, melding="Status?")
    melding = statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2023, 2, 1),
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="Søknader sendt.",
    )
    assert history_of(update) == [
        ("+", koordinator.username, "asked"),
        ("~", saksbehandler.username, f"answered by status report {melding.pk}"),
    ]
    assert update.history.latest("history_date").svar_statusmelding_id == melding.pk


def test_the_admin_shows_rounds_requests_and_comments_with_their_history_and_keeps_the_records(
    client, runde, koordinator, saksbehandler, statusmelding, tiltak_212
):
    forespoersel = services.forespoersel_create(tiltak=tiltak_212, user=koordinator, melding="Hvilke skoler?")
    kommentar = kommentar_add(user=saksbehandler, target=statusmelding, tekst="Tre skoler.")
    client.force_login(koordinator)
    for prefix, obj in [
        ("tiltak_rapporteringsrunde", runde),
        ("tiltak_oppfoelgingsforespoersel", forespoersel),
        ("handlingsprogram_kommentar", kommentar),
    ]:
        assert client.get(reverse(f"admin:{prefix}_changelist")).status_code == 200
        history = client.get(reverse(f"admin:{prefix}_history", args=[obj.pk]))
        assert history.status_code == 200
        assert "Endringshistorikk" in history.content.decode()
        assert client.get(reverse(f"admin:{prefix}_delete", args=[obj.pk])).status_code == 403
        assert client.get(reverse(f"admin:{prefix}_add")).status_code == 403
    # A request is a record: nothing in it can be changed here.
    url = reverse("admin:tiltak_oppfoelgingsforespoersel_change", args=[forespoersel.pk])
    assert client.post(url, {"melding": "Noe annet"}).status_code == 403
    assert Oppfoelgingsforespoersel.objects.get().melding == "Hvilke skoler?"
    # A round's name and deadline can be corrected; who did it is in the history; the rest stays as it was.
    url = reverse("admin:tiltak_rapporteringsrunde_change", args=[runde.pk])
    response = client.post(url, {"navn": "Årsrapport for 2022", "frist": "2023-01-31", "aar": "2020"})
    assert response.status_code == 302
    runde = Rapporteringsrunde.objects.get()
    assert (runde.navn, runde.frist, runde.aar) == ("Årsrapport for 2022", datetime.date(2023, 1, 31), 2022)
    latest = runde.history.latest("history_date")
    assert (latest.history_type, latest.history_user) == ("~", koordinator)
