"""The report's data: one JSON-serialisable structure, built in a fixed number of queries, with what changed
computed from the previous approved report or from the year before."""

import datetime
import json

import pytest
from django.utils import timezone

from rapportering import content, selectors
from rapportering.models import Aarsrapport

from .conftest import YEAR, get_tiltak, report

pytestmark = pytest.mark.django_db

# programme areas + SDGs + innsatsområder + tiltak + ansvar (5), status per tiltak (1), statusmeldinger of the
# year (1), status counts (status_overview: tiltak, unreported tiltak + their ansvar: 3), the previous approved
# report (1), the previous year's status (1), participation in the year (1), networks + memberships (2).
QUERIES = 15


def all_tiltak(document):
    return {t["kode"]: t for a in document["content"]["omraader"] for i in a["innsatsomraader"] for t in i["tiltak"]}


def test_constant_number_of_queries(programme, saksbehandler, koordinator, django_assert_num_queries):
    from handlingsprogram.models import Aktoer
    from nettverk.models import Deltagelse, Medlemskap, Nettverk

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
                rapportert_at=timezone.now(),
                referat="Referat",
                registrert_av=koordinator,
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
        trukket_tilbake=timezone.now(),
        trukket_tilbake_av=koordinator,
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
            nettverk=nettverk, aktoer=aktoer, rolle=rolle, nivaa="politisk", fra_dato=fra, til_dato=til
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
            rapportert_at=timezone.now(),
            referat=referat,
            posisjoner="HEMMELIG-POSISJON",
            registrert_av=koordinator,
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
