"""CSV and XLSX export of the tiltak list: format, filters, formula neutralisation, bad input, query count."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from felles.exports import csv_response, neutralise_cell, xlsx_response
from handlingsprogram.models import Aktoer
from tests.portal.test_dashboard import SECRET, add_rows, get_tiltak, make_reports
from tiltak.models import Ansvar

CSV = reverse("tiltak:export", kwargs={"fmt": "csv"})
XLSX = reverse("tiltak:export", kwargs={"fmt": "xlsx"})
ALL = 45
HEADER = [
    "Kode",
    "Tiltak",
    "Prioritert område",
    "Innsatsområde",
    "Status",
    "Vurdering",
    "Siste statusmelding",
    "Rapportert i 2021",
    "Ansvar",
    "Kilde for ansvar",
]
DANGEROUS = ['=HYPERLINK("https://example.com/x","Klikk")', "+47 cmd", "-2+3", "@SUM(A1:A2)", "\tfane", "\rretur"]


def read_csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith("\ufeff".encode())  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.active


@pytest.fixture
def reports(programme, saksbehandler, koordinator):
    return make_reports(programme, saksbehandler, koordinator)


@pytest.fixture
def reader_client(client, leser):
    client.force_login(leser)
    return client


@pytest.fixture
def dangerous_texts(programme):
    """Tiltak texts and an actor name that a spreadsheet would run as formulas."""
    codes = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.3.1", "1.3.2"]
    for code, text in zip(codes, DANGEROUS, strict=True):
        tiltak = get_tiltak(programme, code)
        tiltak.tekst = text
        tiltak.save(update_fields=["tekst"])
    aktoer = Aktoer.objects.create(navn="@Ondsinnet aktør", slug="ondsinnet")
    Ansvar.objects.create(tiltak=get_tiltak(programme, "1.1.1"), aktoer=aktoer, rolle=Ansvar.Rolle.BIDRAGSYTER)
    return dict(zip(codes, DANGEROUS, strict=True))


# The generic helpers


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_cell_prefixes_formula_triggers(value):
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Tiltak", "", "1.2.3", "'allerede", " =mellomrom", "e-post"])
def test_neutralise_cell_leaves_plain_text(value):
    assert neutralise_cell(value) == value


@pytest.mark.parametrize("value", [None, 5, -5, 2.5, datetime.date(2021, 1, 1)])
def test_neutralise_cell_leaves_other_types(value):
    assert neutralise_cell(value) == value


def test_csv_response_helper():
    response = csv_response("fil.csv", ["Navn", "Dato"], [["=1+1", datetime.date(2021, 3, 4)], ["æøå; «x»", None]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fil.csv"'
    assert read_csv(response) == [["Navn", "Dato"], ["'=1+1", "04.03.2021"], ["æøå; «x»", ""]]


def test_xlsx_response_helper():
    response = xlsx_response(
        "fil.xlsx",
        ["=Navn", "Dato", "Tall"],
        [["=1+1", datetime.date(2021, 3, 4), 7], ["a\x01b", None, None]],
        sheet_title="Ark: [1]",
    )
    sheet = read_xlsx(response)
    assert sheet.title == "Ark 1"
    assert sheet["A1"].value == "'=Navn" and sheet["A1"].font.bold
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("'=1+1", "s")
    assert sheet["B2"].value == datetime.datetime(2021, 3, 4) and sheet["B2"].number_format == "dd.mm.yyyy"
    assert sheet["C2"].value == 7
    assert sheet["A3"].value == "ab"  # a control character XLSX cannot hold is dropped, not a 500


# The tiltak export


@pytest.mark.parametrize("role", ["leser", "saksbehandler", "koordinator"])
@pytest.mark.parametrize("url", [CSV, XLSX])
def test_every_logged_in_role_may_export(client, request, programme, role, url):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_anonymous_is_sent_to_log_in(client, programme, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("konto:login"))


@pytest.mark.parametrize("fmt", ["pdf", "CSV", "csv.exe", "json"])
def test_unknown_format_is_404(reader_client, programme, fmt):
    assert reader_client.get(reverse("tiltak:export", kwargs={"fmt": fmt})).status_code == 404


def test_csv_export(reader_client, programme, reports):
    response = reader_client.get(CSV, {"aar": "2021"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tiltak-2021.csv"'
    rows = read_csv(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + ALL
    by_code = {row[0]: row for row in rows[1:]}
    row = by_code["2.1.2"]
    assert row[2] == "2. Utdanning og kompetanse"
    assert row[3].startswith("2.1 ")
    assert row[4:8] == ["Fullført", "I rute", "01.09.2021", "Ja"]
    assert "Trøndelag fylkeskommune, Avdeling for utdanning (Ansvarlig)" in row[8]
    assert "KS (Bidragsyter)" in row[8]
    # The document names KS for 2.1.2 but says nothing of who leads; 2.2.1's actor is inferred.
    assert "KS: Programdokumentet, kap. 2.2, TILTAK (rolle utledet)" in row[9]
    assert by_code["2.2.1"][9].startswith("Trøndelag fylkeskommune: Utledet: Tiltaket nevner ingen aktør")
    assert by_code["4.1.1"][4:8] == ["Ingen statusmelding ennå", "", "", "Nei"]  # the withdrawn one is ignored
    assert by_code["2.2.1"][4:8] == ["Ikke startet", "Risiko", "01.02.2020", "Nei"]
    assert SECRET not in response.content.decode("utf-8-sig")


def test_xlsx_export(reader_client, programme, reports):
    response = reader_client.get(XLSX, {"aar": "2021"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="tiltak-2021.xlsx"'
    sheet = read_xlsx(response)
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + ALL
    assert all(8 <= sheet.column_dimensions[letter].width <= 60 for letter in "ABCDEFGHI")
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    date = rows["2.1.2"][6]
    assert date.value == datetime.datetime(2021, 9, 1)  # a real date …
    assert date.number_format == "dd.mm.yyyy"  # … shown dd.mm.åååå
    assert [cell.value for cell in rows["2.1.2"][4:6]] == ["Fullført", "I rute"]
    assert rows["4.1.1"][6].value is None
    for row in sheet.iter_rows():
        for cell in row:
            assert SECRET not in str(cell.value or "")


def test_csv_neutralises_formulas(reader_client, programme, dangerous_texts):
    rows = {row[0]: row for row in read_csv(reader_client.get(CSV))[1:]}
    for code, text in dangerous_texts.items():
        assert rows[code][1] == "'" + text
    assert "'@Ondsinnet aktør (Bidragsyter)" not in rows["1.1.1"][8]  # not at the start of the cell …
    assert "@Ondsinnet aktør (Bidragsyter)" in rows["1.1.1"][8]  # … so it needs no prefix, but it is there


def test_csv_neutralises_a_cell_starting_with_a_trigger(reader_client, programme):
    aktoer = Aktoer.objects.create(navn="=Ondsinnet", slug="ondsinnet")
    tiltak = get_tiltak(programme, "2.1.2")
    tiltak.ansvar.all().delete()
    Ansvar.objects.create(tiltak=tiltak, aktoer=aktoer)
    rows = {row[0]: row for row in read_csv(reader_client.get(CSV))[1:]}
    assert rows["2.1.2"][8] == "'=Ondsinnet (Ansvarlig)"


def test_xlsx_never_writes_a_formula(reader_client, programme, dangerous_texts):
    sheet = read_xlsx(reader_client.get(XLSX))
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    for code, text in dangerous_texts.items():
        cell = rows[code][1]
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
        assert cell.value == "'" + text.replace("\r", "\n")  # XML normalises a bare CR
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_export_applies_the_filters(reader_client, programme, reports):
    rows = read_csv(reader_client.get(CSV, {"aar": "2021", "vurdering": "risiko"}))
    assert sorted(row[0] for row in rows[1:]) == ["1.1.1", "2.2.1"]
    sheet = read_xlsx(reader_client.get(XLSX, {"aar": "2022", "status": "paagaar"}))
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["3.1.1"]
    assert sheet["H1"].value == "Rapportert i 2022"
    response = reader_client.get(CSV, {"q": "laboratorium", "omraade": "1"})
    assert response["Content-Disposition"] == 'attachment; filename="tiltak-2023.csv"'
    assert {row[0] for row in read_csv(response)[1:]} >= {"1.1.1", "1.1.2"}


@pytest.mark.parametrize("url", [CSV, XLSX])
@pytest.mark.parametrize(
    "params",
    [
        {"aar": "abc"},
        {"aar": "1999"},
        {"status": "bogus"},
        {"omraade": "999"},
        {"innsatsomraade": "x"},
        {"q": "x" * 5000},
    ],
)
def test_invalid_filter_is_400(reader_client, programme, url, params):
    response = reader_client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    assert len(response.content) < 1000


def test_invalid_filter_message_is_norwegian(reader_client, programme):
    text = reader_client.get(CSV, {"status": "bogus"}).content.decode()
    assert "Velg et gyldig valg." in text


def test_query_count_does_not_depend_on_rows(
    client, leser, programme, reports, saksbehandler, koordinator, django_assert_num_queries
):
    client.force_login(leser)
    client.get(CSV)
    # 8: the export no longer fetches the SDGs, which it does not write (it was 9); 11: the filter validates
    # against all its choices (selectors.filter_choices: 5 queries here, 1 outside a test's transaction while the
    # data is unchanged), not by looking up the values chosen
    with django_assert_num_queries(11):
        assert len(read_csv(client.get(CSV, {"aar": "2022"}))) == 1 + ALL
    with django_assert_num_queries(11):
        assert read_xlsx(client.get(XLSX, {"aar": "2022"})).max_row == 1 + ALL
    add_rows(programme, saksbehandler, koordinator)
    with django_assert_num_queries(11):
        assert len(read_csv(client.get(CSV, {"aar": "2022"}))) == 1 + ALL + 3 * 14
    with django_assert_num_queries(11):
        assert read_xlsx(client.get(XLSX, {"aar": "2022"})).max_row == 1 + ALL + 3 * 14
