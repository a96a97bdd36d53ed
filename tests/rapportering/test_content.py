"""The report's data: one JSON-serialisable structure, built in a fixed number of queries, with what changed
computed from the previous approved report or from the year before."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from rapportering import content, selectors
from rapportering.models import Aarsrapport

from .conftest import YEAR, get_tiltak, indikator, pdf_text, prosjekt, report, verdi

pytestmark = pytest.mark.django_db

# programme areas + SDGs + innsatsområder + tiltak + ansvar (5), status per tiltak (1), statusmeldinger of the
# year (1), status counts (status_overview: one pass over the tiltak; it no longer reads the unreported tiltak and
# their ansvar, which only the dashboard shows, a page at a time: 1), the previous approved report (1), the previous
# year's status (1), indikatorer + their values (2), funding per programme, year, area and the missing exchange
# rates (4), the year's projects + their aktører + their tiltak (3), participation in the year (1), networks +
# memberships (2), the sources of the ansvar (1) and of the membership levels (1), whether the database holds demo
# data (1). Django runs no prefetch for an empty result, so a year without funded projects takes two fewer: the
# tests below always have at least one.
QUERIES = 25


def all_tiltak(document):
    return {t["kode"]: t for a in document["content"]["omraader"] for i in a["innsatsomraader"] for t in i["tiltak"]}


ERASMUS = "Erasmus+-midler til mobilitet innen yrkesfag (TRFK og de videregående skolene)"
ANDEL = "Andel av nasjonalt budsjett for Erasmus+ mobilitet innen yrkesfag"
YRKESPRAKSIS = "Erasmus+-midler til yrkespraksis i utlandet for lærlinger, instruktører og fagpersoner"
VG2 = "Elever som tar Vg2 i utlandet (Belgia, Norfolk County, York College)"
RIS = "Trøndelags plassering blant Europas mest innovative regioner (Regional Innovation Scoreboard)"


def test_constant_number_of_queries(programme, saksbehandler, koordinator, django_assert_num_queries):
    from handlingsprogram.models import Aktoer
    from nettverk.models import Deltagelse, Medlemskap, Nettverk

    prosjekt(programme, start=datetime.date(YEAR, 2, 1), innvilget=100_000)
    with django_assert_num_queries(QUERIES):
        before = selectors.live_document(programme=programme, year=YEAR)
    for code in ["1.1.1", "2.1.2", "3.1.1", "4.1.1"]:
        report(get_tiltak(programme, code), saksbehandler, datetime.date(YEAR, 4, 1), "paagaar", "i_rute", "Arbeid")
        report(get_tiltak(programme, code), saksbehandler, datetime.date(YEAR, 8, 1), "fullfoert", "i_rute", "Ferdig")
    for index in range(3):
        nettverk = Nettverk.objects.create(
            navn=f"Testnettverk {index}", slug=f"test-{index}", type="nettverk", geografi="nordisk"
        )
        Medlemskap.objects.create(nettverk=nettverk, aktoer=Aktoer.objects.first(), rolle="medlem", nivaa="politisk")
        for month in (3, 9):
            Deltagelse.objects.create(
                nettverk=nettverk,
                tittel=f"Møte {month}",
                start=datetime.date(YEAR, month, 1),
                nivaa="politisk" if month == 3 else "administrativ",
                status="rapportert",
                reported_at=timezone.now(),
                referat="Referat",
                created_by=koordinator,
            )
    with django_assert_num_queries(QUERIES):
        after = selectors.live_document(programme=programme, year=YEAR)
    assert len(after["content"]["nettverk"]) == len(before["content"]["nettverk"]) + 3
    assert [(d["politisk"], d["administrativ"], len(d["rapporter"])) for d in after["content"]["deltagelse"]] == [
        (1, 1, 2)
    ] * 3
    assert all_tiltak(after)["2.1.2"]["status"] == "fullfoert"
    json.dumps(after)  # plain data, storable as JSON


def test_status_at_year_end_and_the_years_statusmeldinger(programme, saksbehandler, koordinator):
    t212 = get_tiltak(programme, "2.1.2")
    report(t212, saksbehandler, datetime.date(YEAR - 1, 5, 1), "ikke_startet", "i_rute", "I fjor")
    report(t212, saksbehandler, datetime.date(YEAR, 3, 1), "paagaar", "risiko", "Tidlig i året", "Resultat A")
    report(t212, saksbehandler, datetime.date(YEAR, 9, 1), "paagaar", "i_rute", "Senere i året")
    report(
        t212,
        koordinator,
        datetime.date(YEAR, 10, 1),
        "avbrutt",
        "avvik",
        "Trukket",
        withdrawn_at=timezone.now(),
        withdrawn_by=koordinator,
        trukket_tilbake_begrunnelse="Feil.",
        intern_merknad="HEMMELIG",
    )
    report(t212, saksbehandler, datetime.date(YEAR + 1, 1, 5), "fullfoert", "i_rute", "Neste år")
    tiltak = all_tiltak(selectors.live_document(programme=programme, year=YEAR))["2.1.2"]
    assert (tiltak["status"], tiltak["vurdering"], tiltak["siste_dato"]) == ("paagaar", "i_rute", f"{YEAR}-09-01")
    assert [m["gjennomfoert"] for m in tiltak["statusmeldinger"]] == ["Tidlig i året", "Senere i året"]
    assert tiltak["statusmeldinger"][0]["resultater"] == "Resultat A"
    assert "intern_merknad" not in tiltak["statusmeldinger"][0]
    assert tiltak["ansvarlige"]


def test_key_figures_count_every_tiltak_per_area(programme, saksbehandler):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 3, 1), "fullfoert", "i_rute", "x")
    areas = selectors.live_document(programme=programme, year=YEAR)["content"]["omraader"]
    assert sum(sum(a["counts"]["status"].values()) for a in areas) == 45
    area2 = next(a for a in areas if a["nummer"] == 2)
    assert area2["counts"]["status"]["fullfoert"] == 1
    assert area2["counts"]["vurdering"]["i_rute"] == 1


def test_changes_from_the_previous_year_end_without_an_earlier_report(programme, saksbehandler):
    report(get_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(YEAR - 1, 5, 1), "paagaar", "i_rute", "a")
    report(get_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(YEAR, 5, 1), "fullfoert", "i_rute", "b")
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR - 1, 5, 1), "paagaar", "i_rute", "c")
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 5, 1), "avbrutt", "avvik", "d")
    report(get_tiltak(programme, "3.1.1"), saksbehandler, datetime.date(YEAR - 1, 5, 1), "paagaar", "i_rute", "e")
    report(get_tiltak(programme, "3.1.1"), saksbehandler, datetime.date(YEAR, 5, 1), "paagaar", "risiko", "f")
    changes = selectors.live_document(programme=programme, year=YEAR)["content"]["changes"]
    assert (changes["basis"], changes["since"]) == (content.BASIS_YEAR_END, YEAR - 1)
    assert [c["kode"] for c in changes["completed"]] == ["1.1.1"]
    assert [c["kode"] for c in changes["stopped"]] == ["2.1.2"]
    assert {c["kode"]: (c["fra"], c["til"]) for c in changes["status_changed"]} == {
        "1.1.1": ("paagaar", "fullfoert"),
        "2.1.2": ("paagaar", "avbrutt"),
    }
    assert {c["kode"] for c in changes["vurdering_changed"]} == {"2.1.2", "3.1.1"}
    assert changes["added"] == []


def test_changes_from_the_previous_approved_report(programme, saksbehandler, koordinator):
    report(get_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(YEAR - 1, 5, 1), "paagaar", "i_rute", "a")
    earlier = selectors.live_document(programme=programme, year=YEAR - 1)
    # The earlier report was approved when 1.1.1 was not started and 9.9.9 still existed.
    previous_tiltak = earlier["content"]["omraader"][0]["innsatsomraader"][0]["tiltak"]
    previous_tiltak[0]["status"] = "ikke_startet"
    previous_tiltak.append({"kode": "9.9.9", "tekst": "Fjernet", "status": "paagaar", "vurdering": "i_rute"})
    Aarsrapport.objects.create(
        handlingsprogram=programme,
        aar=YEAR - 1,
        status=Aarsrapport.Status.GODKJENT,
        approved_at=timezone.now(),
        frozen_content=earlier,
        pdf_sha256="0" * 64,
    )
    changes = selectors.live_document(programme=programme, year=YEAR)["content"]["changes"]
    assert (changes["basis"], changes["since"]) == (content.BASIS_REPORT, YEAR - 1)
    assert {c["kode"]: (c["fra"], c["til"]) for c in changes["status_changed"]} == {
        "1.1.1": ("ikke_startet", "paagaar")
    }
    assert [c["kode"] for c in changes["removed"]] == ["9.9.9"]


def test_compute_changes_added_only_against_a_report():
    current = {"1.1.1": {"status": "paagaar", "vurdering": "i_rute", "tekst": "Ny"}}
    assert content.compute_changes(current=current, previous={}, basis=content.BASIS_REPORT, since=2020)["added"]
    assert not content.compute_changes(current=current, previous={}, basis=content.BASIS_YEAR_END, since=2020)["added"]


def test_memberships_in_the_appendix_are_those_in_force_in_the_year(programme):
    from handlingsprogram.models import Aktoer
    from nettverk.models import Medlemskap, Nettverk

    nettverk = Nettverk.objects.create(navn="Periodenettverk", slug="periode", type="nettverk", geografi="nordisk")
    aktoer = Aktoer.objects.first()
    for fra, til, rolle in [
        (datetime.date(YEAR - 3, 1, 1), datetime.date(YEAR - 1, 12, 31), "eier"),
        (datetime.date(YEAR, 6, 1), None, "medlem"),
        (datetime.date(YEAR + 1, 1, 1), None, "styre"),
    ]:
        Medlemskap.objects.create(
            nettverk=nettverk, aktoer=aktoer, rolle=rolle, nivaa="politisk", start_date=fra, end_date=til
        )
    row = next(
        n
        for n in selectors.live_document(programme=programme, year=YEAR)["content"]["nettverk"]
        if n["navn"] == "Periodenettverk"
    )
    assert [m["rolle"] for m in row["medlemskap"]] == ["medlem"]


def test_the_pdf_reports_participation_per_network_with_the_report_backs(programme, koordinator):
    from nettverk.models import Deltagelse, Nettverk
    from rapportering import rendering

    from .conftest import pdf_text

    transport = Nettverk.objects.get(slug="nsc-transport")
    for nivaa, referat in [("politisk", "Korridoren ble utvidet."), ("administrativ", "Felles høringssvar.")]:
        Deltagelse.objects.create(
            nettverk=transport,
            tittel=f"Møte ({nivaa})",
            start=datetime.date(YEAR, 5, 1),
            nivaa=nivaa,
            status="rapportert",
            reported_at=timezone.now(),
            referat=referat,
            posisjoner="HEMMELIG-POSISJON",
            created_by=koordinator,
        )
    document = selectors.live_document(programme=programme, year=YEAR)
    text = pdf_text(rendering.render_pdf(document))
    assert "Deltagelse på internasjonale arenaer" in text
    assert "Nordsjøkommisjonen – arbeidsgruppe for transport 1 1" in text  # political, administrative
    assert "Korridoren ble utvidet." in text and "Felles høringssvar." in text
    assert "HEMMELIG-POSISJON" not in text


def test_reports_frozen_before_participation_existed_still_render(programme):
    from rapportering import rendering

    document = selectors.live_document(programme=programme, year=YEAR)
    del document["content"]["deltagelse"]  # what a report approved with schema 1 holds
    html = rendering.render_html(document)
    assert 'id="deltagelse"' not in html and 'id="endringer"' in html


def test_constant_number_of_queries_whatever_the_indicators_values_and_projects(
    programme, koordinator, django_assert_num_queries
):
    from handlingsprogram.models import Aktoer
    from resultater.models import Indikator, Valutakurs

    prosjekt(programme, start=datetime.date(YEAR, 2, 1), innvilget=100_000)
    with django_assert_num_queries(QUERIES):
        before = selectors.live_document(programme=programme, year=YEAR)["content"]

    for index in range(4):
        extra = Indikator.objects.create(
            tiltak=get_tiltak(programme, f"1.1.{index % 2 + 1}") if index % 2 else None,
            omraade=None if index % 2 else programme.omraader.get(nummer=index + 1),
            navn=f"Ekstra indikator {index}",
            maaleenhet="antall",
            basis_verdi=10,
            basis_aar=2019,
            basis_kilde="Test",
            maal_verdi=20 if index % 2 else None,
            maal_aar=2023 if index % 2 else None,
        )
        for aar in (2019, 2020, 2021, 2022):
            verdi(extra, aar, 10 + aar - 2019, koordinator)
    for name in (ERASMUS, ANDEL, VG2, RIS):
        verdi(indikator(programme, name), YEAR, 30, koordinator)
    Valutakurs.objects.create(aar=YEAR, valuta="EUR", kurs="10.5")
    for index, (programme_slug, valuta, codes) in enumerate(
        [
            ("erasmus-plus", "EUR", ("2.3.3",)),
            ("interreg-sverige-norge", "SEK", ("1.1.1", "3.1.1")),
            ("nordsjoprogrammet", "NOK", ("4.1.1", "4.2.1", "2.1.2")),
            ("horisont-2020", "EUR", ()),
            ("nora", "DKK", ("1.2.1",)),
        ]
    ):
        project = prosjekt(
            programme,
            finansieringsprogram=programme_slug,
            start=datetime.date(YEAR, index + 3, 1),
            innvilget=50_000 * (index + 1),
            valuta=valuta,
            tiltak=codes,
        )
        project.aktoerer.set(Aktoer.objects.all()[:3])
    with django_assert_num_queries(QUERIES):
        after = selectors.live_document(programme=programme, year=YEAR)["content"]

    assert len(after["resultater"]["indikatorer"]) == len(before["resultater"]["indikatorer"]) + 4
    assert after["resultater"]["aar"] == [2019, 2020, 2021]
    assert (before["finansiering"]["total_antall"], after["finansiering"]["total_antall"]) == (1, 6)
    assert len(after["finansiering"]["prosjekter"]) == 6
    assert after["finansiering"]["missing_rates"] == [{"aar": YEAR, "valuta": "DKK"}, {"aar": YEAR, "valuta": "SEK"}]
    json.dumps(after)


def test_results_show_baseline_values_up_to_the_year_target_and_development(programme, koordinator):
    from resultater.models import Indikator

    erasmus = indikator(programme, ERASMUS)
    Indikator.objects.filter(pk=erasmus.pk).update(maal_verdi=1_000_000, maal_aar=2023)
    verdi(erasmus, 2020, 900_000, koordinator)
    verdi(erasmus, 2021, "1050000.50", koordinator)
    verdi(erasmus, 2022, 2_000_000, koordinator)  # after the report's year: not in it
    verdi(indikator(programme, ANDEL), 2020, 21, koordinator)
    verdi(indikator(programme, VG2), 2019, 40, koordinator)
    verdi(indikator(programme, RIS), 2021, 17, koordinator)  # a ranking: lower is better

    resultater = selectors.live_document(programme=programme, year=YEAR)["content"]["resultater"]

    assert resultater["aar"] == [2019, 2020, 2021]  # the programme's years so far, and 2019 which has a value
    rows = {row["navn"]: row for row in resultater["indikatorer"]}
    assert [row["navn"] for row in resultater["indikatorer"]] == [VG2, ERASMUS, ANDEL, YRKESPRAKSIS, RIS]
    assert rows[ERASMUS] == {
        "navn": ERASMUS,
        "tiltak": "2.3.3",
        "omraade": None,
        "maaleenhet": "EUR",
        "retning": "hoeyere",
        "basis_verdi": "926000.00",
        "basis_aar": 2018,
        "basis_kilde": "Internasjonalt handlingsprogram 2020–2023, kap. 2.2 Utdanning og kompetanse",
        "maal_verdi": "1000000.00",
        "maal_aar": 2023,
        "verdier": [
            {"aar": 2019, "verdi": None},
            {"aar": 2020, "verdi": "900000.00"},
            {"aar": 2021, "verdi": "1050000.50"},
        ],
        "siste_aar": 2021,
        "siste_verdi": "1050000.50",
        "utvikling": content.BETTER,
        "maal_naadd": True,
    }
    assert (rows[ANDEL]["siste_aar"], rows[ANDEL]["utvikling"], rows[ANDEL]["maal_naadd"]) == (
        2020,
        content.UNCHANGED,
        None,
    )
    assert rows[RIS]["omraade"] == {"nummer": 3, "navn": programme.omraader.get(nummer=3).navn}
    assert (rows[RIS]["tiltak"], rows[RIS]["retning"], rows[RIS]["utvikling"]) == (None, "lavere", content.WORSE)
    assert (rows[VG2]["utvikling"], rows[VG2]["verdier"][0]) == (content.BETTER, {"aar": 2019, "verdi": "40.00"})
    assert (rows[YRKESPRAKSIS]["siste_verdi"], rows[YRKESPRAKSIS]["utvikling"]) == (None, None)


def test_funding_counts_the_years_funded_projects_and_names_missing_exchange_rates(programme):
    from handlingsprogram.models import Aktoer
    from resultater.models import Valutakurs

    Valutakurs.objects.create(aar=YEAR, valuta="EUR", kurs="10.1")
    Valutakurs.objects.create(aar=YEAR - 1, valuta="SEK", kurs="0.95")  # another year's rate does not count
    erasmus = prosjekt(
        programme,
        start=datetime.date(YEAR, 3, 1),
        innvilget=100_000,
        valuta="EUR",
        tiltak=("2.3.3",),
        akronym="MOBIL",
        navn="Mobilitet i yrkesfag",
        utlysning="KA1",
        rolle="koordinator",
    )
    prosjekt(
        programme,
        finansieringsprogram="interreg-sverige-norge",
        start=datetime.date(YEAR, 6, 1),
        innvilget=500_000,
        status="avsluttet",
        tiltak=("1.1.1", "2.1.2"),
    )
    prosjekt(
        programme,
        finansieringsprogram="interreg-sverige-norge",
        start=datetime.date(YEAR, 9, 1),
        innvilget=200_000,
        valuta="SEK",
    )
    prosjekt(programme, start=datetime.date(YEAR, 4, 1), innvilget=1_000, status="soekt")  # not funded
    prosjekt(programme, start=datetime.date(YEAR, 4, 1), innvilget=1_000, status="avslaatt")
    prosjekt(programme, start=datetime.date(YEAR - 1, 4, 1), innvilget=1_000)  # an earlier year
    erasmus.aktoerer.set([Aktoer.objects.get(slug="trondelag-fylkeskommune")])

    finansiering = selectors.live_document(programme=programme, year=YEAR)["content"]["finansiering"]

    assert (finansiering["total_antall"], finansiering["total_nok"], finansiering["uten_kurs"]) == (
        3,
        "1510000.00",
        1,
    )
    assert finansiering["missing_rates"] == [{"aar": YEAR, "valuta": "SEK"}]
    assert finansiering["by_programme"] == [
        {"label": "Erasmus+", "antall": 1, "sum_nok": "1010000.00", "uten_kurs": 0},
        {"label": "Interreg – Interreg Sverige-Norge", "antall": 2, "sum_nok": "500000.00", "uten_kurs": 1},
    ]
    # 1.1.1 and 2.1.2: the Interreg project counts in both areas; the one linked to no tiltak in none.
    assert [(row["nummer"], row["antall"], row["sum_nok"]) for row in finansiering["by_area"]] == [
        (1, 1, "500000.00"),
        (2, 2, "1510000.00"),
        (3, 0, "0.00"),
        (4, 0, "0.00"),
    ]
    first, second, third = finansiering["prosjekter"]
    assert first == {
        "akronym": "MOBIL",
        "navn": "Mobilitet i yrkesfag",
        "finansieringsprogram": "Erasmus+",
        "utlysning": "KA1",
        "rolle": "koordinator",
        "aktoerer": ["Trøndelag fylkeskommune"],
        "tiltak": ["2.3.3"],
        "status": "innvilget",
        "startdato": f"{YEAR}-03-01",
        "sluttdato": (datetime.date(YEAR, 3, 1) + datetime.timedelta(days=700)).isoformat(),
        "innvilget": "100000.00",
        "valuta": "EUR",
        "innvilget_nok": "1010000.00",
    }
    assert (second["finansieringsprogram"], second["tiltak"], second["innvilget_nok"]) == (
        "Interreg – Interreg Sverige-Norge",
        ["1.1.1", "2.1.2"],
        "500000.00",
    )
    assert (third["valuta"], third["innvilget"], third["innvilget_nok"]) == ("SEK", "200000.00", None)


def test_the_pdf_has_the_results_and_the_funding_with_the_missing_rates_stated(programme, koordinator):
    from django.utils.translation import gettext, ngettext

    from rapportering import rendering
    from resultater.models import Valutakurs

    verdi(indikator(programme, ERASMUS), YEAR, 1_050_000, koordinator)
    Valutakurs.objects.create(aar=YEAR, valuta="EUR", kurs="10.1")
    prosjekt(
        programme, start=datetime.date(YEAR, 3, 1), innvilget=100_000, valuta="EUR", akronym="MOBIL", tiltak=("2.3.3",)
    )
    prosjekt(programme, start=datetime.date(YEAR, 5, 1), innvilget=200_000, valuta="SEK", tiltak=("2.3.3",))
    prosjekt(programme, start=datetime.date(YEAR, 6, 1), innvilget=300_000, valuta="DKK")

    document = selectors.live_document(programme=programme, year=YEAR)
    html = rendering.render_html(document, for_pdf=True)
    text = pdf_text(rendering.render_pdf(document))

    assert gettext("Results") in text
    assert gettext("International projects and funding") in text
    assert "926 000" in text and "1 050 000" in text  # the Erasmus+ baseline and its value for the year
    assert "MOBIL" in text and "1 010 000" in text  # 100 000 EUR at 10.1
    missing = ngettext(
        "%(counter)s project lacks an exchange rate for %(rates)s: its grant is not included in the NOK sums.",
        "%(counter)s projects lack an exchange rate for %(rates)s: their grants are not included in the NOK sums.",
        2,
    ) % {"counter": 2, "rates": f"DKK {YEAR}, SEK {YEAR}"}
    assert missing in html
    assert _squash(missing) in _squash(text)
    assert 'id="report-funding-programme-title"' in html and 'id="report-funding-area-title"' in html


def _squash(value: str) -> str:
    return re.sub(r"[\s\-\u00ad\u2010]", "", value)


def test_a_year_without_indicators_values_or_projects_says_so(programme):
    from rapportering import rendering

    document = selectors.live_document(programme=programme, year=YEAR)
    assert document["content"]["finansiering"]["prosjekter"] == []
    html = rendering.render_html(document)
    assert 'id="resultater"' in html and 'id="finansiering"' in html
    assert 'id="finansiering-prosjekter"' not in html
    assert 'id="report-funding-programme-title"' not in html


def _old_schema(document: dict, version: int) -> dict:
    old = json.loads(json.dumps(document))
    old["content"]["schema"] = version
    del old["content"]["resultater"], old["content"]["finansiering"], old["content"]["labels"]
    del old["content"]["categories"]
    if version < 2:
        del old["content"]["deltagelse"]
    return old


@pytest.mark.parametrize("version", [1, 2])
def test_reports_frozen_before_results_and_funding_existed_still_render(programme, koordinator, client, version):
    from django.urls import reverse
    from django.utils.translation import gettext

    from rapportering import rendering

    prosjekt(programme, start=datetime.date(YEAR, 3, 1), innvilget=100_000)
    old = _old_schema(selectors.live_document(programme=programme, year=YEAR), version)
    aarsrapport = Aarsrapport.objects.create(
        handlingsprogram=programme,
        aar=YEAR,
        status=Aarsrapport.Status.GODKJENT,
        approved_at=timezone.now(),
        frozen_content=old,
        pdf_sha256="0" * 64,
    )
    client.force_login(koordinator)
    response = client.get(reverse("rapportering:preview", kwargs={"pk": aarsrapport.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="resultater"' not in html and 'id="finansiering"' not in html
    assert 'href="#resultater"' not in html and 'href="#finansiering"' not in html
    assert ('id="deltagelse"' in html) == (version == 2)
    assert 'id="endringer"' in html
    text = pdf_text(rendering.render_pdf(selectors.report_document(aarsrapport=aarsrapport)))
    assert gettext("What has changed") in text
    assert gettext("International projects and funding") not in text


def test_the_content_marks_inferred_actors_and_levels(programme):
    from rapportering.content import build_content

    content = build_content(programme=programme, year=2021)
    tiltak = {t["kode"]: t for a in content["omraader"] for i in a["innsatsomraader"] for t in i["tiltak"]}
    assert {a["utledet"] for a in tiltak["4.1.1"]["ansvar"]} == {False}  # «Trøndelag fylkeskommune skal …»
    assert {a["utledet"] for a in tiltak["2.2.1"]["ansvar"]} == {True}
    levels = {
        (n["navn"], m["aktoer"], m["nivaa"]): m["nivaa_utledet"] for n in content["nettverk"] for m in n["medlemskap"]
    }
    assert levels[("Naboer AB", "Trøndelag fylkeskommune", "politisk")] is False
    assert levels[("Europapolitisk forum", "Trøndelag fylkeskommune", "politisk")] is True
