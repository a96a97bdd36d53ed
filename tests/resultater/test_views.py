"""The result pages in the browser's place: indikatorer and their values, projects, the funding summary, exchange
rates and the spreadsheet import, through the views (forms, permissions, messages, query counts)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from handlingsprogram.models import Aktoer, Finansieringsprogram
from resultater.models import Indikator, Indikatorverdi, Prosjekt, ProsjektImport, Valutakurs
from tiltak.models import Tiltak

pytestmark = pytest.mark.django_db


@pytest.fixture
def indikator(tiltak_212) -> Indikator:
    return Indikator.objects.create(
        tiltak=tiltak_212,
        navn="Skoler med internasjonale prosjekt",
        maaleenhet=Indikator.Maaleenhet.PROSENT,
        basis_verdi=Decimal(80),
        basis_aar=2019,
        basis_kilde="Programmet, kap. 2.2",
        maal_verdi=Decimal(100),
        maal_aar=2023,
    )


@pytest.fixture
def erasmus(db) -> Finansieringsprogram:
    return Finansieringsprogram.objects.get(slug="erasmus-plus")


def make_prosjekt(fp, tiltak, *, ekstern_id, valuta="EUR", innvilget=100_000, start=datetime.date(2021, 1, 1)):
    prosjekt = Prosjekt.objects.create(
        ekstern_id=ekstern_id,
        navn=f"Prosjekt {ekstern_id}",
        finansieringsprogram=fp,
        rolle=Prosjekt.Rolle.KOORDINATOR,
        start_date=start,
        end_date=start + datetime.timedelta(days=700),
        status=Prosjekt.Status.INNVILGET,
        totalbudsjett=Decimal(innvilget) * 2,
        innvilget_trondelag=Decimal(innvilget),
        valuta=valuta,
    )
    prosjekt.tiltak.set(tiltak)
    return prosjekt


def value_url(indikator, **query):
    url = reverse("resultater:indikatorverdi_save", kwargs={"pk": indikator.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# Indikatorer ------------------------------------------------------------------------------------------------------


def test_responsible_officer_records_a_value_and_sees_it_in_chart_and_table(client, saksbehandler, indikator):
    client.force_login(saksbehandler)
    response = client.post(value_url(indikator), {"aar": 2021, "verdi": "87,5", "kilde": "Skolenes rapporter"})
    assert response.status_code == 302
    verdi = Indikatorverdi.objects.get(indikator=indikator)
    assert (verdi.aar, verdi.verdi, verdi.created_by) == (2021, Decimal("87.5"), saksbehandler)
    page = client.get(indikator.get_absolute_url()).content.decode()
    assert 'data-year="2021"' in page  # a point in the chart
    assert "87,5\u00a0%" in page  # and the same value in the table and the chart's text alternative
    assert "<desc" in page and "2021: 87,5" in page


def test_a_correction_overwrites_the_year_and_the_history_keeps_the_old_value(
    client, saksbehandler, koordinator, indikator
):
    client.force_login(saksbehandler)
    client.post(value_url(indikator), {"aar": 2021, "verdi": "85", "kilde": "Første telling"})
    form = client.get(value_url(indikator, aar=2021)).content.decode()
    assert 'value="85"' in form  # the correction form starts from what is recorded
    client.post(value_url(indikator), {"aar": 2021, "verdi": "86", "kilde": "Rettet telling"})
    assert list(Indikatorverdi.objects.values_list("aar", "verdi")) == [(2021, Decimal(86))]
    assert Indikatorverdi.history.filter(indikator_id=indikator.pk).count() == 2
    client.force_login(koordinator)
    page = client.get(indikator.get_absolute_url()).content.decode()
    assert "«85.00» → «86.00»" in page or "«85» → «86»" in page


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"aar": 2021, "verdi": "120", "kilde": "x"}, "verdi"),  # more than 100 %
        ({"aar": 2021, "verdi": "-1", "kilde": "x"}, "verdi"),
        ({"aar": 2021, "verdi": "mange", "kilde": "x"}, "verdi"),
        ({"aar": 2030, "verdi": "90", "kilde": "x"}, "aar"),  # outside the programme
        ({"aar": 2021, "verdi": "90", "kilde": "  "}, "kilde"),
        ({"aar": 2021, "verdi": "1e999999", "kilde": "x"}, "verdi"),
    ],
)
def test_bad_values_get_a_message_at_the_field_and_save_nothing(client, saksbehandler, indikator, post, field):
    client.force_login(saksbehandler)
    response = client.post(value_url(indikator), post)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Indikatorverdi.objects.exists()


def test_readers_and_other_units_cannot_record_values(client, leser, saksbehandler_annen_enhet, indikator):
    for user in (leser, saksbehandler_annen_enhet):
        client.force_login(user)
        assert client.post(value_url(indikator), {"aar": 2021, "verdi": "90", "kilde": "x"}).status_code == 403
    assert not Indikatorverdi.objects.exists()


def test_coordinator_defines_an_indikator_on_a_priority_area(client, koordinator, programme):
    client.force_login(koordinator)
    omraade = programme.omraader.get(nummer=3)
    response = client.post(
        reverse("resultater:indikator_create", kwargs={"program": programme.slug}),
        {
            "maaler": f"o{omraade.pk}",
            "navn": "Kommuner i internasjonale prosjekt",
            "maaleenhet": "antall",
            "retning": "hoeyere",
            "basis_verdi": "12",
            "basis_aar": "2019",
            "basis_kilde": "Kartlegging 2019",
            "maal_verdi": "20",
            "maal_aar": "2023",
        },
    )
    assert response.status_code == 302
    indikator = Indikator.objects.get(navn="Kommuner i internasjonale prosjekt")
    assert (indikator.omraade, indikator.tiltak, indikator.maal_verdi) == (omraade, None, Decimal(20))


def test_a_target_without_a_year_is_refused(client, koordinator, programme, tiltak_212):
    client.force_login(koordinator)
    response = client.post(
        reverse("resultater:indikator_create", kwargs={"program": programme.slug}),
        {
            "maaler": f"t{tiltak_212.pk}",
            "navn": "X",
            "maaleenhet": "antall",
            "retning": "hoeyere",
            "basis_verdi": "1,5",  # not a whole number either
            "basis_aar": "2019",
            "basis_kilde": "Y",
            "maal_verdi": "20",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_maal_aar_error"' in page and 'id="id_basis_verdi_error"' in page
    assert not Indikator.objects.filter(navn="X").exists()


def test_the_seeds_baselines_are_loaded(programme):
    erasmus = Indikator.objects.get(navn__startswith="Erasmus+-midler til mobilitet")
    assert (erasmus.tiltak.kode, erasmus.basis_verdi, erasmus.basis_aar, erasmus.maaleenhet) == (
        "2.3.3",
        Decimal(926000),
        2018,
        "EUR",
    )
    assert "Internasjonalt handlingsprogram 2020–2023" in erasmus.basis_kilde
    ris = Indikator.objects.get(navn__contains="Regional Innovation Scoreboard")
    assert (ris.omraade.nummer, ris.basis_verdi, ris.retning) == (3, Decimal(15), "lavere")


def test_indikator_pages_run_a_constant_number_of_queries(client, koordinator, programme, indikator):
    client.force_login(koordinator)
    pages = [
        reverse("resultater:indikator_list", kwargs={"program": programme.slug}),
        indikator.get_absolute_url(),
        value_url(indikator),
        reverse("resultater:indikatorverdi_export", kwargs={"program": programme.slug, "fmt": "csv"}),
    ]
    # One value to start with: with none, the export has no indikatorer whose sources it would fetch.
    Indikatorverdi.objects.create(indikator=indikator, aar=2018, verdi=85, kilde="x", created_by=koordinator)
    counts = {}
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    for aar in range(2019, 2024):
        Indikatorverdi.objects.create(indikator=indikator, aar=aar, verdi=90, kilde="x", created_by=koordinator)
    for tiltak in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)[:10]:
        extra = Indikator.objects.create(
            tiltak=tiltak,
            navn=f"Ekstra {tiltak.pk}",
            maaleenhet="antall",
            basis_verdi=1,
            basis_aar=2019,
            basis_kilde="x",
        )
        Indikatorverdi.objects.create(indikator=extra, aar=2020, verdi=2, kilde="x", created_by=koordinator)
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) == counts[url], url


# Projects and funding ---------------------------------------------------------------------------------------------


def project_post(fp, tiltak, **overrides):
    data = {
        "ekstern_id": "2022-1-NO01-KA121-VET-000099",
        "navn": "Yrkesfag i Europa",
        "akronym": "YIE",
        "finansieringsprogram": fp.pk,
        "utlysning": "KA121 VET",
        "rolle": "koordinator",
        "aktoerer": [],
        "start_date": "2022-06-01",
        "end_date": "2024-05-31",
        "status": "innvilget",
        "totalbudsjett": "500 000",
        "innvilget_trondelag": "450 000",
        "valuta": "EUR",
        "tiltak": [t.pk for t in tiltak],
    }
    return data | overrides


def test_responsible_officer_registers_a_project_for_their_measure(client, saksbehandler, erasmus, tiltak_212):
    client.force_login(saksbehandler)
    response = client.post(reverse("resultater:prosjekt_create"), project_post(erasmus, [tiltak_212]))
    assert response.status_code == 302
    prosjekt = Prosjekt.objects.get(ekstern_id="2022-1-NO01-KA121-VET-000099")
    assert prosjekt.innvilget_trondelag == Decimal(450000)
    assert list(prosjekt.tiltak.all()) == [tiltak_212]
    assert client.get(prosjekt.get_absolute_url()).status_code == 200


def test_a_project_for_someone_elses_measure_only(client, saksbehandler, erasmus, programme):
    other = Tiltak.objects.get(
        innsatsomraade__omraade__handlingsprogram=programme,
        innsatsomraade__omraade__nummer=4,
        innsatsomraade__nummer=5,
        nummer=1,
    )
    client.force_login(saksbehandler)
    response = client.post(reverse("resultater:prosjekt_create"), project_post(erasmus, [other]))
    assert response.status_code == 400
    assert 'id="id_tiltak_error"' in response.content.decode()
    assert not Prosjekt.objects.exists()


def test_grant_larger_than_budget_is_refused(client, koordinator, erasmus, tiltak_212):
    client.force_login(koordinator)
    response = client.post(
        reverse("resultater:prosjekt_create"), project_post(erasmus, [tiltak_212], innvilget_trondelag="600 000")
    )
    assert response.status_code == 400
    assert 'id="id_innvilget_trondelag_error"' in response.content.decode()
    assert not Prosjekt.objects.exists()


def test_nok_sum_uses_the_rate_the_coordinator_entered_and_shows_it(client, koordinator, erasmus, tiltak_212):
    prosjekt = make_prosjekt(erasmus, [tiltak_212], ekstern_id="P-1", innvilget=100_000)
    client.force_login(koordinator)
    page = client.get(prosjekt.get_absolute_url()).content.decode()
    assert "NOK" in page and "kurs" not in page.lower().split("in nok")[0][-5:]
    response = client.post(
        reverse("resultater:valutakurser"), {"aar": 2021, "valuta": "EUR", "kurs": "10,1633", "kilde": "Norges Bank"}
    )
    assert response.status_code == 302
    assert Valutakurs.objects.get().kurs == Decimal("10.1633")
    page = client.get(prosjekt.get_absolute_url()).content.decode()
    assert "1\u00a0016\u00a0330\u00a0NOK" in page  # 100 000 EUR × 10,1633
    assert "10,1633" in page  # the rate used is shown
    funding = client.get(reverse("resultater:finansiering")).content.decode()
    assert "1\u00a0016\u00a0330\u00a0NOK" in funding


def test_a_rate_for_nok_or_out_of_bounds_is_refused(client, koordinator):
    client.force_login(koordinator)
    for post in ({"aar": 2021, "valuta": "NOK", "kurs": "1"}, {"aar": 2021, "valuta": "EUR", "kurs": "0"}):
        assert client.post(reverse("resultater:valutakurser"), post).status_code == 400
    assert not Valutakurs.objects.exists()


def test_project_and_funding_pages_run_a_constant_number_of_queries(
    client, koordinator, erasmus, programme, tiltak_212
):
    client.force_login(koordinator)
    make_prosjekt(erasmus, [tiltak_212], ekstern_id="P-0")
    Valutakurs.objects.create(aar=2021, valuta="EUR", kurs=Decimal("10.16"))
    pages = [
        reverse("resultater:prosjekt_list"),
        reverse("resultater:prosjekt_list") + "?status=innvilget&aar=2021",
        reverse("resultater:finansiering"),
        reverse("resultater:finansiering") + "?aar=2021",
        reverse("resultater:prosjekt_export", kwargs={"fmt": "xlsx"}),
        tiltak_212.get_absolute_url(),
    ]
    counts = {}
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    tiltak = list(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)[:6])
    interreg = Finansieringsprogram.objects.get(slug="nordsjoprogrammet")
    for i in range(12):
        make_prosjekt(
            interreg if i % 2 else erasmus,
            [tiltak_212, tiltak[i % 6]],
            ekstern_id=f"P-{i + 1}",
            valuta="SEK" if i % 3 == 0 else "EUR",
            start=datetime.date(2020 + i % 4, 3, 1),
        )
    for url in pages:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) == counts[url], url


def test_bad_filters_never_fail_the_pages(client):
    for url in (
        reverse("resultater:prosjekt_list") + "?aar=abc&status=nope&finansieringsprogram=999999&omraade=x",
        reverse("resultater:finansiering") + "?aar=99999999999999999999",
    ):
        assert client.get(url).status_code == 200


# The spreadsheet import -------------------------------------------------------------------------------------------


HEADER = (
    "Prosjektnummer;Navn;Akronym;Finansieringsprogram;Delprogram eller utlysning;Trøndelags rolle;"
    "Trønderske organisasjoner;Start;Slutt;Status;Totalbudsjett;Innvilget til trønderske partnere;Valuta;Tiltak"
)


def csv_file(*rows: str) -> io.BytesIO:
    content = io.BytesIO("\n".join([HEADER, *rows]).encode("utf-8"))
    content.name = "prosjekter.csv"
    return content


GOOD = (
    "EP-1;Yrkesfag ute;YU;Erasmus+;KA121;Koordinator;Trøndelag fylkeskommune;01.08.2022;31.07.2024;Innvilget;"
    "500 000;450 000;EUR;2.1.2"
)
BAD = "EP-2;Lærlinger ute;LU;Erasmus+;KA121;Koordinator;;01.08.2022;31.07.2021;Innvilget;100 000;50 000;EUR;2.1.2"
FIXED = BAD.replace("31.07.2021", "31.07.2024")


def upload(client, content) -> ProsjektImport:
    response = client.post(reverse("resultater:prosjekt_import"), {"fil": content})
    assert response.status_code == 302, response.content.decode()
    return ProsjektImport.objects.latest("created_at")


def test_import_with_a_bad_row_shows_row_and_column_and_saves_nothing(client, koordinator, programme):
    client.force_login(koordinator)
    with translation_nb():
        imported = upload(client, csv_file(GOOD, BAD))
        preview = client.get(imported.get_absolute_url()).content.decode()
    assert 'data-action="error"' in preview and 'data-action="create"' in preview
    assert "Rad 3" in preview and "«Slutt»" in preview
    with translation_nb():
        response = client.post(imported.get_absolute_url())
    assert response.status_code == 400
    assert "Filen har feil; ingenting ble lagret." in response.content.decode()
    assert not Prosjekt.objects.exists()
    imported.refresh_from_db()
    assert imported.imported_at is None


def test_import_of_a_valid_file_and_again_changes_nothing_the_second_time(client, koordinator, programme):
    client.force_login(koordinator)
    with translation_nb():
        first = upload(client, csv_file(GOOD, FIXED))
        assert 'data-action="create"' in client.get(first.get_absolute_url()).content.decode()
        client.post(first.get_absolute_url())
        assert Prosjekt.objects.count() == 2
        first.refresh_from_db()
        assert (first.antall_opprettet, first.antall_oppdatert, first.antall_uendret) == (2, 0, 0)
        before = list(Prosjekt.objects.values_list("id", "updated_at"))
        history = Prosjekt.history.count()

        second = upload(client, csv_file(GOOD, FIXED))
        preview = client.get(second.get_absolute_url()).content.decode()
        assert preview.count('data-action="unchanged"') == 2
        client.post(second.get_absolute_url())
    second.refresh_from_db()
    assert (second.antall_opprettet, second.antall_oppdatert, second.antall_uendret) == (0, 0, 2)
    assert list(Prosjekt.objects.values_list("id", "updated_at")) == before
    assert Prosjekt.history.count() == history


def test_only_the_uploader_sees_an_upload(client, koordinator, make_user, programme):
    client.force_login(koordinator)
    imported = upload(client, csv_file(GOOD))
    other = make_user("koordinator-2", "koordinator")
    client.force_login(other)
    assert client.get(imported.get_absolute_url()).status_code == 404
    assert client.post(imported.get_absolute_url()).status_code == 404
    assert not Prosjekt.objects.exists()


def test_a_file_that_is_no_spreadsheet_gets_a_message(client, koordinator, programme):
    client.force_login(koordinator)
    junk = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    junk.name = "bilde.xlsx"
    # The file is read at upload, so the message is on the upload form and nothing is kept.
    response = client.post(reverse("resultater:prosjekt_import"), {"fil": junk})
    assert response.status_code == 400
    assert "Filen er ikke et lesbart XLSX-regneark." in response.content.decode()
    assert not ProsjektImport.objects.exists()


def translation_nb():
    from django.utils import translation

    return translation.override("nb")


def test_a_project_change_is_one_history_entry_naming_organisations_and_measures(
    client, koordinator, erasmus, tiltak_212, programme, django_assert_max_num_queries
):
    client.force_login(koordinator)
    client.post(reverse("resultater:prosjekt_create"), project_post(erasmus, [tiltak_212]))
    prosjekt = Prosjekt.objects.get()
    other = Tiltak.objects.get(
        innsatsomraade__omraade__handlingsprogram=programme,
        innsatsomraade__omraade__nummer=2,
        innsatsomraade__nummer=3,
        nummer=3,
    )
    ntnu = Aktoer.objects.get(slug="ntnu")
    response = client.post(
        reverse("resultater:prosjekt_edit", kwargs={"pk": prosjekt.pk}),
        project_post(erasmus, [tiltak_212, other], aktoerer=[ntnu.pk], innvilget_trondelag="460 000"),
    )
    assert response.status_code == 302
    assert Prosjekt.history.filter(id=prosjekt.pk).count() == 2  # one version per save
    with django_assert_max_num_queries(20):
        page = client.get(prosjekt.get_absolute_url()).content.decode()
    assert "«2.1.2» → «2.1.2, 2.3.3»" in page
    assert "«» → «NTNU" in page
    assert "«450000.00» → «460000.00»" in page or "«450000» → «460000»" in page


def test_admin_looks_up_and_deletes_results_but_never_edits_them(client, koordinator, indikator):
    Indikatorverdi.objects.create(indikator=indikator, aar=2021, verdi=90, kilde="x", created_by=koordinator)
    client.force_login(koordinator)
    change = reverse("admin:resultater_indikator_change", args=[indikator.pk])
    page = client.get(change).content.decode()
    assert 'name="navn"' not in page  # read-only: changes go through the portal's rules
    client.post(change, {"navn": "Endret"})
    indikator.refresh_from_db()
    assert indikator.navn == "Skoler med internasjonale prosjekt"
    assert client.get(reverse("admin:resultater_prosjekt_add")).status_code == 403
    response = client.post(reverse("admin:resultater_indikator_delete", args=[indikator.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Indikator.objects.filter(pk=indikator.pk).exists()
    assert not Indikatorverdi.objects.exists()
    assert Indikator.history.filter(id=indikator.pk, history_type="-").exists()  # the deletion is on record


def test_deleting_a_value_or_a_rate_counts_as_a_change_for_pollers(koordinator, indikator, erasmus, tiltak_212):
    verdi = Indikatorverdi.objects.create(indikator=indikator, aar=2021, verdi=90, kilde="x", created_by=koordinator)
    prosjekt = make_prosjekt(erasmus, [tiltak_212], ekstern_id="P-1")
    rate = Valutakurs.objects.create(aar=2021, valuta="EUR", kurs=Decimal("10.16"))
    before = {
        "indikator": Indikator.objects.get(pk=indikator.pk).updated_at,
        "prosjekt": Prosjekt.objects.get(pk=prosjekt.pk).updated_at,
    }
    verdi.delete()
    rate.delete()
    assert Indikator.objects.get(pk=indikator.pk).updated_at > before["indikator"]
    assert Prosjekt.objects.get(pk=prosjekt.pk).updated_at > before["prosjekt"]
