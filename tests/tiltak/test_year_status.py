"""The status at the end of each programme year kept per tiltak (``Aarsstatus``): every write that changes a
tiltak's valid statusmeldinger rewrites its rows, and the lists of a past year read them, giving exactly what a
search of the statusmeldinger gives."""

import datetime
import random

from tests.tiltak.test_current_status import report
from tiltak import selectors
from tiltak.models import Aarsstatus, Statusmelding, Tiltak
from tiltak.services import (
    current_status_refresh,
    statusmelding_withdraw,
    year_status_refresh,
)

YEARS = range(2020, 2024)


def searched(tiltak: Tiltak, year: int) -> tuple:
    """The status at the end of ``year`` as the statusmeldinger give it, searched afresh."""
    latest = (
        Statusmelding.objects.valid()
        .filter(tiltak=tiltak, date__lte=datetime.date(year, 12, 31))
        .order_by("-date", "-created_at", "-id")
        .first()
    )
    return (None, None, None, False) if latest is None else (latest.status, latest.vurdering, latest.date, latest.demo)


def kept(tiltak: Tiltak) -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in Aarsstatus.objects.filter(tiltak=tiltak).values_list("aar", "status", "vurdering", "dato", "demo")
    }


def kept_equals_searched(tiltak: Tiltak) -> bool:
    return kept(tiltak) == {year: searched(tiltak, year) for year in YEARS}


def test_the_year_statuses_follow_every_write_that_changes_the_valid_statusmeldinger(
    tiltak_212, saksbehandler, koordinator
):
    assert kept(tiltak_212) == {}  # no statusmelding: no rows (the kept current status, none, holds every year)

    first = report(tiltak_212, saksbehandler, datetime.date(2021, 3, 1), "paagaar", "risiko")
    assert kept(tiltak_212) == {
        2020: (None, None, None, False),
        2021: ("paagaar", "risiko", datetime.date(2021, 3, 1), False),
        2022: ("paagaar", "risiko", datetime.date(2021, 3, 1), False),
        2023: ("paagaar", "risiko", datetime.date(2021, 3, 1), False),
    }

    later = report(tiltak_212, saksbehandler, datetime.date(2023, 2, 1), "fullfoert")
    assert kept(tiltak_212)[2022] == ("paagaar", "risiko", datetime.date(2021, 3, 1), False)
    assert kept(tiltak_212)[2023] == ("fullfoert", "i_rute", datetime.date(2023, 2, 1), False)
    assert kept_equals_searched(tiltak_212)

    correction = report(
        tiltak_212,
        saksbehandler,
        datetime.date(2021, 3, 1),
        "utsatt",
        "avvik",
        korrigerer=first,
        correction_reason="Feil status.",
    )
    assert kept(tiltak_212)[2022] == ("utsatt", "avvik", datetime.date(2021, 3, 1), False)
    assert kept_equals_searched(tiltak_212)

    statusmelding_withdraw(statusmelding=correction, user=koordinator, begrunnelse="Korrigert feil melding.")
    assert kept(tiltak_212)[2022] == ("paagaar", "risiko", datetime.date(2021, 3, 1), False)
    assert kept_equals_searched(tiltak_212)

    Statusmelding.objects.get(pk=later.pk).delete()  # only ever done to demo content and test data
    assert kept(tiltak_212)[2023] == ("paagaar", "risiko", datetime.date(2021, 3, 1), False)
    assert kept_equals_searched(tiltak_212)

    statusmelding_withdraw(statusmelding=Statusmelding.objects.get(pk=first.pk), user=koordinator, begrunnelse="Feil.")
    assert kept(tiltak_212) == {}


def test_the_refresh_puts_right_what_a_bulk_write_left(tiltak_212, saksbehandler):
    Statusmelding.objects.bulk_create(
        [
            Statusmelding(
                tiltak=tiltak_212,
                author=saksbehandler,
                date=datetime.date(2022, 2, 1),
                status="utsatt",
                vurdering="avvik",
                gjennomfoert="Lastet i bulk.",
            )
        ]
    )
    assert kept(tiltak_212) == {}  # bulk_create sends no signal
    current_status_refresh(tiltak_ids=[tiltak_212.pk])
    assert kept(tiltak_212)[2021] == (None, None, None, False)
    assert kept(tiltak_212)[2022] == ("utsatt", "avvik", datetime.date(2022, 2, 1), False)
    assert kept_equals_searched(tiltak_212)


def test_a_past_years_list_reads_the_kept_row(programme, tiltak_212, saksbehandler):
    """The row is what the list reads for a past year: changed behind the signals' back, the list shows the change
    (which it would not if it searched the statusmeldinger), and the current year still reads the tiltak's own."""
    report(tiltak_212, saksbehandler, datetime.date(2021, 5, 1), "paagaar", "risiko")
    report(tiltak_212, saksbehandler, datetime.date(2023, 5, 1), "fullfoert")
    Aarsstatus.objects.filter(tiltak=tiltak_212, aar=2022).update(status="avbrutt", dato=datetime.date(2022, 6, 1))

    row_2022 = selectors.tiltak_with_status(programme=programme, year=2022).get(pk=tiltak_212.pk)
    assert (row_2022.siste_status, row_2022.siste_dato, row_2022.rapportert) == (
        "avbrutt",
        datetime.date(2022, 6, 1),
        True,
    )
    row_2023 = selectors.tiltak_with_status(programme=programme, year=2023).get(pk=tiltak_212.pk)
    assert (row_2023.siste_status, row_2023.rapportert) == ("fullfoert", True)


def test_the_lists_give_the_same_with_and_without_the_kept_rows(programme, koordinator):
    """Forty tiltak with statusmeldinger at random dates across the programme (some corrected, some withdrawn):
    for every year, the status, assessment, date, demo mark and "reported" the lists read from the kept rows equal
    those read by searching the statusmeldinger (the rows deleted), and the status filter finds the same tiltak."""
    rng = random.Random(19)
    tiltak = list(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).order_by("pk")[:40])
    statuses = [value for value, _label in Statusmelding.Status.choices]
    vurderinger = [value for value, _label in Statusmelding.Vurdering.choices]
    for one in tiltak:
        written = []
        for _ in range(rng.randint(0, 4)):
            date = datetime.date(rng.choice(YEARS), rng.randint(1, 12), rng.randint(1, 28))
            written.append(report(one, koordinator, date, rng.choice(statuses), rng.choice(vurderinger)))
        if written and rng.random() < 0.3:
            statusmelding_withdraw(statusmelding=rng.choice(written), user=koordinator, begrunnelse="Feil.")
        elif written and rng.random() < 0.3:
            wrong = rng.choice(written)
            report(one, koordinator, wrong.date, rng.choice(statuses), korrigerer=wrong, correction_reason="Feil.")
    assert Aarsstatus.objects.exists()

    def lists(year):
        rows = selectors.tiltak_with_status(programme=programme, year=year).values_list(
            "pk", "siste_status", "siste_vurdering", "siste_dato", "siste_demo", "rapportert"
        )
        paagaar = selectors.tiltak_filtered(
            programme=programme, year=year, filters=selectors.TiltakFilter(status="paagaar")
        ).values_list("pk", flat=True)
        # A missing demo mark is "not demo" wherever it is read (the search gives NULL without a statusmelding).
        return [(*row[:4], bool(row[4]), row[5]) for row in rows], list(paagaar)

    with_rows = {year: lists(year) for year in YEARS}
    Aarsstatus.objects.all().delete()
    searched_lists = {year: lists(year) for year in YEARS}
    for year in YEARS:
        assert with_rows[year] == searched_lists[year], year
    reported_tiltak = Statusmelding.objects.valid().values("tiltak").distinct().count()
    assert year_status_refresh() == reported_tiltak * len(YEARS)
    assert lists(2021) == searched_lists[2021]
