"""Statusmeldinger are appended through the service, which enforces who may log and what is valid."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils.translation import gettext

from tiltak import selectors
from tiltak.models import Statusmelding
from tiltak.services import MAX_TEXT_LENGTH, statusmelding_create, statusmelding_withdraw

TODAY = datetime.date(2026, 11, 26)


def create(tiltak, user, **overrides):
    data = {
        "tiltak": tiltak,
        "user": user,
        "date": datetime.date(2022, 5, 1),
        "status": Statusmelding.Status.PAAGAAR,
        "vurdering": Statusmelding.Vurdering.I_RUTE,
        "gjennomfoert": "Møte med partnerne.",
        "today": TODAY,
    }
    return statusmelding_create(**(data | overrides))


def test_responsible_staff_and_coordinator_may_log(tiltak_212, saksbehandler, koordinator):
    create(tiltak_212, saksbehandler)
    create(tiltak_212, koordinator, status=Statusmelding.Status.FULLFOERT, date=datetime.date(2022, 6, 1))
    assert tiltak_212.statusmeldinger.count() == 2


@pytest.mark.parametrize("who", ["leser", "saksbehandler_annen_enhet"])
def test_others_may_not_log(request, tiltak_212, who):
    with pytest.raises(PermissionDenied):
        create(tiltak_212, request.getfixturevalue(who))
    assert tiltak_212.statusmeldinger.count() == 0


def test_staff_of_an_actor_responsible_as_a_whole_may_log(programme, make_user):
    from handlingsprogram.models import Aktoer, Enhet
    from tiltak.models import Ansvar

    ks = Aktoer.objects.get(navn="KS")
    enhet = Enhet.objects.create(aktoer=ks, navn="KS Trøndelag", slug="ks-trondelag")
    user = make_user("ks-ansatt", "saksbehandler", enhet)
    ansvar = Ansvar.objects.filter(aktoer=ks, enhet__isnull=True).select_related("tiltak").first()
    statusmelding = create(ansvar.tiltak, user)
    assert (statusmelding.tiltak, statusmelding.author) == (ansvar.tiltak, user)
    assert list(ansvar.tiltak.statusmeldinger.all()) == [statusmelding]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": TODAY + datetime.timedelta(days=1)}, "date"),
        ({"date": datetime.date(2019, 12, 31)}, "date"),
        ({"date": datetime.date(2024, 1, 1)}, "date"),
        ({"gjennomfoert": "   "}, "gjennomfoert"),
        ({"gjennomfoert": "x" * (MAX_TEXT_LENGTH + 1)}, "gjennomfoert"),
        ({"resultater": "x" * (MAX_TEXT_LENGTH + 1)}, "resultater"),
        ({"status": "finnes_ikke"}, "status"),
        ({"vurdering": "kanskje"}, "vurdering"),
    ],
)
def test_bad_input_is_rejected_and_nothing_saved(tiltak_212, saksbehandler, overrides, field):
    with pytest.raises(ValidationError) as error:
        create(tiltak_212, saksbehandler, **overrides)
    assert field in error.value.message_dict
    assert Statusmelding.objects.count() == 0


def test_closed_programme_takes_no_reports(tiltak_212, saksbehandler, programme):
    programme.is_closed = True
    programme.save()
    tiltak_212.refresh_from_db()
    tiltak_212.innsatsomraade.omraade.handlingsprogram.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        create(tiltak_212, saksbehandler)
    assert error.value.code == "programme_closed"
    assert Statusmelding.objects.count() == 0


def test_correction_must_concern_the_same_tiltak(tiltak_212, koordinator, programme):
    other = programme.omraader.get(nummer=1).innsatsomraader.first().tiltak.first()
    first = create(other, koordinator)
    with pytest.raises(ValidationError) as error:
        create(tiltak_212, koordinator, korrigerer=first)
    assert "korrigerer" in error.value.message_dict


def test_a_withdrawn_report_cannot_be_corrected(tiltak_212, statusmelding, koordinator):
    statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Feil tiltak")
    with pytest.raises(ValidationError) as error:
        create(tiltak_212, koordinator, korrigerer=statusmelding)
    assert error.value.message_dict == {"korrigerer": [gettext("A withdrawn status report cannot be corrected.")]}
    assert not statusmelding.korreksjoner.exists()
    # A valid one can be.
    second = create(tiltak_212, koordinator)
    assert create(tiltak_212, koordinator, korrigerer=second).korrigerer == second


def test_current_status_is_the_latest_valid_report(tiltak_212, saksbehandler, koordinator, programme):
    create(tiltak_212, saksbehandler, date=datetime.date(2021, 2, 1), status="paagaar", vurdering="risiko")
    latest = create(tiltak_212, saksbehandler, date=datetime.date(2021, 9, 1), status="fullfoert")
    row = selectors.tiltak_with_status(programme=programme, year=2021).get(pk=tiltak_212.pk)
    assert (row.siste_status, row.siste_dato) == ("fullfoert", datetime.date(2021, 9, 1))

    statusmelding_withdraw(statusmelding=latest, user=koordinator, begrunnelse="Feil tiltak")
    row = selectors.tiltak_with_status(programme=programme, year=2021).get(pk=tiltak_212.pk)
    assert (row.siste_status, row.siste_vurdering) == ("paagaar", "risiko")
    # As of the end of 2020 there was no report yet.
    assert selectors.tiltak_with_status(programme=programme, year=2020).get(pk=tiltak_212.pk).siste_status is None


def test_withdrawal_needs_coordinator_and_reason(statusmelding, saksbehandler, koordinator):
    with pytest.raises(PermissionDenied):
        statusmelding_withdraw(statusmelding=statusmelding, user=saksbehandler, begrunnelse="Nei")
    with pytest.raises(ValidationError) as error:
        statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="  ")
    assert list(error.value.message_dict) == ["begrunnelse"]
    statusmelding.refresh_from_db()
    assert not statusmelding.is_withdrawn

    statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Registrert på feil tiltak")
    statusmelding.refresh_from_db()
    assert statusmelding.is_withdrawn
    assert statusmelding.withdrawn_by == koordinator
    with pytest.raises(PermissionDenied):
        statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Igjen")


def test_every_change_is_in_the_audit_history(tiltak_212, statusmelding, koordinator):
    tiltak_212.tekst = "Ny tekst"
    tiltak_212.save()
    statusmelding_withdraw(statusmelding=statusmelding, user=koordinator, begrunnelse="Feil")
    entries = selectors.tiltak_history(tiltak=tiltak_212)
    kinds = [(e.kind, e.action) for e in entries]
    assert ("statusmelding", "+") in kinds
    assert ("statusmelding", "~") in kinds
    assert ("tiltak", "~") in kinds
    tiltak_change = next(e for e in entries if e.kind == "tiltak" and e.action == "~")
    assert (tiltak_change.changes[0][0], tiltak_change.changes[0][1][:9], tiltak_change.changes[0][2]) == (
        "tekst",
        "Regionalt",
        "Ny tekst",
    )


@pytest.mark.django_db(transaction=True)
def test_two_people_logging_at_once_both_get_saved(programme_loaded_transactional, make_user):
    from handlingsprogram.models import Enhet
    from tiltak.models import Tiltak

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database locks whole tables; CI runs this on PostgreSQL")
    enhet = Enhet.objects.get(slug="avdeling-for-utdanning")
    users = [make_user(f"samtidig-{i}", "saksbehandler", enhet) for i in range(2)]
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__nummer=2, innsatsomraade__nummer=1, nummer=2
    )
    barrier = threading.Barrier(2)
    errors = []

    def log(user):
        try:
            barrier.wait(timeout=10)
            create(tiltak, user, gjennomfoert=f"Fra {user.username}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(tiltak.statusmeldinger.values_list("gjennomfoert", flat=True)) == {"Fra samtidig-0", "Fra samtidig-1"}
