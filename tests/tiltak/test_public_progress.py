"""The public progress on the front page, the area pages and each tiltak's page (issue 17, "See progress without
logging in"): counts per status and assessment as a chart and a table, the latest statusmeldinger with public
fields only, "last updated", demo content marked, drafts hidden, and a query count that does not grow."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import Aktoer
from tests.test_url_roles import _draft
from tiltak.models import Ansvar, Statusmelding, Tiltak

SECRET = "HEMMELIG-INTERN-MERKNAD"


def _tiltak(programme, code: str) -> Tiltak:
    omraade, innsats, nummer = (int(part) for part in code.split("."))
    return Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(
        innsatsomraade__omraade__handlingsprogram=programme,
        innsatsomraade__omraade__nummer=omraade,
        innsatsomraade__nummer=innsats,
        nummer=nummer,
    )


def _melding(tiltak, author, date, status="paagaar", vurdering="i_rute", **extra) -> Statusmelding:
    return Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date=date,
        status=status,
        vurdering=vurdering,
        gjennomfoert=extra.pop("gjennomfoert", f"Gjort på {tiltak.kode} {date:%d.%m.%Y}."),
        **extra,
    )


def _cell(html: str, table_id: str, area: int, category: str) -> int:
    """The number in a table's cell for one area and category."""
    table = html[html.index(f'id="{table_id}"') :]
    table = table[: table.index("</table>")]
    match = re.search(rf'data-area="{area}" data-category="{category}">(\d+)<', table)
    assert match, (table_id, area, category)
    return int(match.group(1))


def test_front_page_counts_each_area_per_status_and_assessment(client, programme, saksbehandler):
    _melding(_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2021, 3, 1), "paagaar", "i_rute")
    _melding(_tiltak(programme, "2.1.1"), saksbehandler, datetime.date(2021, 4, 1), "fullfoert", "i_rute")
    _melding(_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(2021, 5, 1), "utsatt", "risiko")
    html = client.get(reverse("tiltak:overview")).content.decode()
    area_2 = Tiltak.objects.filter(
        innsatsomraade__omraade__handlingsprogram=programme, innsatsomraade__omraade__nummer=2
    )
    assert _cell(html, "progress-table-status", 2, "paagaar") == 1
    assert _cell(html, "progress-table-status", 2, "fullfoert") == 1
    assert _cell(html, "progress-table-status", 2, "ingen") == area_2.count() - 2
    assert _cell(html, "progress-table-status", 1, "utsatt") == 1
    assert _cell(html, "progress-table-status", 1, "paagaar") == 0
    assert _cell(html, "progress-table-vurdering", 2, "i_rute") == 2
    assert _cell(html, "progress-table-vurdering", 1, "risiko") == 1
    # The chart draws the same numbers, and says them in its text alternative.
    assert 'data-area="2" data-category="paagaar" data-count="1"' in html
    assert '<title id="progress-status-title">' in html
    assert '<desc id="progress-status-desc">' in html
    # Drawn narrow, so that it scales down to a phone without its text shrinking to nothing.
    assert 'viewBox="0 0 360 ' in html
    assert "chart-figure--fluid" in html


def test_area_page_counts_only_its_own_area(client, programme, saksbehandler):
    _melding(_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2021, 3, 1), "paagaar", "i_rute")
    _melding(_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(2021, 5, 1), "utsatt", "risiko")
    area = programme.omraader.get(nummer=2)
    html = client.get(area.get_absolute_url()).content.decode()
    assert _cell(html, "progress-area-table-status", 2, "paagaar") == 1
    assert 'data-area="1"' not in html  # no row for another area
    assert "Gjort på 2.1.2 01.03.2021." in html
    assert "Gjort på 1.1.1" not in html
    assert 'datetime="2021-03-01">01.03.2021</time>' in html


def test_last_updated_is_the_date_of_the_newest_status_report(client, programme, saksbehandler):
    _melding(_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2022, 5, 10))
    _melding(_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(2021, 1, 4))
    html = client.get(reverse("tiltak:overview")).content.decode()
    last = html[html.index('id="progress-last-updated"') :]
    last = last[: last.index("</p>")]
    assert 'Sist oppdatert: <time datetime="2022-05-10">10.05.2022</time>' in last
    assert "data-demo" not in last


def test_no_status_reports_yet_says_so(client, programme):
    html = client.get(reverse("tiltak:overview")).content.decode()
    last = html[html.index('id="progress-last-updated"') :]
    assert last[: last.index("</p>")].endswith("Ingen statusmeldinger ennå.")
    total = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).count()
    assert sum(_cell(html, "progress-table-status", n, "ingen") for n in range(1, 5)) == total


def test_public_pages_never_show_an_internal_remark_or_withdrawal_reason(client, programme, statusmelding, koordinator):
    withdrawn = _melding(
        _tiltak(programme, "1.1.1"),
        statusmelding.author,
        datetime.date(2021, 6, 1),
        gjennomfoert="TRUKKET-MELDING",
        intern_merknad="ANNEN-INTERN-MERKNAD",
        withdrawn_at=timezone.now(),
        withdrawn_by=koordinator,
        trukket_tilbake_begrunnelse="HEMMELIG-BEGRUNNELSE",
    )
    urls = [
        reverse("tiltak:overview"),
        programme.get_absolute_url(),
        statusmelding.tiltak.innsatsomraade.omraade.get_absolute_url(),
        withdrawn.tiltak.innsatsomraade.omraade.get_absolute_url(),
        statusmelding.tiltak.get_absolute_url(),
        withdrawn.tiltak.get_absolute_url(),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert SECRET not in html, url
        assert "ANNEN-INTERN-MERKNAD" not in html, url
        assert "HEMMELIG-BEGRUNNELSE" not in html, url
    front = client.get(reverse("tiltak:overview")).content.decode()
    assert statusmelding.gjennomfoert in front  # the public text is there
    assert "TRUKKET-MELDING" not in front  # a withdrawn report is not among the latest
    # Staff who may read internal remarks still see them on the tiltak page (the test above can fail).
    client.force_login(koordinator)
    assert SECRET in client.get(statusmelding.tiltak.get_absolute_url()).content.decode()


def test_demo_content_is_marked_where_it_shows(client, programme, saksbehandler):
    _melding(_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2021, 3, 1), demo=True, gjennomfoert="(Demo) x")
    _melding(_tiltak(programme, "1.1.1"), saksbehandler, datetime.date(2020, 3, 1))
    html = client.get(reverse("tiltak:overview")).content.decode()
    last = html[html.index('id="progress-last-updated"') :]
    assert "data-demo" in last[: last.index("</p>")]  # the newest is a demo report
    demo = html[html.index('id="progress-demo"') :]
    assert "1 av tiltakene som telles, har status fra en oppdiktet demo-statusmelding." in demo[: demo.index("</p>")]
    latest = html[html.index('id="progress-latest"') :]
    items = latest[: latest.index("</ul>")].split("<li>")[1:]
    assert "data-demo" in items[0] and "2.1.2" in items[0]
    assert "data-demo" not in items[1] and "1.1.1" in items[1]


def test_no_demo_note_without_demo_content(client, programme, statusmelding):
    html = client.get(reverse("tiltak:overview")).content.decode()
    assert 'id="progress-demo"' not in html
    assert "data-demo" not in html


def test_tiltak_page_shows_current_status_and_assessment_to_anonymous(client, programme, saksbehandler):
    tiltak = _tiltak(programme, "2.1.2")
    _melding(tiltak, saksbehandler, datetime.date(2021, 3, 1), "paagaar", "i_rute")
    _melding(tiltak, saksbehandler, datetime.date(2022, 3, 1), "utsatt", "avvik", demo=True)
    html = client.get(tiltak.get_absolute_url()).content.decode()
    current = html[html.index("Nåværende status") :]
    current = current[: current.index("</dd>")]
    assert "Utsatt" in current and "Avvik" in current
    assert "data-demo" in current  # from a demo report, and says so


def test_a_draft_successor_never_shows_to_anonymous(client, programme, koordinator, saksbehandler):
    draft = _draft(programme)
    draft_tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft).first()
    _melding(draft_tiltak, saksbehandler, datetime.date(2024, 3, 1), gjennomfoert="UTKAST-MELDING")
    html = client.get(reverse("tiltak:overview")).content.decode()
    assert "UTKAST-MELDING" not in html
    assert draft.navn not in html
    assert client.get(draft.omraader.first().get_absolute_url()).status_code == 404
    assert client.get(draft_tiltak.get_absolute_url()).status_code == 404
    # The coordinator sees the draft's area with its progress (so the 404 above is about visibility).
    client.force_login(koordinator)
    assert (
        "UTKAST-MELDING"
        in client.get(
            draft.omraader.get(nummer=draft_tiltak.innsatsomraade.omraade.nummer).get_absolute_url()
        ).content.decode()
    )


def _add_rows(programme, author):
    """Three more tiltak per innsatsområde, each with statusmeldinger (one demo, one withdrawn)."""
    aktoer = Aktoer.objects.get(slug="trondelag-fylkeskommune")
    for omraade in programme.omraader.all():
        for innsats in omraade.innsatsomraader.all():
            start = innsats.tiltak.count() + 1
            for nummer in range(start, start + 3):
                tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=nummer, tekst=f"Ekstra {nummer}")
                Ansvar.objects.create(tiltak=tiltak, aktoer=aktoer)
                _melding(tiltak, author, datetime.date(2021, 2, nummer), "paagaar", "risiko")
                _melding(tiltak, author, datetime.date(2021, 3, nummer), "fullfoert", "i_rute", demo=True)
                _melding(
                    tiltak,
                    author,
                    datetime.date(2021, 4, nummer),
                    withdrawn_at=timezone.now(),
                    withdrawn_by=author,
                    trukket_tilbake_begrunnelse="Feil tiltak.",
                )


@pytest.mark.parametrize("page", ["front", "area"])
def test_progress_queries_do_not_grow_with_tiltak_and_status_reports(
    client, programme, saksbehandler, django_assert_num_queries, page
):
    _melding(_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2021, 3, 1))
    url = reverse("tiltak:overview") if page == "front" else programme.omraader.get(nummer=2).get_absolute_url()
    # As tests/tiltak/test_programme_views.py counts them, + 1 for the demo banner finding demo rows (no early out).
    expected = 11 if page == "front" else 16  # the area page reads the area alone first, for its heading
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _add_rows(programme, saksbehandler)
    with django_assert_num_queries(expected):
        html = client.get(url).content.decode()
    assert "data-demo" in html  # the added rows were there to be counted
