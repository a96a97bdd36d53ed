"""Comments on statusmeldinger and deltagelser (issue 18): a thread under the entry, newest last, internal; the
author may change a comment for 15 minutes; nothing is deleted, a coordinator hides one with a reason."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.kommentar_services import kommentar_add
from handlingsprogram.models import Kommentar
from nettverk.models import Deltagelse, Nettverk
from tiltak.models import Statusmelding

pytestmark = pytest.mark.django_db

TEXT = "KOMMENTAR-SOM-BARE-ANSATTE-SER"


def add_url(kind, pk):
    return reverse("handlingsprogram:kommentar_add", kwargs={"kind": kind, "pk": pk})


def test_staff_comment_on_a_statusmelding_and_every_logged_in_user_reads_it(
    client, statusmelding, saksbehandler, leser, tiltak_212
):
    client.force_login(saksbehandler)
    response = client.post(add_url("statusmelding", statusmelding.pk), {"tekst": f"  {TEXT}  "})
    kommentar = Kommentar.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{tiltak_212.get_absolute_url()}#kommentar-{kommentar.pk}"
    assert kommentar.tekst == TEXT and kommentar.author == saksbehandler and kommentar.gjelder == statusmelding

    client.force_login(leser)
    page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert TEXT in page and f'id="kommentar-{kommentar.pk}"' in page
    assert "Legg til kommentar" not in page  # a leser reads, but does not write


def test_comments_are_never_public_nor_in_the_api(client, statusmelding, saksbehandler, tiltak_212):
    kommentar_add(user=saksbehandler, target=statusmelding, tekst=TEXT)
    assert TEXT not in client.get(tiltak_212.get_absolute_url()).content.decode()
    assert TEXT not in client.get(reverse("api:statusmelding-detail", args=[statusmelding.pk])).content.decode()
    client.force_login(saksbehandler)
    assert TEXT not in client.get(reverse("api:statusmelding-detail", args=[statusmelding.pk])).content.decode()


def test_a_leser_may_not_comment_and_anonymous_users_are_sent_to_log_in(client, statusmelding, leser):
    response = client.post(add_url("statusmelding", statusmelding.pk), {"tekst": TEXT})
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(leser)
    assert client.post(add_url("statusmelding", statusmelding.pk), {"tekst": TEXT}).status_code == 403
    assert not Kommentar.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Skriv kommentaren."), ("   ", "Skriv kommentaren."), ("x" * 4001, "høyst 4000 tegn")],
)
def test_bad_input_gets_a_message_and_saves_nothing(client, statusmelding, saksbehandler, text, message):
    client.force_login(saksbehandler)
    response = client.post(add_url("statusmelding", statusmelding.pk), {"tekst": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Kommentar.objects.exists()


@pytest.mark.parametrize(("kind", "pk"), [("tiltak", 1), ("statusmelding", 999999), ("deltagelse", 999999)])
def test_an_unknown_entry_is_a_404(client, saksbehandler, statusmelding, kind, pk):
    client.force_login(saksbehandler)
    assert client.post(add_url(kind, pk), {"tekst": TEXT}).status_code == 404


def test_the_author_may_change_a_comment_for_fifteen_minutes_and_the_history_keeps_the_old_text(
    client, statusmelding, saksbehandler, koordinator
):
    kommentar = kommentar_add(user=saksbehandler, target=statusmelding, tekst="Første utgave")
    url = reverse("handlingsprogram:kommentar_edit", args=[kommentar.pk])
    client.force_login(koordinator)
    assert client.post(url, {"tekst": "Koordinatorens versjon"}).status_code == 403

    client.force_login(saksbehandler)
    assert client.get(url).status_code == 200
    assert client.post(url, {"tekst": "Rettet utgave"}).status_code == 302
    kommentar.refresh_from_db()
    assert kommentar.tekst == "Rettet utgave" and kommentar.edited_at is not None
    assert [h.tekst for h in kommentar.history.order_by("history_date")] == ["Første utgave", "Rettet utgave"]

    Kommentar.objects.filter(pk=kommentar.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(url, {"tekst": "For sent"}, follow=True)
    assert "kan endres i 15 minutter" in response.content.decode()
    kommentar.refresh_from_db()
    assert kommentar.tekst == "Rettet utgave"


def test_a_coordinator_hides_a_comment_with_a_reason_and_it_is_never_deleted(
    client, statusmelding, saksbehandler, koordinator, tiltak_212
):
    kommentar = kommentar_add(user=saksbehandler, target=statusmelding, tekst=TEXT)
    url = reverse("handlingsprogram:kommentar_hide", args=[kommentar.pk])
    client.force_login(saksbehandler)
    assert client.post(url, {"reason": "Personopplysninger"}).status_code == 403

    client.force_login(koordinator)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Skriv hvorfor kommentaren skjules." in response.content.decode()
    assert client.post(url, {"reason": "Inneholdt personopplysninger"}).status_code == 302
    kommentar.refresh_from_db()
    assert kommentar.is_hidden and kommentar.hidden_by == koordinator and kommentar.tekst == TEXT

    coordinator_page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Inneholdt personopplysninger" in coordinator_page and TEXT in coordinator_page  # inside "show"
    client.force_login(saksbehandler)
    page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Inneholdt personopplysninger" in page and TEXT not in page
    # Hidden, it can no longer be changed by its author either.
    assert reverse("handlingsprogram:kommentar_edit", args=[kommentar.pk]) not in page


def test_a_deltagelse_has_its_thread_on_its_page(client, programme, saksbehandler):
    deltagelse = Deltagelse.objects.create(
        nettverk=Nettverk.objects.get(slug="nsc-transport"),
        tittel="Arbeidsgruppemøte",
        start=timezone.localdate(),
        nivaa="administrativ",
        created_by=saksbehandler,
    )
    client.force_login(saksbehandler)
    response = client.post(add_url("deltagelse", deltagelse.pk), {"tekst": TEXT})
    assert response["Location"].startswith(deltagelse.get_absolute_url() + "#kommentar-")
    assert TEXT in client.get(deltagelse.get_absolute_url()).content.decode()
    client.logout()
    assert TEXT not in client.get(deltagelse.get_absolute_url()).content.decode()


def _tiltak_page_queries(client, tiltak) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(tiltak.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_threads_cost_the_same_queries_however_many_entries_and_comments(
    client, statusmelding, saksbehandler, koordinator, tiltak_212
):
    kommentar_add(user=koordinator, target=statusmelding, tekst="Kan du utdype?")
    client.force_login(saksbehandler)
    _tiltak_page_queries(client, tiltak_212)  # warm caches (content types, session)
    few = _tiltak_page_queries(client, tiltak_212)
    for day in range(2, 8):
        melding = Statusmelding.objects.create(
            tiltak=tiltak_212,
            author=saksbehandler,
            date=datetime.date(2021, 3, day),
            status=Statusmelding.Status.PAAGAAR,
            vurdering=Statusmelding.Vurdering.I_RUTE,
            gjennomfoert=f"Melding {day}",
        )
        for author in (koordinator, saksbehandler, koordinator):
            kommentar_add(user=author, target=melding, tekst=f"Kommentar til {day}")
    assert _tiltak_page_queries(client, tiltak_212) == few


def test_a_new_comment_notifies_the_entrys_author_and_earlier_commenters_not_its_writer(
    statusmelding, saksbehandler, koordinator, leser, make_user
):
    from varsler.models import Varsel

    kollega = make_user("kollega", "saksbehandler")
    kommentar_add(user=koordinator, target=statusmelding, tekst="Kan du utdype?")
    assert list(Varsel.objects.values_list("user__username", "kind")) == [("saksbehandler-test", "kommentar")]
    varsel = Varsel.objects.get()
    assert varsel.link.endswith(f"#kommentar-{statusmelding.kommentarer.get().pk}")
    assert "kommenterte" in varsel.text

    Varsel.objects.all().delete()
    kommentar_add(user=kollega, target=statusmelding, tekst="Jeg vet svaret.")
    assert sorted(Varsel.objects.values_list("user__username", flat=True)) == ["koordinator-test", "saksbehandler-test"]

    Varsel.objects.all().delete()
    kommentar_add(user=saksbehandler, target=statusmelding, tekst="Takk!")
    assert sorted(Varsel.objects.values_list("user__username", flat=True)) == ["kollega", "koordinator-test"]
    assert not Varsel.objects.filter(user=leser).exists()
