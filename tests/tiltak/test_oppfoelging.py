"""Reporting rounds and requests for an update (issue 18): services, permissions, pages and query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from handlingsprogram.kommentar_services import kommentar_add
from tiltak import oppfoelging_selectors as selectors
from tiltak import oppfoelging_services as services
from tiltak.models import Oppfoelgingsforespoersel, Rapporteringsrunde, Statusmelding, Tiltak
from tiltak.services import statusmelding_create
from varsler.models import Varsel

TODAY = datetime.date(2022, 11, 1)


def _open(koordinator, programme, *, aar=2022, frist=datetime.date(2023, 1, 15), navn="Årsrapport 2022"):
    return services.runde_open(
        user=koordinator, handlingsprogram=programme, navn=navn, aar=aar, frist=frist, today=TODAY
    )


def _melding(tiltak, author, date, **extra):
    return Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date=date,
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Gjort.",
        **extra,
    )


def _utdanning_tiltak(programme):
    return list(
        Tiltak.objects.filter(
            innsatsomraade__omraade__handlingsprogram=programme, ansvar__enhet__slug="avdeling-for-utdanning"
        ).distinct()
    )


# --- Rounds ----------------------------------------------------------------------------------------------------


def test_open_round_notifies_every_staff_member_who_owes_and_nobody_else(
    programme, koordinator, saksbehandler, saksbehandler_annen_enhet, leser
):
    runde = _open(koordinator, programme)
    assert runde.is_open and runde.opened_by == koordinator
    told = set(Varsel.objects.filter(kind=Varsel.Kind.RUNDE_AAPNET).values_list("user__username", flat=True))
    # Both units hold ansvar in the programme; a reader owes nothing and is not told.
    assert told == {"saksbehandler-test", "saksbehandler-plan", "koordinator-test"}
    varsel = Varsel.objects.get(user=saksbehandler)
    assert "Årsrapport 2022" in varsel.text and "15.01.2023" in varsel.text
    assert varsel.text.startswith("Rapporteringsrunden")  # written in bokmål
    assert varsel.link == reverse("tiltak:mine")


def test_only_coordinators_open_and_close_rounds(programme, koordinator, saksbehandler):
    with pytest.raises(PermissionDenied):
        _open(saksbehandler, programme)
    runde = _open(koordinator, programme)
    with pytest.raises(PermissionDenied):
        services.runde_close(runde=runde, user=saksbehandler)
    assert Rapporteringsrunde.objects.get().is_open


def test_bad_input_changes_nothing(programme, koordinator):
    with pytest.raises(ValidationError) as error:
        _open(koordinator, programme, aar=2019)
    assert "aar" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _open(koordinator, programme, frist=datetime.date(2022, 10, 1))
    assert "frist" in error.value.message_dict
    with pytest.raises(ValidationError):
        _open(koordinator, programme, navn="   ")
    assert not Rapporteringsrunde.objects.exists()
    assert not Varsel.objects.exists()


def test_one_open_round_per_year_and_close_then_reopen(programme, koordinator):
    runde = _open(koordinator, programme)
    with pytest.raises(ValidationError):
        _open(koordinator, programme, navn="Igjen")
    services.runde_close(runde=runde, user=koordinator)
    runde.refresh_from_db()
    assert not runde.is_open and runde.closed_by == koordinator
    with pytest.raises(ValidationError):
        services.runde_close(runde=runde, user=koordinator)
    assert _open(koordinator, programme, navn="Igjen").is_open


def test_completion_counts_effective_statusmeldinger_in_the_year(programme, koordinator, saksbehandler, tiltak_212):
    runde = _open(koordinator, programme)
    mine = _utdanning_tiltak(programme)
    assert tiltak_212 in mine and len(mine) >= 2
    other = next(t for t in mine if t != tiltak_212)
    _melding(tiltak_212, saksbehandler, datetime.date(2022, 3, 1))  # counts
    _melding(other, saksbehandler, datetime.date(2021, 3, 1))  # wrong year
    withdrawn = _melding(other, saksbehandler, datetime.date(2022, 4, 1))
    withdrawn.withdrawn_at = withdrawn.created_at
    withdrawn.withdrawn_by = koordinator
    withdrawn.trukket_tilbake_begrunnelse = "Feil"
    withdrawn.save()

    units = {unit.name: unit for unit in selectors.runde_units(runde=runde)}
    utdanning = units["Avdeling for utdanning"]
    assert (utdanning.reported, utdanning.owed) == (1, len(mine))
    assert not utdanning.complete

    states = {t.pk: t.rapportert for t in selectors.runde_tiltak(runde=runde)}
    assert states[tiltak_212.pk] is True and states[other.pk] is False

    (due,) = selectors.runder_due_for(user=saksbehandler, programme=programme, today=datetime.date(2023, 2, 1))
    assert (due.reported, due.owed, due.remaining) == (1, len(mine), len(mine) - 1)
    assert due.overdue
    (due,) = selectors.runder_due_for(user=saksbehandler, programme=programme, today=TODAY)
    assert not due.overdue


def test_a_corrected_statusmelding_counts_through_its_correction(programme, koordinator, saksbehandler, tiltak_212):
    runde = _open(koordinator, programme)
    first = statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2022, 3, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Gjort.",
        today=TODAY,
    )
    statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2021, 12, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Riktig dato.",
        korrigerer=first,
        today=TODAY,
    )
    # The correction moved it out of the round's year: no longer reported.
    states = {t.pk: t.rapportert for t in selectors.runde_tiltak(runde=runde)}
    assert states[tiltak_212.pk] is False


# --- Requests --------------------------------------------------------------------------------------------------


def test_request_notifies_the_responsible_unit_and_a_new_statusmelding_answers_it(
    programme, koordinator, saksbehandler, saksbehandler_annen_enhet, tiltak_212
):
    forespoersel = services.forespoersel_create(tiltak=tiltak_212, user=koordinator, melding="Hvordan går det?")
    assert not forespoersel.is_answered
    told = Varsel.objects.filter(kind=Varsel.Kind.FORESPOERSEL)
    assert set(told.values_list("user", flat=True)) == {saksbehandler.pk}
    assert "2.1.2" in told.get().text and "Hvordan går det?" in told.get().text
    assert told.get().link.endswith(f"#forespoersel-{forespoersel.pk}")

    melding = statusmelding_create(
        tiltak=tiltak_212,
        user=saksbehandler,
        date=datetime.date(2022, 5, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Oppdatert.",
        today=TODAY,
    )
    forespoersel.refresh_from_db()
    assert forespoersel.is_answered
    assert forespoersel.svar_statusmelding == melding and forespoersel.answered_by == saksbehandler
    # The coordinator who asked is told.
    assert Varsel.objects.filter(user=koordinator, kind=Varsel.Kind.FORESPOERSEL_BESVART).count() == 1


def test_request_for_clarification_and_a_reply(programme, koordinator, saksbehandler, statusmelding, tiltak_212):
    forespoersel = services.forespoersel_create(
        tiltak=tiltak_212, user=koordinator, melding="Hvilke skoler?", statusmelding=statusmelding
    )
    assert "01.03.2021" in Varsel.objects.get(user=saksbehandler).text
    with pytest.raises(ValidationError):
        services.forespoersel_answer(forespoersel=forespoersel, user=saksbehandler, svar="  ")
    services.forespoersel_answer(forespoersel=forespoersel, user=saksbehandler, svar="Tre skoler i Trondheim.")
    forespoersel.refresh_from_db()
    assert forespoersel.is_answered and forespoersel.svar == "Tre skoler i Trondheim."
    with pytest.raises(ValidationError):
        services.forespoersel_answer(forespoersel=forespoersel, user=saksbehandler, svar="Igjen")


def test_a_comment_from_the_responsible_unit_answers_the_clarification(
    programme, koordinator, saksbehandler, saksbehandler_annen_enhet, statusmelding, tiltak_212
):
    clarification = services.forespoersel_create(
        tiltak=tiltak_212, user=koordinator, melding="Hvilke skoler?", statusmelding=statusmelding
    )
    update = services.forespoersel_create(tiltak=tiltak_212, user=koordinator, melding="Nytt fra i høst?")
    other_entry = _melding(tiltak_212, saksbehandler, datetime.date(2021, 6, 1))
    # Comments that answer nothing: the coordinator's own, another unit's, one on another entry.
    kommentar_add(user=koordinator, target=statusmelding, tekst="Gjelder det videregående?")
    kommentar_add(user=saksbehandler_annen_enhet, target=statusmelding, tekst="Vi vet ikke.")
    kommentar_add(user=saksbehandler, target=other_entry, tekst="Se meldingen fra mars.")
    clarification.refresh_from_db()
    assert not clarification.is_answered
    assert not Varsel.objects.filter(kind=Varsel.Kind.FORESPOERSEL_BESVART).exists()

    kommentar = kommentar_add(user=saksbehandler, target=statusmelding, tekst="Tre skoler i Trondheim.")
    clarification.refresh_from_db()
    update.refresh_from_db()
    assert clarification.is_answered and clarification.answered_by == saksbehandler
    assert clarification.svar == "Tre skoler i Trondheim." and clarification.svar_statusmelding is None
    assert clarification.history.first().history_change_reason == f"answered with comment {kommentar.pk}"
    assert not update.is_answered  # a request for an update needs a new statusmelding or a reply
    assert Varsel.objects.filter(user=koordinator, kind=Varsel.Kind.FORESPOERSEL_BESVART).count() == 1
    # A later comment changes nothing on the answered request.
    kommentar_add(user=saksbehandler, target=statusmelding, tekst="Og én i Steinkjer.")
    clarification.refresh_from_db()
    assert clarification.svar == "Tre skoler i Trondheim."


def test_request_permissions(programme, koordinator, saksbehandler, saksbehandler_annen_enhet, leser, tiltak_212):
    for user in (saksbehandler, saksbehandler_annen_enhet, leser):
        with pytest.raises(PermissionDenied):
            services.forespoersel_create(tiltak=tiltak_212, user=user, melding="Hei")
    forespoersel = services.forespoersel_create(tiltak=tiltak_212, user=koordinator, melding="Hei")
    for user in (saksbehandler_annen_enhet, leser, koordinator):  # the coordinator's unit is not responsible
        with pytest.raises(PermissionDenied):
            services.forespoersel_answer(forespoersel=forespoersel, user=user, svar="Svar")
    assert not Oppfoelgingsforespoersel.objects.get().is_answered


def test_clarification_must_concern_the_same_tiltak(programme, koordinator, statusmelding):
    other = Tiltak.objects.exclude(pk=statusmelding.tiltak_id).filter(
        innsatsomraade__omraade__handlingsprogram=programme
    )[0]
    with pytest.raises(ValidationError):
        services.forespoersel_create(tiltak=other, user=koordinator, melding="Hei", statusmelding=statusmelding)
    assert not Oppfoelgingsforespoersel.objects.exists() and not Varsel.objects.exists()


# --- Pages -----------------------------------------------------------------------------------------------------


def test_open_a_round_through_the_web(client, programme, koordinator, saksbehandler):
    client.force_login(koordinator)
    frist = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%d.%m.%Y")
    response = client.post(reverse("tiltak:runde_create"), {"navn": "Årsrapport 2023", "aar": "2023", "frist": frist})
    runde = Rapporteringsrunde.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tiltak:runde_detail", args=[runde.pk])
    response = client.post(reverse("tiltak:runde_create"), {"navn": "Igjen", "aar": "2023", "frist": frist})
    assert response.status_code == 400
    assert "allerede åpen" in response.content.decode()
    response = client.post(reverse("tiltak:runde_create"), {"navn": "X", "aar": "1999", "frist": "i morgen"})
    assert response.status_code == 400 and Rapporteringsrunde.objects.count() == 1

    client.force_login(saksbehandler)
    page = client.get(reverse("tiltak:mine")).content.decode()
    assert 'Rapporteringsrunde: <span lang="nb">Årsrapport 2023</span>' in page and f"Frist: {frist}." in page
    assert "(1 ulest)" in client.get(reverse("varsler:list")).content.decode()

    client.force_login(koordinator)
    response = client.post(reverse("tiltak:runde_close", args=[runde.pk]))
    assert response.status_code == 302
    runde.refresh_from_db()
    assert not runde.is_open


def test_request_shows_on_the_tiltak_page_for_staff_only(
    client, programme, koordinator, saksbehandler, leser, tiltak_212
):
    client.force_login(koordinator)
    url = reverse("tiltak:forespoersel_create", kwargs={"program": programme.slug, "kode": tiltak_212.kode})
    assert client.post(url, {"melding": ""}).status_code == 400
    assert client.post(url, {"melding": "Status på Erasmus-søknaden?"}).status_code == 302
    assert client.post(url + "?statusmelding=999999", {"melding": "Hei"}).status_code == 404

    client.force_login(saksbehandler)
    page = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Status på Erasmus-søknaden?" in page and "Åpen:" in page
    assert reverse("tiltak:forespoersel_answer", args=[Oppfoelgingsforespoersel.objects.get().pk]) in page
    client.force_login(leser)
    assert "Status på Erasmus-søknaden?" not in client.get(tiltak_212.get_absolute_url()).content.decode()
    client.logout()
    assert "Status på Erasmus-søknaden?" not in client.get(tiltak_212.get_absolute_url()).content.decode()


# --- Query counts ----------------------------------------------------------------------------------------------


def _spread_statusmeldinger(programme, author, count):
    for tiltak in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)[:count]:
        _melding(tiltak, author, datetime.date(2022, 2, 1))


@pytest.mark.parametrize("rows", [3, 12])
def test_round_pages_queries_are_constant(
    client, programme, koordinator, saksbehandler, rows, django_assert_num_queries
):
    runde = _open(koordinator, programme)
    _spread_statusmeldinger(programme, koordinator, rows)
    for tiltak in _utdanning_tiltak(programme)[:3]:
        services.forespoersel_create(tiltak=tiltak, user=koordinator, melding="Hei")
    client.force_login(koordinator)
    # session + user, the round, the units (one query), the tiltak (keys, rows) with the names of their ansvar
    # (their sources, which the page does not mark, no longer: 9 -> 8), the unread count, the demo banner: the same
    # for 3 and 12 reported tiltak.
    with django_assert_num_queries(8):
        assert client.get(reverse("tiltak:runde_detail", args=[runde.pk])).status_code == 200
    client.force_login(saksbehandler)
    # "Mine tiltak" as before plus the open rounds and one count per open round.
    with django_assert_num_queries(MINE_TILTAK_QUERIES):
        assert client.get(reverse("tiltak:mine")).status_code == 200


# 14 until Mine tiltak stopped fetching the Ansvar and their sources it does not show (2) and counted the
# unreported ones in the pass that fetches the keys (1).
MINE_TILTAK_QUERIES = 11


@pytest.mark.parametrize("rows", [3, 12])
def test_dashboard_with_an_open_round_queries_are_constant(
    client, programme, koordinator, leser, rows, django_assert_num_queries
):
    _open(koordinator, programme)
    _spread_statusmeldinger(programme, koordinator, rows)
    client.force_login(leser)
    client.get(reverse("portal:dashboard"))  # warm up per-process caches
    # tests/portal/test_dashboard.py's 12, and one query for the open round's units.
    with django_assert_num_queries(13):
        response = client.get(reverse("portal:dashboard"), {"aar": "2022"})
    assert "Årsrapport 2022" in response.content.decode()
