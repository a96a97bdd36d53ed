"""The status dashboard: access, the chart and the table agree, withdrawn reports do not count, the year
selector, the unreported list, the latest reports, and a query count independent of the number of rows."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import Aktoer, Enhet, Innsatsomraade
from tiltak import charts
from tiltak.models import Ansvar, Statusmelding, Tiltak

URL = reverse("portal:dashboard")
SECRET = "HEMMELIG-INTERN-MERKNAD-OVERSIKT"


def get_tiltak(programme, code: str) -> Tiltak:
    return Tiltak.objects.by_code(programme, code).select_related("innsatsomraade__omraade__handlingsprogram").get()


def report(tiltak, author, date, status, vurdering, *, withdrawn_by=None, **extra) -> Statusmelding:
    fields = {"intern_merknad": SECRET} | extra
    if withdrawn_by is not None:
        fields |= {
            "withdrawn_at": timezone.now(),
            "withdrawn_by": withdrawn_by,
            "trukket_tilbake_begrunnelse": "Feil tiltak.",
        }
    return Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date=date,
        status=status,
        vurdering=vurdering,
        gjennomfoert=extra.pop("gjennomfoert", f"Arbeid på {tiltak.kode}."),
        **{k: v for k, v in fields.items() if k != "gjennomfoert"},
    )


@pytest.fixture
def reports(programme, saksbehandler, koordinator):
    return make_reports(programme, saksbehandler, koordinator)


def make_reports(programme, saksbehandler, koordinator) -> dict[str, Statusmelding]:
    """A small history. At the end of 2021:
    1.1.1 utsatt/risiko (reported 2021); 2.1.2 fullfoert/i_rute (two reports in 2021, the later one counts);
    2.2.1 ikke_startet/risiko (reported in 2020 only); 4.1.1 has only a withdrawn report (counts as none);
    3.1.1 is first reported in 2022."""
    S, V = Statusmelding.Status, Statusmelding.Vurdering
    d = datetime.date
    return {
        "111": report(get_tiltak(programme, "1.1.1"), saksbehandler, d(2021, 5, 1), S.UTSATT, V.RISIKO),
        "212a": report(get_tiltak(programme, "2.1.2"), saksbehandler, d(2021, 3, 1), S.PAAGAAR, V.I_RUTE),
        "212b": report(get_tiltak(programme, "2.1.2"), saksbehandler, d(2021, 9, 1), S.FULLFOERT, V.I_RUTE),
        "221": report(get_tiltak(programme, "2.2.1"), saksbehandler, d(2020, 2, 1), S.IKKE_STARTET, V.RISIKO),
        "411": report(
            get_tiltak(programme, "4.1.1"), koordinator, d(2021, 6, 1), S.AVBRUTT, V.AVVIK, withdrawn_by=koordinator
        ),
        "311": report(get_tiltak(programme, "3.1.1"), koordinator, d(2022, 2, 1), S.PAAGAAR, V.RISIKO),
    }


def svg_counts(html: str, chart_id: str) -> dict[tuple[int, str], int]:
    svg = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title[^>]*>(.*?)</svg>', html, re.S).group(1)
    return {
        (int(area), category): int(count)
        for area, category, count in re.findall(r'data-area="(\d+)" data-category="(\w+)" data-count="(\d+)"', svg)
    }


def table_counts(html: str, table_id: str) -> dict[tuple[int, str], int]:
    table = re.search(rf'<table[^>]*id="{table_id}"[^>]*>(.*?)</table>', html, re.S).group(1)
    return {
        (int(area), category): int(count)
        for area, category, count in re.findall(r'data-area="(\d+)" data-category="(\w+)">(\d+)<', table)
    }


@pytest.mark.parametrize("role", ["leser", "saksbehandler", "koordinator"])
def test_every_logged_in_role_sees_the_dashboard(client, request, programme, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert "<h1" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, programme):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("konto:login"))


def test_no_programme_shows_a_message(client, leser, monkeypatch):
    monkeypatch.setattr("portal.views.programme_selectors.programme_current", lambda: None)
    client.force_login(leser)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ingen handlingsprogram er lastet inn ennå." in response.content.decode()


def test_chart_and_table_show_the_same_numbers(client, leser, programme, reports):
    client.force_login(leser)
    response = client.get(URL, {"aar": "2021"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["year"] == 2021

    expected_status = {
        (1, "utsatt"): 1,
        (1, "ingen"): 7,
        (2, "fullfoert"): 1,
        (2, "ikke_startet"): 1,
        (2, "ingen"): 11,
        (3, "ingen"): 10,
        (4, "ingen"): 14,  # the withdrawn report on 4.1.1 does not count
    }
    expected_vurdering = {
        (1, "risiko"): 1,
        (1, "ingen"): 7,
        (2, "i_rute"): 1,
        (2, "risiko"): 1,
        (2, "ingen"): 11,
        (3, "ingen"): 10,
        (4, "ingen"): 14,
    }
    for chart_id, table_id, expected in (
        ("chart-status", "table-status", expected_status),
        ("chart-vurdering", "table-vurdering", expected_vurdering),
    ):
        in_chart = svg_counts(html, chart_id)
        in_table = table_counts(html, table_id)
        assert in_chart == expected
        assert {key: count for key, count in in_table.items() if count} == expected
        assert len(in_table) == 4 * (6 if chart_id == "chart-status" else 4)  # every cell, zeros included

    status = response.context["status"]
    assert [area.total for area in status.areas] == [8, 13, 10, 14]
    assert status.total == 45


def test_the_chart_is_accessible_and_csp_safe(client, leser, programme, reports):
    client.force_login(leser)
    html = client.get(URL, {"aar": "2021"}).content.decode()
    for chart_id in ("chart-status", "chart-vurdering"):
        svg = re.search(rf'<svg[^>]*aria-labelledby="{chart_id}-title {chart_id}-desc"[^>]*>', html).group(0)
        assert 'role="img"' in svg
        assert f'<title id="{chart_id}-title">' in html
        assert f'<desc id="{chart_id}-desc">' in html
    assert "style=" not in html
    assert "<style" not in html
    assert "css/charts.css" in html
    # Every category in the legend has a visible text label, not only a colour.
    for category in charts.status_categories():
        assert f'dominant-baseline="central">{category.label}</text>' in html
    # A coordinate is never written with a decimal comma, whatever the locale.
    assert not re.search(r'(x|y|width)="\d+,\d+"', html)


def test_later_year_and_invalid_years(client, leser, programme, reports):
    client.force_login(leser)
    response = client.get(URL, {"aar": "2022"})
    assert ("3. Nærings- og samfunnsutvikling", (0, 1, 0, 0, 0, 9)) in [
        (area.label, area.counts) for area in response.context["status"].areas
    ]
    for bad in ("abc", "1999", "2024", "", "2021.5", "9" * 30):
        response = client.get(URL, {"aar": bad})
        assert response.status_code == 200
        assert response.context["year"] == 2023  # the programme ended in 2023: its reporting year now
        if bad:
            assert "aar" in response.context["form"].errors
            assert response.context["form"].errors["aar"] == ["Velg et år i programperioden 2020–2023."]
            html = response.content.decode()
            assert 'aria-invalid="true"' in html
            assert '<option value="2023" selected>' in html


def test_unreported_list_and_latest_reports(client, leser, programme, reports):
    client.force_login(leser)
    response = client.get(URL, {"aar": "2021"})
    page = response.context["unreported_page"]
    unreported = {t.kode for t in page.object_list}
    assert {"1.1.1", "2.1.2"}.isdisjoint(unreported)
    assert {"2.2.1", "4.1.1", "3.1.1"} <= unreported
    assert len(unreported) == 43 == page.paginator.count  # one page: no page links
    html = response.content.decode()
    assert get_tiltak(programme, "4.1.1").get_absolute_url() in html
    assert "Avdeling for utdanning" in html  # who is responsible for 2.2.1

    latest = response.context["latest"]
    assert len(latest) == 5
    assert latest[0] == reports["311"]  # newest first, by when it was written
    assert reports["411"] not in latest  # withdrawn: it no longer counts, so it is not listed
    table = re.search(r'<table[^>]*id="table-latest".*?</table>', html, re.S).group(0)
    assert f"#statusmelding-{reports['411'].pk}" not in table and "01.06.2021" not in table
    assert SECRET not in html


def test_the_latest_reports_show_a_correction_instead_of_what_it_corrects(client, leser, koordinator, reports):
    from tiltak.services import statusmelding_create

    client.force_login(leser)
    before = table_counts(client.get(URL, {"aar": "2021"}).content.decode(), "table-vurdering")
    corrected = reports["111"]
    correction = statusmelding_create(
        tiltak=corrected.tiltak,
        user=koordinator,
        date=corrected.date,
        status=corrected.status,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert=corrected.gjennomfoert,
        korrigerer=corrected,
    )
    response = client.get(URL, {"aar": "2021"})
    assert correction in response.context["latest"] and corrected not in response.context["latest"]
    # 1.1.1 is assessed as the correction says, and counted once.
    after = table_counts(response.content.decode(), "table-vurdering")
    assert after[(1, "i_rute")] == before[(1, "i_rute")] + 1
    assert after[(1, "risiko")] == before[(1, "risiko")] - 1


def test_only_ten_latest_reports(client, leser, programme, saksbehandler):
    tiltak = get_tiltak(programme, "2.1.2")
    for day in range(1, 13):
        report(tiltak, saksbehandler, datetime.date(2022, 1, day), "paagaar", "i_rute")
    client.force_login(leser)
    assert len(client.get(URL).context["latest"]) == 10


def add_rows(programme, author, withdrawer, per_area: int = 3) -> int:
    """≥3 more tiltak per innsatsområde, each with Ansvar and several statusmeldinger (one withdrawn)."""
    aktoer = Aktoer.objects.get(slug="trondelag-fylkeskommune")
    enhet = Enhet.objects.filter(aktoer=aktoer).first()
    other = Aktoer.objects.exclude(pk=aktoer.pk).first()
    added = 0
    for innsatsomraade in Innsatsomraade.objects.filter(omraade__handlingsprogram=programme):
        for nummer in range(60, 60 + per_area):
            tiltak = Tiltak.objects.create(innsatsomraade=innsatsomraade, nummer=nummer, tekst=f"Ekstra {nummer}")
            Ansvar.objects.create(tiltak=tiltak, aktoer=aktoer, enhet=enhet)
            Ansvar.objects.create(tiltak=tiltak, aktoer=other, rolle=Ansvar.Rolle.BIDRAGSYTER)
            report(tiltak, author, datetime.date(2021, 2, 1), "paagaar", "i_rute")
            report(tiltak, author, datetime.date(2022, 2, 1), "fullfoert", "risiko")
            report(tiltak, author, datetime.date(2022, 3, 1), "avbrutt", "avvik", withdrawn_by=withdrawer)
            added += 1
    return added


def test_query_count_does_not_depend_on_rows(
    client, leser, programme, reports, saksbehandler, koordinator, django_assert_num_queries
):
    client.force_login(leser)
    client.get(URL)  # warm up whatever is cached per process (content types, translations)
    # The eighth counts the overdue report-backs (none: no page); + demo; + the open reporting rounds (none here;
    # one query more per open round, tests/tiltak/test_oppfoelging.py) and the header's unread count.
    with django_assert_num_queries(12):
        assert client.get(URL, {"aar": "2022"}).status_code == 200
    assert add_rows(programme, saksbehandler, koordinator) >= 3 * 14
    # The eighth counts the overdue report-backs (none: no page); + demo; + the open reporting rounds (none here;
    # one query more per open round, tests/tiltak/test_oppfoelging.py) and the header's unread count.
    with django_assert_num_queries(12):
        response = client.get(URL, {"aar": "2022"})
    assert response.context["status"].total == 45 + 3 * 14
    assert len(response.context["latest"]) == 10


def test_latest_statusmeldinger_belong_to_the_programme_even_when_another_wrote_more_lately(
    programme, saksbehandler, koordinator
):
    from handlingsprogram.models import Handlingsprogram, PrioritertOmraade
    from tiltak.selectors import latest_statusmeldinger

    ours = [
        report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2022, 1, day), "paagaar", "i_rute")
        for day in (1, 2)
    ]
    other = Handlingsprogram.objects.create(navn="Neste program", slug="neste", start_year=2024, end_year=2027)
    omraade = PrioritertOmraade.objects.create(handlingsprogram=other, nummer=1, navn="Område", slug="omraade")
    innsats = Innsatsomraade.objects.create(omraade=omraade, nummer=1, navn="Innsats")
    tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=1, tekst="Et tiltak i neste program.")
    for day in range(1, 13):  # more than the fast path's window (5 × limit) written after ours
        report(tiltak, koordinator, datetime.date(2024, 1, day), "paagaar", "i_rute")

    assert [s.pk for s in latest_statusmeldinger(programme=programme, limit=2)] == [ours[1].pk, ours[0].pk]
    assert len(latest_statusmeldinger(programme=other, limit=2)) == 2


def test_the_unreported_list_comes_in_pages_of_its_own(client, leser, programme, reports, saksbehandler, koordinator):
    """Past 50 measures the "Not reported" list is paged by ?side_urapportert=, in code order, keeping the year;
    the count covers every one, and the meetings' list keeps its own ?side=."""
    add_rows(programme, saksbehandler, koordinator, per_area=2)  # 28 more, reported in 2021 and 2022 only
    client.force_login(leser)
    first = client.get(URL, {"aar": "2023"})
    page = first.context["unreported_page"]
    expected = sorted(
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
            "innsatsomraade__omraade"
        ),
        key=lambda t: (t.innsatsomraade.omraade.nummer, t.innsatsomraade.nummer, t.nummer),
    )
    reported_2023 = set(
        Statusmelding.objects.valid().filter(date__year=2023, tiltak__in=expected).values_list("tiltak", flat=True)
    )
    expected = [t.kode for t in expected if t.pk not in reported_2023]
    assert page.paginator.count == len(expected) > 50
    assert [t.kode for t in page.object_list] == expected[:50]
    html = first.content.decode()
    assert f"{len(expected)} tiltak mangler statusmelding datert i 2023." in html
    assert "Viser 1–50 av" in html
    assert 'href="?aar=2023&amp;side_urapportert=2#unreported-heading"' in html
    second = client.get(URL, {"aar": "2023", "side_urapportert": "2", "side": "1"})
    assert [t.kode for t in second.context["unreported_page"].object_list] == expected[50:]
    assert second.context["overdue_page"].number == 1
    # A page that is not a number, or past the end, still shows the list.
    assert client.get(URL, {"side_urapportert": "x"}).context["unreported_page"].number == 1
    assert client.get(URL, {"aar": "2023", "side_urapportert": "99"}).context["unreported_page"].number == 2
