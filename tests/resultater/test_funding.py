"""Funding in NOK: each project's grant at the coordinator's exchange rate for its start year (NOK at 1), summed
by the database per funding programme, start year and priority area, in a fixed number of queries."""

import datetime
import itertools
from decimal import Decimal

import pytest

from handlingsprogram.models import Finansieringsprogram
from resultater import selectors
from resultater.models import Prosjekt, Valutakurs
from tiltak.models import Tiltak
from tiltak.selectors import tiltak_get_by_code

_numbers = itertools.count(1)


def tiltak(programme, code: str) -> Tiltak:
    return tiltak_get_by_code(programme=programme, code=code)


@pytest.fixture
def make_prosjekt(programme):
    def make(
        *,
        granted: str,
        valuta: str = "EUR",
        start: int = 2021,
        status: str = Prosjekt.Status.INNVILGET,
        fp: str = "erasmus-plus",
        codes: tuple[str, ...] = ("2.3.3",),
    ) -> Prosjekt:
        number = next(_numbers)
        prosjekt = Prosjekt.objects.create(
            ekstern_id=f"TEST-{number}",
            navn=f"Prosjekt {number}",
            finansieringsprogram=Finansieringsprogram.objects.get(slug=fp),
            rolle=Prosjekt.Rolle.PARTNER,
            start_date=datetime.date(start, 3, 1),
            end_date=datetime.date(start + 2, 2, 28),
            status=status,
            totalbudsjett=Decimal(granted) * 4,
            innvilget_trondelag=Decimal(granted),
            valuta=valuta,
        )
        prosjekt.tiltak.set([tiltak(programme, code) for code in codes])
        return prosjekt

    return make


def rate(aar: int, valuta: str, kurs: str) -> Valutakurs:
    return Valutakurs.objects.create(aar=aar, valuta=valuta, kurs=Decimal(kurs))


def rows(funding_rows) -> dict:
    return {row.key: (row.antall, row.sum_nok, row.uten_kurs) for row in funding_rows}


def area_rows(summary) -> dict:
    return {row.key: (row.antall, row.sum_nok, row.uten_kurs) for row in summary.by_area}


def test_grants_are_summed_in_nok_at_the_rate_of_their_start_year(make_prosjekt, programme):
    rate(2021, "EUR", "10.00")
    rate(2022, "EUR", "11.00")
    rate(2021, "SEK", "0.95")
    rate(2022, "SEK", "5.00")  # a rate of another year than the project's does not apply
    make_prosjekt(granted="100000", valuta="EUR", start=2021)
    make_prosjekt(granted="100000", valuta="EUR", start=2022)
    make_prosjekt(granted="500000", valuta="NOK", start=2021, fp="interreg-europe", codes=("3.1.2",))
    make_prosjekt(granted="1000000", valuta="SEK", start=2021, fp="interreg-europe", codes=("3.1.2",))

    summary = selectors.funding_summary(programme=programme)
    erasmus = Finansieringsprogram.objects.get(slug="erasmus-plus").pk
    interreg_europe = Finansieringsprogram.objects.get(slug="interreg-europe").pk
    # One row per programme, however many different rates its projects were converted at.
    assert [row.key for row in summary.by_programme] == [erasmus, interreg_europe]  # largest sum first
    assert rows(summary.by_programme) == {
        erasmus: (2, Decimal("2100000"), 0),
        interreg_europe: (2, Decimal("1450000"), 0),
    }
    assert [row.label for row in summary.by_programme] == ["Erasmus+", "Interreg – Interreg Europe"]
    assert rows(summary.by_year) == {2021: (3, Decimal("2450000"), 0), 2022: (1, Decimal("1100000"), 0)}
    assert [row.key for row in summary.by_year] == [2021, 2022]
    assert (summary.total_nok, summary.total_antall, summary.missing_rates) == (Decimal("3550000"), 4, [])
    assert area_rows(summary) == {
        1: (0, Decimal(0), 0),
        2: (2, Decimal("2100000"), 0),
        3: (2, Decimal("1450000"), 0),
        4: (0, Decimal(0), 0),
    }
    assert [row.label for row in summary.by_area][1].startswith("2. ")


def test_nok_needs_no_rate(make_prosjekt, programme):
    make_prosjekt(granted="926000.50", valuta="NOK")
    summary = selectors.funding_summary(programme=programme)
    assert (summary.total_nok, summary.missing_rates) == (Decimal("926000.50"), [])
    nok = selectors.prosjekter_with_nok().get()
    assert (nok.kurs, nok.innvilget_nok) == (Decimal(1), Decimal("926000.50"))


def test_missing_rates_are_listed_and_left_out_of_the_sums(make_prosjekt, programme):
    rate(2021, "EUR", "10")
    make_prosjekt(granted="100000", valuta="EUR", start=2021)
    make_prosjekt(granted="100000", valuta="EUR", start=2020)  # no EUR rate for 2020
    make_prosjekt(granted="200000", valuta="DKK", start=2021)
    make_prosjekt(granted="300000", valuta="DKK", start=2021, codes=("3.1.2",))

    summary = selectors.funding_summary(programme=programme)
    assert summary.missing_rates == [(2020, "EUR"), (2021, "DKK")]
    assert summary.total_nok == Decimal("1000000")
    erasmus = Finansieringsprogram.objects.get(slug="erasmus-plus").pk
    # Counted as funded projects, flagged as left out of the sum.
    assert rows(summary.by_programme) == {erasmus: (4, Decimal("1000000"), 3)}
    assert rows(summary.by_year) == {2020: (1, Decimal(0), 1), 2021: (3, Decimal("1000000"), 2)}
    assert area_rows(summary)[2] == (3, Decimal("1000000"), 2)
    assert area_rows(summary)[3] == (1, Decimal(0), 1)
    without = selectors.prosjekter_with_nok().get(valuta="EUR", start_date__year=2020)
    assert (without.kurs, without.innvilget_nok) == (None, None)

    rate(2020, "EUR", "9.5")
    rate(2021, "DKK", "1.5")
    summary = selectors.funding_summary(programme=programme)
    assert summary.missing_rates == []
    assert summary.total_nok == Decimal("1000000") + Decimal("950000") + Decimal("750000")


def test_a_project_serving_two_tiltak_of_one_area_counts_once_there(make_prosjekt, programme):
    rate(2021, "EUR", "10")
    make_prosjekt(granted="100000", codes=("2.3.3", "2.3.1", "2.1.2"))
    make_prosjekt(granted="50000", codes=("2.3.3", "3.1.2"))  # two areas: counted in each
    make_prosjekt(granted="20000", codes=())  # no tiltak: in the totals, in no area

    summary = selectors.funding_summary(programme=programme)
    assert area_rows(summary) == {
        1: (0, Decimal(0), 0),
        2: (2, Decimal("1500000"), 0),
        3: (1, Decimal("500000"), 0),
        4: (0, Decimal(0), 0),
    }
    assert (summary.total_antall, summary.total_nok) == (3, Decimal("1700000"))
    assert rows(summary.by_year) == {2021: (3, Decimal("1700000"), 0)}


def test_applied_and_rejected_projects_are_not_counted(make_prosjekt, programme):
    rate(2021, "EUR", "10")
    make_prosjekt(granted="100000", status=Prosjekt.Status.INNVILGET)
    make_prosjekt(granted="200000", status=Prosjekt.Status.AVSLUTTET)
    make_prosjekt(granted="400000", status=Prosjekt.Status.SOEKT)
    make_prosjekt(granted="800000", status=Prosjekt.Status.AVSLAATT)
    # Not funded, so their missing rates are no one's concern either.
    make_prosjekt(granted="1", valuta="USD", status=Prosjekt.Status.SOEKT)
    make_prosjekt(granted="1", valuta="GBP", status=Prosjekt.Status.AVSLAATT)

    summary = selectors.funding_summary(programme=programme)
    assert (summary.total_antall, summary.total_nok, summary.missing_rates) == (2, Decimal("3000000"), [])
    assert area_rows(summary)[2] == (2, Decimal("3000000"), 0)
    assert rows(summary.by_year) == {2021: (2, Decimal("3000000"), 0)}


def test_a_year_limits_the_summary_to_projects_starting_then(make_prosjekt, programme):
    rate(2021, "EUR", "10")
    rate(2022, "EUR", "11")
    make_prosjekt(granted="100000", start=2021)
    make_prosjekt(granted="100000", start=2022, codes=("3.1.2",))
    make_prosjekt(granted="100", valuta="SEK", start=2022)

    summary = selectors.funding_summary(programme=programme, year=2022)
    assert (summary.total_antall, summary.total_nok) == (2, Decimal("1100000"))
    assert rows(summary.by_year) == {2022: (2, Decimal("1100000"), 1)}
    assert area_rows(summary)[2] == (1, Decimal(0), 1) and area_rows(summary)[3] == (1, Decimal("1100000"), 0)
    assert summary.missing_rates == [(2022, "SEK")]


def test_nothing_funded_gives_empty_rows_and_zero_areas(programme):
    summary = selectors.funding_summary(programme=programme)
    assert (summary.by_programme, summary.by_year, summary.missing_rates) == ([], [], [])
    assert [(row.key, row.antall, row.sum_nok) for row in summary.by_area] == [(n, 0, Decimal(0)) for n in (1, 2, 3, 4)]
    assert (summary.total_nok, summary.total_antall) == (Decimal(0), 0)


@pytest.mark.parametrize("count", [3, 30])
def test_the_summary_runs_four_queries_however_many_projects(
    django_assert_num_queries, make_prosjekt, programme, count
):
    rate(2021, "EUR", "10")
    fps = ["erasmus-plus", "interreg-europe", "nordsjoprogrammet", "horisont-2020"]
    areas = [("2.3.3", "2.3.1"), ("3.1.2",), ("1.1.1", "4.1.1"), ()]
    for i in range(count):
        make_prosjekt(
            granted=str(1000 * (i + 1)),
            valuta=["EUR", "NOK", "SEK"][i % 3],
            start=2020 + i % 4,
            status=[Prosjekt.Status.INNVILGET, Prosjekt.Status.AVSLUTTET, Prosjekt.Status.SOEKT][i % 3],
            fp=fps[i % 4],
            codes=areas[i % 4],
        )
    with django_assert_num_queries(4):
        summary = selectors.funding_summary(programme=programme)
        # Reading every figure runs no further queries.
        figures = [(r.label, r.antall, r.sum_nok, r.uten_kurs) for r in summary.by_programme + summary.by_year]
        figures += [(r.label, r.antall, r.sum_nok) for r in summary.by_area]
        assert summary.total_antall == sum(1 for i in range(count) if i % 3 != 2)  # applied (every third) not counted
    assert figures


def test_the_project_list_reads_its_rates_and_relations_in_three_queries(
    django_assert_num_queries, make_prosjekt, programme
):
    rate(2021, "EUR", "10")
    for i in range(5):
        make_prosjekt(granted=str(1000 * (i + 1)), codes=("2.3.3", "3.1.2"))
    with django_assert_num_queries(3):
        listed = list(selectors.prosjekter_filtered(filters=selectors.ProsjektFilter()))
        assert {p.innvilget_nok for p in listed} == {Decimal(10000 * (i + 1)) for i in range(5)}
        assert all(len(p.tiltak.all()) == 2 for p in listed)
        assert all(p.finansieringsprogram.navn for p in listed)
    in_area_3 = selectors.prosjekter_filtered(
        filters=selectors.ProsjektFilter(omraade=programme.omraader.get(nummer=3).pk)
    )
    assert in_area_3.count() == 5  # each once, though they serve two tiltak


def test_only_projects_running_in_the_programme_period_count(programme, make_prosjekt):
    make_prosjekt(granted="1000", valuta="NOK", start=2012)  # 2012–2014: over before 2020
    make_prosjekt(granted="200", valuta="NOK", start=2018)  # 2018–2020: runs into the programme
    make_prosjekt(granted="30", valuta="NOK", start=2023)
    make_prosjekt(granted="4", valuta="NOK", start=2025)  # starts after the programme's period
    summary = selectors.funding_summary(programme=programme)
    assert summary.total_nok == Decimal(230)
    assert [(row.key, row.sum_nok) for row in summary.by_year] == [(2018, Decimal(200)), (2023, Decimal(30))]
