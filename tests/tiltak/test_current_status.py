"""The current status kept on the tiltak (``Tiltak.gjeldende_*``): every write that changes which statusmelding
counts last rewrites it, and the lists read it only where it holds for the year they show, so a past year's
status and "reported in the year" still come from the statusmeldinger themselves."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction

from portal.demo import demo_statusmeldinger_create, demo_users_create
from tiltak import selectors
from tiltak.models import Statusmelding, Tiltak
from tiltak.services import current_status_refresh, statusmelding_create, statusmelding_withdraw

TODAY = datetime.date(2023, 12, 1)


def searched(tiltak: Tiltak) -> tuple:
    """The current status as the statusmeldinger give it, searched afresh (what the kept one must equal)."""
    latest = Statusmelding.objects.valid().filter(tiltak=tiltak).order_by("-date", "-created_at", "-id").first()
    if latest is None:
        return (None, None, None, False)
    return (latest.status, latest.vurdering, latest.date, latest.demo)


def kept(tiltak: Tiltak) -> tuple:
    return Tiltak.objects.values_list(
        "gjeldende_status", "gjeldende_vurdering", "gjeldende_dato", "gjeldende_demo"
    ).get(pk=tiltak.pk)


def report(tiltak, user, date, status, vurdering="i_rute", **extra) -> Statusmelding:
    return statusmelding_create(
        tiltak=tiltak,
        user=user,
        date=date,
        status=status,
        vurdering=vurdering,
        gjennomfoert="Gjennomført.",
        today=TODAY,
        **extra,
    )


def test_the_kept_status_follows_every_write_that_changes_the_latest_valid_statusmelding(
    tiltak_212, saksbehandler, koordinator
):
    assert kept(tiltak_212) == (None, None, None, False)

    first = report(tiltak_212, saksbehandler, datetime.date(2022, 3, 1), "paagaar", "risiko")
    assert kept(tiltak_212) == ("paagaar", "risiko", datetime.date(2022, 3, 1), False) == searched(tiltak_212)

    # An older date does not become the current one.
    report(tiltak_212, saksbehandler, datetime.date(2021, 3, 1), "ikke_startet")
    assert kept(tiltak_212) == ("paagaar", "risiko", datetime.date(2022, 3, 1), False) == searched(tiltak_212)

    correction = report(
        tiltak_212,
        saksbehandler,
        datetime.date(2022, 3, 1),
        "fullfoert",
        "i_rute",
        korrigerer=first,
        correction_reason="Feil status.",
    )
    assert kept(tiltak_212) == ("fullfoert", "i_rute", datetime.date(2022, 3, 1), False) == searched(tiltak_212)

    # Withdrawing the correction makes the corrected one count again.
    statusmelding_withdraw(statusmelding=correction, user=koordinator, begrunnelse="Korrigert feil melding.")
    assert kept(tiltak_212) == ("paagaar", "risiko", datetime.date(2022, 3, 1), False) == searched(tiltak_212)

    statusmelding_withdraw(statusmelding=Statusmelding.objects.get(pk=first.pk), user=koordinator, begrunnelse="Feil.")
    assert kept(tiltak_212) == ("ikke_startet", "i_rute", datetime.date(2021, 3, 1), False) == searched(tiltak_212)


def test_deleting_the_last_statusmelding_clears_the_kept_status(tiltak_212, statusmelding):
    assert kept(tiltak_212)[0] is not None
    statusmelding.delete()  # only ever done to demo content and test data, but then the status must go too
    assert kept(tiltak_212) == (None, None, None, False)


def test_demo_statusmeldinger_leave_the_kept_status_marked_as_demo(programme):
    demo_users_create()
    assert demo_statusmeldinger_create() > 0
    demo_tiltak = Tiltak.objects.filter(statusmeldinger__demo=True).distinct()
    assert demo_tiltak.exists()
    for tiltak in demo_tiltak:
        assert kept(tiltak) == searched(tiltak)
        assert kept(tiltak)[3] is True


def test_current_status_refresh_puts_right_what_a_bulk_write_left(tiltak_212, saksbehandler):
    Statusmelding.objects.bulk_create(
        [
            Statusmelding(
                tiltak=tiltak_212,
                author=saksbehandler,
                date=datetime.date(2023, 2, 1),
                status="utsatt",
                vurdering="avvik",
                gjennomfoert="Lastet i bulk.",
            )
        ]
    )
    assert kept(tiltak_212) == (None, None, None, False)  # bulk_create sends no signal
    assert current_status_refresh(tiltak_ids=[tiltak_212.pk]) == 1
    assert kept(tiltak_212) == ("utsatt", "avvik", datetime.date(2023, 2, 1), False)


@pytest.mark.parametrize(
    ("year", "status", "reported"),
    [
        (2020, None, False),  # before any statusmelding
        (2021, "paagaar", True),  # the statusmeldinger searched: the current one is from 2022
        (2022, "fullfoert", True),  # the kept one holds and is dated in the year
        (2023, "fullfoert", False),  # the kept one holds, from the year before
    ],
)
def test_a_years_status_comes_from_the_statusmeldinger_when_the_current_one_is_later(
    programme, tiltak_212, saksbehandler, year, status, reported
):
    report(tiltak_212, saksbehandler, datetime.date(2021, 5, 1), "paagaar", "risiko")
    report(tiltak_212, saksbehandler, datetime.date(2022, 9, 1), "fullfoert", "i_rute")

    row = selectors.tiltak_with_status(programme=programme, year=year).get(pk=tiltak_212.pk)
    assert (row.siste_status, row.rapportert) == (status, reported)
    assert (row.siste_vurdering is None) == (status is None)

    overview = selectors.status_overview(programme=programme, year=year)
    area = tiltak_212.innsatsomraade.omraade.nummer
    assert overview.counts[area]["status"][status] >= 1
    assert (tiltak_212.pk in overview.unreported_ids) is (not reported)

    # The filtered list and "not reported" agree with the row.
    filtered = selectors.tiltak_filtered(
        programme=programme, year=year, filters=selectors.TiltakFilter(status=status or "ingen", ikke_rapportert=True)
    )
    assert filtered.filter(pk=tiltak_212.pk).exists() is (not reported)


@pytest.mark.django_db(transaction=True)
def test_a_report_saved_while_another_waits_to_commit_leaves_the_latest_as_current(
    programme_loaded_transactional, make_user
):
    """Two people report on one tiltak at once: the later-dated report's transaction is still open when the
    earlier-dated one is saved. The second waits for the first and then sees it, so the kept status is the
    later-dated report's (PostgreSQL; SQLite lets one writer in at a time anyway)."""
    from handlingsprogram.models import Enhet

    if connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database locks whole tables; CI runs this on PostgreSQL")
    enhet = Enhet.objects.get(slug="avdeling-for-utdanning")
    first_user, second_user = (make_user(f"samtidig-{i}", "saksbehandler", enhet) for i in range(2))
    tiltak = Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__nummer=2, innsatsomraade__nummer=1, nummer=2
    )
    first_saved, commit_first = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                report(tiltak, first_user, datetime.date(2023, 5, 1), "fullfoert")
                first_saved.set()
                assert commit_first.wait(timeout=120)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            first_saved.set()
            connection.close()

    def second():
        try:
            report(tiltak, second_user, datetime.date(2022, 5, 1), "utsatt")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert first_saved.wait(timeout=120)
    threads[1].start()
    # The second is waiting for a lock the first holds (polled: a busy machine may take a while to get there).
    deadline = time.monotonic() + 120
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] or time.monotonic() > deadline:
                break
            time.sleep(0.05)
    commit_first.set()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert tiltak.statusmeldinger.count() == 2
    assert kept(tiltak) == ("fullfoert", "i_rute", datetime.date(2023, 5, 1), False) == searched(tiltak)
