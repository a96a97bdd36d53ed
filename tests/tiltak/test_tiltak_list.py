"""The filtered tiltak list: access, every filter, free-text search, bad input, export links, query count."""

import datetime
import html as html_module
import re

import pytest
from django.urls import reverse

from handlingsprogram.models import Aktoer, Baerekraftsmaal, Innsatsomraade
from tests.portal.test_dashboard import SECRET, add_rows, get_tiltak, make_reports, report
from tiltak.models import Ansvar, Statusmelding
from tiltak.services import current_status_refresh

URL = reverse("tiltak:list")
ALL = 45


def codes(response) -> set[str]:
    assert response.status_code == 200
    return {t.kode for t in response.context["tiltak_list"]}


@pytest.fixture
def reports(programme, saksbehandler, koordinator):
    return make_reports(programme, saksbehandler, koordinator)


@pytest.fixture
def reader_client(client, leser):
    client.force_login(leser)
    return client


@pytest.mark.parametrize("role", ["leser", "saksbehandler", "koordinator"])
def test_every_logged_in_role_sees_the_list(client, request, programme, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["tiltak_list"]) == ALL


def test_anonymous_is_sent_to_log_in(client, programme):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("konto:login"))


def test_no_programme_shows_a_message(client, leser, monkeypatch):
    monkeypatch.setattr("tiltak.views.oversikt.programme_selectors.programme_current", lambda: None)
    client.force_login(leser)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Ingen handlingsprogram er lastet inn ennå." in response.content.decode()


def test_the_table_shows_the_columns(reader_client, programme, reports):
    response = reader_client.get(URL, {"aar": "2021"})
    html = response.content.decode()
    assert f'<h2 class="ds-heading" data-size="md" id="result-heading">{ALL} ' in html  # the number of hits
    assert get_tiltak(programme, "2.1.2").get_absolute_url() in html
    assert "01.09.2021" in html  # last report on 2.1.2, dd.mm.åååå
    assert "Fullført" in html and "I rute" in html
    assert "2. Utdanning og kompetanse" in html
    assert "Avdeling for utdanning" in html and "Ansvarlig" in html
    assert ">Ja<" in html  # reported this year, in words
    row = next(t for t in response.context["tiltak_list"] if t.kode == "2.1.2")
    assert (row.siste_status, row.siste_vurdering, row.rapportert) == ("fullfoert", "i_rute", True)
    assert SECRET not in html


def test_a_row_escapes_what_it_shows_and_names_each_part(reader_client, programme, reports):
    """A row's cells (tiltak_tags.tiltak_list_row): the text escaped and shortened, the code's link named for
    screen readers, a demo status marked, an unreported year tagged, each Ansvar with its unit and role."""
    Statusmelding.objects.filter(pk=reports["212b"].pk).update(demo=True)
    current_status_refresh()
    tiltak = get_tiltak(programme, "2.1.2")
    tiltak.tekst = "<b>Fet</b> & " + "lang " * 60
    tiltak.save()
    html = reader_client.get(URL, {"aar": "2021", "omraade": "2"}).content.decode()
    row = re.search(rf'<tr><td><a [^>]*href="{tiltak.get_absolute_url()}".*?</tr>', html, re.S).group(0)
    assert 'aria-label="Tiltak 2.1.2">2.1.2</a>' in row
    assert "&lt;b&gt;Fet&lt;/b&gt; &amp; lang" in row and "<b>" not in row
    text = html_module.unescape(re.search(r'<td lang="nb">(&lt;b&gt;Fet[^<]*)</td>', row).group(1))
    assert len(text) == 220 and text.endswith("…")  # shortened
    assert 'data-color="success">Fullført</span> <span class="ds-tag portal-demo-tag"' in row
    assert '<ul class="oversikt-ansvar"><li><span lang="nb">Trøndelag fylkeskommune, Avdeling for utdanning' in row
    assert '<span class="portal-meta">(Ansvarlig)</span>' in row
    unreported = re.search(r'<tr><td><a [^>]*aria-label="Tiltak 2.2.1">.*?</tr>', html, re.S).group(0)
    assert '<span class="ds-tag" data-size="sm" data-color="warning">Nei</span>' in unreported


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "fullfoert"}, {"2.1.2"}),
        ({"status": "utsatt"}, {"1.1.1"}),
        ({"status": "ikke_startet"}, {"2.2.1"}),
        ({"vurdering": "risiko"}, {"1.1.1", "2.2.1"}),
        ({"vurdering": "avvik"}, set()),  # the only avvik was withdrawn
        ({"status": "paagaar", "aar": "2022"}, {"3.1.1"}),
        ({"status": "paagaar"}, set()),  # 2.1.2 was completed later in 2021
        ({"omraade": "1", "status": "utsatt"}, {"1.1.1"}),
        ({"omraade": "2", "ikke_rapportert": "on", "status": "ikke_startet"}, {"2.2.1"}),
    ],
)
def test_status_filters(reader_client, programme, reports, params, expected):
    assert codes(reader_client.get(URL, {"aar": "2021"} | params)) == expected


def test_status_none_and_not_reported(reader_client, programme, reports):
    no_status = codes(reader_client.get(URL, {"aar": "2021", "status": "ingen"}))
    assert len(no_status) == ALL - 3
    assert {"4.1.1", "3.1.1"} <= no_status  # 4.1.1's only report was withdrawn; 3.1.1 reported in 2022
    not_reported = codes(reader_client.get(URL, {"aar": "2021", "ikke_rapportert": "on"}))
    assert len(not_reported) == ALL - 2
    assert "2.2.1" in not_reported  # has a status, but from 2020
    assert {"1.1.1", "2.1.2"}.isdisjoint(not_reported)


def test_area_and_focus_area_filters(reader_client, programme):
    area_2 = codes(reader_client.get(URL, {"omraade": "2"}))
    assert len(area_2) == 13 and all(code.startswith("2.") for code in area_2)
    innsats = Innsatsomraade.objects.get(omraade__handlingsprogram=programme, omraade__nummer=2, nummer=1)
    focus = codes(reader_client.get(URL, {"innsatsomraade": str(innsats.pk)}))
    assert focus == {t.kode for t in innsats.tiltak.select_related("innsatsomraade__omraade")}
    assert focus and all(code.startswith("2.1.") for code in focus)


def test_actor_unit_and_sdg_filters(reader_client, programme, enhet_utdanning):
    ks = Aktoer.objects.get(navn="KS")
    expected_ks = {
        a.tiltak.kode for a in Ansvar.objects.filter(aktoer=ks).select_related("tiltak__innsatsomraade__omraade")
    }
    assert expected_ks and codes(reader_client.get(URL, {"aktoer": str(ks.pk)})) == expected_ks

    expected_unit = {
        a.tiltak.kode
        for a in Ansvar.objects.filter(enhet=enhet_utdanning).select_related("tiltak__innsatsomraade__omraade")
    }
    assert expected_unit and codes(reader_client.get(URL, {"enhet": str(enhet_utdanning.pk)})) == expected_unit

    # The programme file tags SDGs on the areas only; tag a few tiltak here.
    quality_education, partnerships = Baerekraftsmaal.objects.filter(nummer__in=[4, 17]).order_by("nummer")
    get_tiltak(programme, "2.1.1").baerekraftsmaal.add(quality_education, partnerships)
    get_tiltak(programme, "2.3.1").baerekraftsmaal.add(quality_education)
    get_tiltak(programme, "4.2.1").baerekraftsmaal.add(partnerships)
    listed = reader_client.get(URL, {"baerekraftsmaal": "4"}).context["tiltak_list"]
    assert [t.kode for t in listed] == ["2.1.1", "2.3.1"]  # once each, despite the join
    assert codes(reader_client.get(URL, {"baerekraftsmaal": "17"})) == {"2.1.1", "4.2.1"}
    assert codes(reader_client.get(URL, {"baerekraftsmaal": "13"})) == set()


def test_free_text_search(reader_client, programme, saksbehandler):
    # in the tiltak text
    assert "1.1.1" in codes(reader_client.get(URL, {"q": "testarena"}))
    # in the focus area's name, any case
    by_focus = codes(reader_client.get(URL, {"q": "LEVENDE LABORATORIUM"}))
    assert {"1.1.1", "1.1.2"} <= by_focus
    # in what a status report says was done
    report(
        get_tiltak(programme, "3.2.1"),
        saksbehandler,
        datetime.date(2022, 5, 1),
        "paagaar",
        "i_rute",
        gjennomfoert="Samling med Zyxwvutkommunene i Namdalen.",
    )
    assert codes(reader_client.get(URL, {"q": "zyxwvutkommunene"})) == {"3.2.1"}
    # but never in the internal remark
    assert codes(reader_client.get(URL, {"q": SECRET})) == set()
    assert codes(reader_client.get(URL, {"q": "finnes-ikke-noe-sted"})) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"aar": "abc"}, "aar"),
        ({"aar": "1999"}, "aar"),
        ({"status": "bogus"}, "status"),
        ({"vurdering": "bogus"}, "vurdering"),
        ({"omraade": "999"}, "omraade"),
        ({"omraade": "x"}, "omraade"),
        ({"innsatsomraade": "x"}, "innsatsomraade"),
        ({"innsatsomraade": "999999"}, "innsatsomraade"),
        ({"aktoer": "-1"}, "aktoer"),
        ({"enhet": "1e9"}, "enhet"),
        ({"baerekraftsmaal": "18"}, "baerekraftsmaal"),
        ({"q": "x" * 5000}, "q"),
        ({"status": "fullfoert", "omraade": "999"}, "omraade"),
    ],
)
def test_bad_input_shows_errors_and_every_measure(reader_client, programme, reports, params, field):
    response = reader_client.get(URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert len(response.context["tiltak_list"]) == ALL  # the filter is not applied
    assert response.context["year"] in (2021, 2022, 2023)
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html  # the message sits next to the field
    assert 'aria-invalid="true"' in html
    assert "eksport.csv" not in html  # no download of a filter that did not apply


def test_bad_input_messages_are_norwegian(reader_client, programme):
    html = reader_client.get(URL, {"status": "bogus"}).content.decode()
    assert "Velg et gyldig valg." in html
    html = reader_client.get(URL, {"q": "x" * 300}).content.decode()
    assert "200 eller færre tegn (den har nå 300)" in html


def test_export_links_carry_the_query(reader_client, programme):
    html = reader_client.get(URL, {"omraade": "2", "q": "skole"}).content.decode()
    assert f"{reverse('tiltak:export', kwargs={'fmt': 'csv'})}?omraade=2&amp;q=skole" in html
    assert f"{reverse('tiltak:export', kwargs={'fmt': 'xlsx'})}?omraade=2&amp;q=skole" in html


def test_query_count_does_not_depend_on_rows(
    client, leser, programme, reports, saksbehandler, koordinator, django_assert_num_queries
):
    ks = Aktoer.objects.get(navn="KS")
    client.force_login(leser)
    client.get(URL)
    filtered = {"aar": "2022", "q": "e", "aktoer": str(ks.pk), "omraade": "2"}
    # 11 before the list had pages; now every matching key in order, then the page's rows (felles.pagination);
    # + the ansvar's sources and the demo banner check (2); + the header's unread notifications (1); - the ansvar's
    # sources and the SDGs, which the page does not show (2: only the export fetches the sources). The filter's
    # choices are 5 of them; outside a test's transaction they are kept while the data is unchanged (1 query then,
    # test_the_filter_choices_are_kept_until_the_data_changes).
    with django_assert_num_queries(13):
        assert len(client.get(URL, {"aar": "2022"}).context["tiltak_list"]) == ALL
    with django_assert_num_queries(13):  # the chosen actor is validated against the choices, not looked up
        assert client.get(URL, filtered).status_code == 200
    add_rows(programme, saksbehandler, koordinator)
    with django_assert_num_queries(13):
        response = client.get(URL, {"aar": "2022"})
        assert response.context["page"].paginator.count == ALL + 3 * 14
        assert len(response.context["tiltak_list"]) == 50  # the first page
    with django_assert_num_queries(13):
        assert len(client.get(URL, {"aar": "2022", "side": "2"}).context["tiltak_list"]) == ALL + 3 * 14 - 50
    with django_assert_num_queries(13):
        assert client.get(URL, filtered).status_code == 200


def test_the_filter_choices_are_kept_until_the_data_changes(client, programme_loaded_transactional, make_user):
    """Outside a test's transaction, as on a server, the filter's choices are computed once and kept while the
    programme data is unchanged (felles/version_memo.py): the next visit asks the data version instead of the five
    queries. A new Ansvar (committed) changes the version, and the very next visit offers its actor and filters by
    it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = programme_loaded_transactional
    client.force_login(make_user("leser-kept", "leser"))

    def visit(params=None):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, params or {})
        assert response.status_code == 200
        return response, len(queries)

    _first, computed = visit()
    response, kept = visit()
    assert kept == computed - 5  # the five choice queries (the data version is read on both visits)
    offered = dict(response.context["form"].fields["aktoer"].choices)
    new_actor = Aktoer.objects.create(slug="ny-partner", navn="Ny partner i Trøndelag", type="annen")
    assert new_actor.pk not in offered
    tiltak = programme.omraader.get(nummer=1).innsatsomraader.get(nummer=1).tiltak.get(nummer=1)
    Ansvar.objects.create(tiltak=tiltak, aktoer=new_actor, rolle="bidragsyter")

    response, after_change = visit()
    assert after_change == computed
    assert dict(response.context["form"].fields["aktoer"].choices)[new_actor.pk] == "Ny partner i Trøndelag"
    assert codes(visit({"aktoer": str(new_actor.pk)})[0]) == {"1.1.1"}
