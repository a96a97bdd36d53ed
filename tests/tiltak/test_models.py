"""The lookups every app shares: a tiltak by its code, and a tiltak's latest valid statusmelding."""

import datetime

import pytest
from django.db.models import Subquery
from django.utils import timezone

from handlingsprogram.models import Handlingsprogram, Innsatsomraade, PrioritertOmraade
from tiltak.models import Statusmelding, Tiltak

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_programme() -> Handlingsprogram:
    """A second programme with its own 2.1.2."""
    programme = Handlingsprogram.objects.create(navn="Neste program", slug="neste", start_year=2024, end_year=2027)
    omraade = PrioritertOmraade.objects.create(handlingsprogram=programme, nummer=2, navn="Område", slug="omraade")
    innsats = Innsatsomraade.objects.create(omraade=omraade, nummer=1, navn="Innsats")
    Tiltak.objects.create(innsatsomraade=innsats, nummer=2, tekst="Neste 2.1.2")
    return programme


def test_by_code_finds_the_tiltak_of_that_programme(programme, next_programme):
    found = Tiltak.objects.by_code(programme, "2.1.2").get()
    assert (found.kode, found.innsatsomraade.omraade.handlingsprogram) == ("2.1.2", programme)
    assert Tiltak.objects.by_code(next_programme, "2.1.2").get().tekst == "Neste 2.1.2"
    assert Tiltak.objects.by_code(None, "2.1.2").count() == 2
    # It is a queryset method, so it narrows whatever query it ends.
    assert Tiltak.objects.filter(tekst__startswith="Neste").by_code(None, "2.1.2").get().tekst == "Neste 2.1.2"


@pytest.mark.parametrize("code", ["", "2.1", "2.1.2.1", "2,1,2", "a.b.c", "2.1.x", "1234.1.1", "9.9.9"])
def test_by_code_finds_nothing_for_an_unknown_or_malformed_code(programme, code):
    assert not Tiltak.objects.by_code(programme, code).exists()


def test_latest_valid_is_the_newest_not_withdrawn_report_up_to_a_date(tiltak_212, saksbehandler, koordinator):
    def report(date, status, **extra):
        return Statusmelding.objects.create(
            tiltak=tiltak_212,
            author=saksbehandler,
            date=date,
            status=status,
            vurdering=Statusmelding.Vurdering.I_RUTE,
            gjennomfoert="Arbeid.",
            **extra,
        )

    report(datetime.date(2021, 3, 1), Statusmelding.Status.PAAGAAR)
    report(datetime.date(2022, 3, 1), Statusmelding.Status.UTSATT)
    withdrawn = {
        "withdrawn_at": timezone.now(),
        "withdrawn_by": koordinator,
        "trukket_tilbake_begrunnelse": "Feil.",
    }
    report(datetime.date(2022, 6, 1), Statusmelding.Status.FULLFOERT, **withdrawn)

    def status(up_to=None):
        latest = Statusmelding.objects.latest_valid(up_to=up_to)
        row = Tiltak.objects.annotate(siste=Subquery(latest.values("status")[:1])).get(pk=tiltak_212.pk)
        return row.siste

    assert status() == Statusmelding.Status.UTSATT
    assert status(up_to=datetime.date(2021, 12, 31)) == Statusmelding.Status.PAAGAAR
    assert status(up_to=datetime.date(2020, 12, 31)) is None
    assert Statusmelding.objects.valid().count() == 2
    assert tiltak_212.statusmeldinger.valid().count() == 2
