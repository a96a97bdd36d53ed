"""The project import: spreadsheets (XLSX and CSV, built here as a coordinator's tools would write them) are read
into a plan, every error carries its row number and column heading, nothing is saved unless the whole file is
valid, and importing the same file twice changes nothing."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from handlingsprogram.models import Aktoer, Finansieringsprogram, User
from resultater import selectors
from resultater.exports import PROSJEKT_COLUMNS, prosjekt_export
from resultater.models import Prosjekt, ProsjektImport
from resultater.prosjekt_import import MAX_FILE_BYTES, Action, build_plan
from resultater.services import ProsjektData, prosjekt_import_apply, prosjekt_import_upload, prosjekt_save
from tiltak.models import Tiltak
from tiltak.selectors import tiltak_get_by_code

KEYS = [key for key, _label in PROSJEKT_COLUMNS]
LABELS = dict(PROSJEKT_COLUMNS)
HISTORICAL_AKTOERER = Prosjekt.history.model.aktoerer.model
HISTORICAL_TILTAK = Prosjekt.history.model.tiltak.model


def heading(key: str) -> str:
    return str(LABELS[key])


def headings() -> list[str]:
    return [heading(key) for key in KEYS]


def project(number: int = 1, **overrides) -> dict:
    """One row as a coordinator would type it into Excel: real dates and numbers, labels as the export shows them."""
    row = {
        "ekstern_id": f"2021-1-NO01-KA102-{number:06d}",
        "navn": f"Yrkesfag i Europa {number}",
        "akronym": f"YFE{number}",
        "finansieringsprogram": "Erasmus+",
        "utlysning": "KA1 mobilitet i yrkesfag",
        "rolle": str(Prosjekt.Rolle.KOORDINATOR.label),
        "aktoerer": "Trøndelag fylkeskommune; Opplæringskontorer i Trøndelag",
        "start_date": datetime.date(2021, 9, 1),
        "end_date": datetime.date(2023, 8, 31),
        "status": str(Prosjekt.Status.INNVILGET.label),
        "totalbudsjett": Decimal("926000.50"),
        "innvilget_trondelag": Decimal("469000"),
        "valuta": "EUR",
        "tiltak": "2.3.3; 2.3.1",
    }
    return row | overrides


def xlsx(rows: list[dict], *, header: list[str] | None = None, keys: list[str] = KEYS, before: int = 0) -> bytes:
    """An XLSX file with the headings in row ``before + 1`` and one row per dict (None for a blank row)."""
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(before):
        sheet.append([])
    sheet.append(header or [heading(key) for key in keys])
    for row in rows:
        sheet.append([] if row is None else [row.get(key) for key in keys])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(value) -> str:
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return "" if value is None else str(value)


def csv_bytes(rows: list[dict], *, delimiter: str = ";", header: list[str] | None = None, keys=KEYS) -> bytes:
    """A CSV file as Norwegian Excel saves it: UTF-8 with BOM, semicolons, dates dd.mm.åååå, decimal commas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header or [heading(key) for key in keys])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key in keys])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_of(content: bytes, programme, filename: str = "prosjekter.xlsx"):
    return build_plan(content, filename, programme=programme)


def import_file(user, content: bytes, programme, filename: str = "prosjekter.xlsx") -> ProsjektImport:
    upload = prosjekt_import_upload(user=user, filename=filename, content=content)
    return prosjekt_import_apply(user=user, upload=upload, programme=programme)


def errors_of(plan) -> list[tuple[int, str, str]]:
    return [(row.number, column, message) for row in plan.rows for column, message in row.errors]


def tiltak(programme, code: str) -> Tiltak:
    return tiltak_get_by_code(programme=programme, code=code)


def snapshot() -> list[tuple]:
    """Every project as stored, with its relations, to show that an import changed nothing."""
    return [
        (
            p.ekstern_id,
            p.navn,
            p.akronym,
            p.finansieringsprogram_id,
            p.utlysning,
            p.rolle,
            p.start_date,
            p.end_date,
            p.status,
            p.totalbudsjett,
            p.innvilget_trondelag,
            p.valuta,
            p.updated_at,
            sorted(a.pk for a in p.aktoerer.all()),
            sorted(t.pk for t in p.tiltak.all()),
        )
        for p in Prosjekt.objects.prefetch_related("aktoerer", "tiltak").order_by("ekstern_id")
    ]


# A valid file ---------------------------------------------------------------------------------------------------


def test_a_valid_xlsx_file_creates_its_projects(koordinator, programme):
    rows = [
        project(1),
        project(
            2,
            finansieringsprogram="Interreg Europe",
            rolle=str(Prosjekt.Rolle.PARTNER.label),
            aktoerer="Innovasjon Norge Trøndelag",
            status=str(Prosjekt.Status.SOEKT.label),
            valuta="NOK",
            tiltak="3.1.2",
            akronym="",
            utlysning="",
        ),
    ]
    plan = plan_of(xlsx(rows), programme)
    assert plan.is_valid and plan.file_errors == []
    assert [(row.number, row.action, row.ekstern_id) for row in plan.rows] == [
        (2, Action.CREATE, "2021-1-NO01-KA102-000001"),
        (3, Action.CREATE, "2021-1-NO01-KA102-000002"),
    ]
    assert not Prosjekt.objects.exists()  # the preview saves nothing

    upload = import_file(koordinator, xlsx(rows), programme)
    assert (upload.antall_opprettet, upload.antall_oppdatert, upload.antall_uendret) == (2, 0, 0)
    assert upload.imported_at is not None
    first = Prosjekt.objects.get(ekstern_id="2021-1-NO01-KA102-000001")
    assert (first.finansieringsprogram.slug, first.rolle, first.status, first.valuta) == (
        "erasmus-plus",
        "koordinator",
        "innvilget",
        "EUR",
    )
    assert (first.start_date, first.end_date) == (datetime.date(2021, 9, 1), datetime.date(2023, 8, 31))
    assert (first.totalbudsjett, first.innvilget_trondelag) == (Decimal("926000.50"), Decimal("469000"))
    assert {a.slug for a in first.aktoerer.all()} == {"trondelag-fylkeskommune", "okit"}
    assert {t.kode for t in first.tiltak.all()} == {"2.3.3", "2.3.1"}
    second = Prosjekt.objects.get(ekstern_id="2021-1-NO01-KA102-000002")
    assert (second.finansieringsprogram.slug, second.rolle, second.status, second.valuta, second.akronym) == (
        "interreg-europe",
        "partner",
        "soekt",
        "NOK",
        "",
    )
    assert [t.kode for t in second.tiltak.all()] == ["3.1.2"]


def test_an_imported_project_has_one_history_version_with_its_relations_and_the_importer(koordinator, programme):
    import_file(koordinator, xlsx([project(1)]), programme)
    prosjekt = Prosjekt.objects.get()
    version = prosjekt.history.get()
    assert (version.history_type, version.history_user, version.navn) == ("+", koordinator, "Yrkesfag i Europa 1")
    assert {row.aktoer_id for row in version.aktoerer.all()} == {a.pk for a in prosjekt.aktoerer.all()}
    assert {row.tiltak_id for row in version.tiltak.all()} == {t.pk for t in prosjekt.tiltak.all()}
    entries = selectors.prosjekt_history(prosjekt=prosjekt)
    assert [(e.action, e.who) for e in entries] == [("+", koordinator)]


def test_a_csv_file_with_norwegian_numbers_and_dates(koordinator, programme):
    rows = [
        project(1, totalbudsjett="926 000,50", innvilget_trondelag="926\u00a0000,50", start_date="01.09.2021"),
        project(2, totalbudsjett="1.234.567,89", innvilget_trondelag="1 234,5", end_date="2024-06-30"),
        project(3, totalbudsjett="1,234,567.89", innvilget_trondelag="0", valuta="sek"),
        project(4, totalbudsjett=" 750000 ", innvilget_trondelag="750 000,00", rolle="partner", status="avsluttet"),
    ]
    plan = plan_of(csv_bytes(rows), programme, "prosjekter.csv")
    assert errors_of(plan) == [] and plan.is_valid
    import_file(koordinator, csv_bytes(rows), programme, "prosjekter.csv")
    saved = {p.ekstern_id[-1]: p for p in Prosjekt.objects.all()}
    assert (saved["1"].totalbudsjett, saved["1"].innvilget_trondelag) == (Decimal("926000.50"), Decimal("926000.50"))
    assert saved["1"].start_date == datetime.date(2021, 9, 1)
    assert (saved["2"].totalbudsjett, saved["2"].innvilget_trondelag) == (Decimal("1234567.89"), Decimal("1234.50"))
    assert saved["2"].end_date == datetime.date(2024, 6, 30)
    assert (saved["3"].totalbudsjett, saved["3"].valuta) == (Decimal("1234567.89"), "SEK")
    assert (saved["4"].totalbudsjett, saved["4"].rolle, saved["4"].status) == (
        Decimal("750000"),
        "partner",
        "avsluttet",
    )


def test_comma_separated_csv_with_english_headings_or_field_names(programme):
    with translation.override("en"):
        english = [str(label) for _key, label in PROSJEKT_COLUMNS]
        rows = [project(1, rolle="Lead partner", status="Granted")]
    assert plan_of(csv_bytes(rows, delimiter=",", header=english), programme, "x.csv").is_valid
    assert plan_of(csv_bytes(rows, delimiter=",", header=KEYS), programme, "x.csv").is_valid


def test_a_sheet_with_the_former_field_names_as_headings_still_imports(programme):
    """start_date and end_date were startdato and sluttdato until the fields got English names."""
    former = ["startdato" if k == "start_date" else "sluttdato" if k == "end_date" else k for k in KEYS]
    plan = plan_of(csv_bytes([project(1)], delimiter=",", header=former), programme, "x.csv")
    assert plan.is_valid
    assert (plan.rows[0].data.start_date, plan.rows[0].data.end_date) == (
        datetime.date(2021, 9, 1),
        datetime.date(2023, 8, 31),
    )


def test_columns_may_come_in_any_order_and_unknown_ones_are_ignored(programme):
    keys = list(reversed(KEYS))
    header = [heading(key).upper() for key in keys] + ["Notater"]
    plan = plan_of(xlsx([project(1)], header=header, keys=keys), programme)
    assert plan.is_valid and plan.rows[0].action == Action.CREATE


def test_optional_columns_may_be_left_out(programme):
    keys = [key for key in KEYS if key not in {"akronym", "utlysning", "aktoerer", "tiltak"}]
    plan = plan_of(xlsx([project(1)], keys=keys), programme)
    assert plan.is_valid
    assert (plan.rows[0].data.akronym, plan.rows[0].data.aktoerer, plan.rows[0].data.tiltak) == ("", [], [])


def test_formula_escaped_cells_are_read_as_the_text(koordinator, programme):
    rows = [project(1, navn="'=SUM(A1:A2) Nordisk samarbeid", akronym="'+FJORD", utlysning="'@call")]
    import_file(koordinator, xlsx(rows), programme)
    prosjekt = Prosjekt.objects.get()
    assert (prosjekt.navn, prosjekt.akronym, prosjekt.utlysning) == ("=SUM(A1:A2) Nordisk samarbeid", "+FJORD", "@call")
    # An apostrophe that escapes nothing is part of the text.
    plan = plan_of(xlsx([project(2, navn="'Tis the season")]), programme)
    assert plan.rows[0].data.navn == "'Tis the season"


# Round trip and idempotence -------------------------------------------------------------------------------------


@pytest.fixture
def existing_projects(koordinator, programme) -> list[Prosjekt]:
    """Projects saved through the form, with everything the export writes: sub-programmes, several organisations
    and measures, no acronym, NOK and other currencies, every status, text a spreadsheet would take for a formula."""
    erasmus = Finansieringsprogram.objects.get(slug="erasmus-plus")
    interreg_europe = Finansieringsprogram.objects.get(slug="interreg-europe")
    trfk, okit, intr = (
        Aktoer.objects.get(slug=slug) for slug in ("trondelag-fylkeskommune", "okit", "innovasjon-norge-trondelag")
    )
    common = {"utlysning": "", "akronym": "", "aktoerer": [], "tiltak": []}
    specs = [
        (
            "A-1",
            '=HYPERLINK("http://x") Yrkesfag',
            erasmus,
            "koordinator",
            "innvilget",
            "EUR",
            [trfk, okit],
            ["2.3.3", "2.3.1"],
        ),
        ("A-2", "Grønn omstilling", interreg_europe, "partner", "avsluttet", "NOK", [intr], ["3.1.2"]),
        ("A-3", "-Kystnett", interreg_europe, "assosiert", "soekt", "SEK", [], []),
        ("A-4", "Nordisk læring", erasmus, "partner", "avslaatt", "DKK", [trfk], ["2.1.2"]),
    ]
    saved = []
    for number, (ekstern_id, navn, fp, rolle, status, valuta, aktoerer, codes) in enumerate(specs):
        data = ProsjektData(
            **common
            | {
                "ekstern_id": ekstern_id,
                "navn": navn,
                "akronym": "GRØNN" if number == 1 else "",
                "finansieringsprogram": fp,
                "rolle": rolle,
                "start_date": datetime.date(2020 + number, 1 + number, 15),
                "end_date": datetime.date(2023, 12, 31),
                "status": status,
                "totalbudsjett": Decimal("1500000.75") * (number + 1),
                "innvilget_trondelag": Decimal("250000.25") * (number + 1),
                "valuta": valuta,
                "aktoerer": aktoerer,
                "tiltak": [tiltak(programme, code) for code in codes],
            }
        )
        saved.append(prosjekt_save(user=koordinator, data=data))
    return saved


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_imported_back_leaves_everything_unchanged(existing_projects, koordinator, programme, fmt):
    exported = prosjekt_export(
        fmt=fmt, prosjekter=selectors.prosjekter_filtered(filters=selectors.ProsjektFilter())
    ).content
    plan = plan_of(exported, programme, f"prosjekter.{fmt}")
    assert errors_of(plan) == [] and plan.file_errors == []
    assert [row.action for row in plan.rows] == [Action.UNCHANGED] * len(existing_projects)
    before, versions = snapshot(), Prosjekt.history.count()
    upload = import_file(koordinator, exported, programme, f"prosjekter.{fmt}")
    assert (upload.antall_opprettet, upload.antall_oppdatert, upload.antall_uendret) == (0, 0, 4)
    assert snapshot() == before
    assert Prosjekt.history.count() == versions


def test_importing_the_same_file_twice_changes_nothing_the_second_time(koordinator, programme):
    content = xlsx([project(n) for n in range(1, 6)])
    import_file(koordinator, content, programme)
    before, versions = snapshot(), (Prosjekt.history.count(), HISTORICAL_TILTAK.objects.count())
    upload = import_file(koordinator, content, programme)
    assert (upload.antall_opprettet, upload.antall_oppdatert, upload.antall_uendret) == (0, 0, 5)
    assert snapshot() == before
    assert (Prosjekt.history.count(), HISTORICAL_TILTAK.objects.count()) == versions


def test_changed_rows_update_their_projects_and_the_history_keeps_the_old(koordinator, programme):
    import_file(koordinator, xlsx([project(1), project(2), project(3)]), programme)
    changed = [
        project(1, innvilget_trondelag=Decimal("500000"), status=str(Prosjekt.Status.AVSLUTTET.label)),
        project(2, tiltak="2.3.3", aktoerer="Trøndelag fylkeskommune; Innovasjon Norge Trøndelag"),
        project(3),
    ]
    plan = plan_of(xlsx(changed), programme)
    assert [row.action for row in plan.rows] == [Action.UPDATE, Action.UPDATE, Action.UNCHANGED]
    untouched = Prosjekt.objects.get(ekstern_id=project(3)["ekstern_id"]).updated_at
    upload = import_file(koordinator, xlsx(changed), programme)
    assert (upload.antall_opprettet, upload.antall_oppdatert, upload.antall_uendret) == (0, 2, 1)

    first = Prosjekt.objects.get(ekstern_id=project(1)["ekstern_id"])
    assert (first.innvilget_trondelag, first.status) == (Decimal("500000"), "avsluttet")
    old, new = first.history.order_by("history_date", "history_id")
    assert (old.innvilget_trondelag, old.status, new.innvilget_trondelag, new.status) == (
        Decimal("469000"),
        "innvilget",
        Decimal("500000"),
        "avsluttet",
    )
    assert new.history_type == "~" and new.history_user == koordinator

    second = Prosjekt.objects.get(ekstern_id=project(2)["ekstern_id"])
    assert [t.kode for t in second.tiltak.all()] == ["2.3.3"]
    assert {a.slug for a in second.aktoerer.all()} == {"trondelag-fylkeskommune", "innovasjon-norge-trondelag"}
    old, new = second.history.order_by("history_date", "history_id")
    assert len(old.tiltak.all()) == 2 and {row.tiltak_id for row in new.tiltak.all()} == {
        t.pk for t in second.tiltak.all()
    }
    assert {row.aktoer_id for row in new.aktoerer.all()} == {a.pk for a in second.aktoerer.all()}
    entry = selectors.prosjekt_history(prosjekt=second)[0]
    assert {field for field, _old, _new in entry.changes} == {
        str(Prosjekt._meta.get_field("aktoerer").verbose_name),
        str(Prosjekt._meta.get_field("tiltak").verbose_name),
    }
    assert Prosjekt.objects.get(ekstern_id=project(3)["ekstern_id"]).updated_at == untouched


def test_a_file_mixing_new_changed_and_unchanged_rows(koordinator, programme):
    import_file(koordinator, xlsx([project(1), project(2)]), programme)
    upload = import_file(koordinator, xlsx([project(1), project(2, navn="Nytt navn"), project(3)]), programme)
    assert (upload.antall_opprettet, upload.antall_oppdatert, upload.antall_uendret) == (1, 1, 1)
    assert Prosjekt.objects.count() == 3
    assert Prosjekt.objects.get(ekstern_id=project(2)["ekstern_id"]).navn == "Nytt navn"


# Errors: row number and column heading, and nothing saved ------------------------------------------------------


def test_one_bad_row_saves_nothing_and_names_its_row_and_column_then_the_fixed_file_imports(koordinator, programme):
    rows = [project(1), project(2), project(3, end_date=datetime.date(2020, 1, 1)), project(4)]
    content = xlsx(rows)
    plan = plan_of(content, programme)
    assert not plan.is_valid
    assert [(n, column) for n, column, _message in errors_of(plan)] == [(4, heading("end_date"))]
    assert [row.action for row in plan.rows] == [Action.CREATE, Action.CREATE, Action.ERROR, Action.CREATE]

    upload = prosjekt_import_upload(user=koordinator, filename="prosjekter.xlsx", content=content)
    with pytest.raises(ValidationError):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    assert not Prosjekt.objects.exists()
    assert Prosjekt.history.count() == 0 and HISTORICAL_TILTAK.objects.count() == 0
    upload.refresh_from_db()
    assert upload.imported_at is None

    rows[2] = project(3)
    upload = import_file(koordinator, xlsx(rows), programme)
    assert upload.antall_opprettet == 4 and Prosjekt.objects.count() == 4


@pytest.mark.parametrize(
    ("overrides", "column", "words"),
    [
        ({"finansieringsprogram": "Horisont 2030"}, "finansieringsprogram", "Horisont 2030"),
        ({"aktoerer": "Trøndelag fylkeskommune; Oslo kommune"}, "aktoerer", "Oslo kommune"),
        ({"tiltak": "2.3.3; 9.9.9"}, "tiltak", "9.9.9"),
        ({"tiltak": "2.3"}, "tiltak", "2.3"),
        ({"rolle": "Sjef"}, "rolle", "Sjef"),
        ({"status": "Kanskje"}, "status", "Kanskje"),
        ({"valuta": "BTC"}, "valuta", "NOK"),
        ({"start_date": "31.02.2021"}, "start_date", "31.02.2021"),
        ({"start_date": "i fjor"}, "start_date", "i fjor"),
        ({"start_date": None}, "start_date", ""),
        ({"totalbudsjett": "mye"}, "totalbudsjett", "mye"),
        ({"totalbudsjett": None}, "totalbudsjett", ""),
        ({"totalbudsjett": True}, "totalbudsjett", ""),
        ({"totalbudsjett": Decimal("-5")}, "totalbudsjett", ""),
        ({"totalbudsjett": "2 000 000 000 000"}, "totalbudsjett", ""),
        ({"innvilget_trondelag": "1,005"}, "innvilget_trondelag", ""),
        ({"innvilget_trondelag": Decimal("926000.51")}, "innvilget_trondelag", ""),  # more than the budget
        ({"navn": ""}, "navn", ""),
        ({"navn": "x" * 301}, "navn", ""),
        ({"ekstern_id": ""}, "ekstern_id", ""),
        ({"end_date": datetime.date(2021, 8, 31)}, "end_date", ""),
        ({"start_date": datetime.date(1989, 1, 1)}, "start_date", ""),
    ],
)
def test_each_kind_of_bad_cell_is_an_error_on_its_row_and_column(koordinator, programme, overrides, column, words):
    rows = [project(1), project(2, **overrides)]
    plan = plan_of(xlsx(rows), programme)
    errors = errors_of(plan)
    assert [(number, col) for number, col, _message in errors] == [(3, heading(column))]
    assert words in errors[0][2]
    assert plan.rows[0].action == Action.CREATE and plan.rows[1].action == Action.ERROR
    assert not plan.is_valid
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=xlsx(rows))
    with pytest.raises(ValidationError):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    assert not Prosjekt.objects.exists()


def test_every_error_of_a_row_is_reported_with_its_column(programme):
    row = project(1, finansieringsprogram="Ukjent", tiltak="0.0.0", start_date="gårsdagen")
    plan = plan_of(xlsx([row]), programme)
    assert {(number, column) for number, column, _message in errors_of(plan)} == {
        (2, heading("finansieringsprogram")),
        (2, heading("tiltak")),
        (2, heading("start_date")),
    }


def test_a_project_number_twice_in_the_file_is_an_error_naming_the_first_row(koordinator, programme):
    rows = [project(1), project(2), project(1, navn="Samme nummer")]
    plan = plan_of(xlsx(rows), programme)
    assert [(n, column) for n, column, _message in errors_of(plan)] == [(4, heading("ekstern_id"))]
    message = errors_of(plan)[0][2]
    assert "2021-1-NO01-KA102-000001" in message and "2" in message
    assert not plan.is_valid
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=xlsx(rows))
    with pytest.raises(ValidationError):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    assert not Prosjekt.objects.exists()


def test_row_numbers_are_the_spreadsheets_even_with_blank_rows(programme):
    # Headings on row 3, a blank row between the projects: the bad project is on row 7 of the sheet.
    content = xlsx([project(1), None, project(2), project(3, valuta="XYZ")], before=2)
    plan = plan_of(content, programme)
    assert [row.number for row in plan.rows] == [4, 6, 7]
    assert [(n, column) for n, column, _message in errors_of(plan)] == [(7, heading("valuta"))]
    csv_content = csv_bytes([project(1), {}, project(2, valuta="XYZ")])
    assert [(n, c) for n, c, _m in errors_of(plan_of(csv_content, programme, "x.csv"))] == [(4, heading("valuta"))]


def test_a_sheet_with_a_wrong_stored_range_is_read_whole(programme):
    """Some programs store the used range as "A1"; the rows must not be cut to that."""
    content = xlsx([project(1), project(2)])
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    files[sheet] = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', files[sheet])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    plan = plan_of(buffer.getvalue(), programme)
    assert plan.file_errors == [] and plan.is_valid and len(plan.rows) == 2


# Files that are not a project list ------------------------------------------------------------------------------


def test_a_missing_required_column_is_a_file_error_naming_it(programme):
    keys = [key for key in KEYS if key not in {"valuta", "start_date"}]
    plan = plan_of(xlsx([project(1)], keys=keys), programme)
    assert plan.rows == [] and not plan.is_valid
    assert len(plan.file_errors) == 1
    assert heading("valuta") in plan.file_errors[0] and heading("start_date") in plan.file_errors[0]


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"", "prosjekter.xlsx"),
        (b"", "prosjekter.csv"),
        (b"\n\n;;;\n", "prosjekter.csv"),
        ("headings-only", "prosjekter.xlsx"),
        ("headings-only", "prosjekter.csv"),
        ("blank-sheet", "prosjekter.xlsx"),
    ],
)
def test_an_empty_file_is_a_file_error(programme, koordinator, content, filename):
    if content == "headings-only":
        content = xlsx([]) if filename.endswith("xlsx") else csv_bytes([])
    elif content == "blank-sheet":
        content = xlsx([None, None], header=["", ""])
    plan = plan_of(content, programme, filename)
    assert plan.file_errors and plan.rows == [] and not plan.is_valid
    if content:
        upload = prosjekt_import_upload(user=koordinator, filename=filename, content=content)
        with pytest.raises(ValidationError):
            prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    else:
        with pytest.raises(ValidationError):
            prosjekt_import_upload(user=koordinator, filename=filename, content=content)
    assert not ProsjektImport.objects.filter(imported_at__isnull=False).exists()


def _damaged_sheet() -> bytes:
    with zipfile.ZipFile(io.BytesIO(xlsx([project(1)]))) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _zip_of(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in files.items():
            target.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "prosjekter.xlsx"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "prosjekter.csv"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "prosjekter.pdf"),
        ("Prosjektnummer;Navn\n".encode("utf-16"), "prosjekter.csv"),
        (b"Prosjektnummer;Navn\x00;x\n", "prosjekter.csv"),
        ("zip", "prosjekter.xlsx"),
        ("truncated", "prosjekter.xlsx"),
        ("damaged-sheet", "prosjekter.xlsx"),
        (b"Dette er et brev, ikke en prosjektliste.\nHilsen oss", "prosjekter.txt"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_a_file_error_not_a_crash(programme, koordinator, content, filename):
    if content == "zip":
        content = _zip_of({"word/document.xml": "<w/>"})
    elif content == "truncated":
        content = xlsx([project(1)])[:2000]
    elif content == "damaged-sheet":
        content = _damaged_sheet()
    plan = plan_of(content, programme, filename)
    assert len(plan.file_errors) == 1 and plan.rows == [] and not plan.is_valid
    if b"brev" in content:  # readable text, only not a project list: kept, and the preview says what is missing
        upload = prosjekt_import_upload(user=koordinator, filename=filename, content=content)
        with pytest.raises(ValidationError):
            prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    else:  # read at upload, so refused there with the same message, and nothing kept
        with pytest.raises(ValidationError) as refused:
            prosjekt_import_upload(user=koordinator, filename=filename, content=content)
        assert refused.value.message_dict == {"fil": plan.file_errors}
        assert not ProsjektImport.objects.exists()
    assert not Prosjekt.objects.exists()


def test_a_file_too_large_is_refused_at_upload(koordinator, programme):
    with pytest.raises(ValidationError):
        prosjekt_import_upload(user=koordinator, filename="x.csv", content=b"x" * (MAX_FILE_BYTES + 1))
    assert not ProsjektImport.objects.exists()
    assert plan_of(b"x" * (MAX_FILE_BYTES + 1), programme, "x.csv").file_errors


def test_a_file_with_more_rows_than_allowed_is_refused_whole(programme):
    from resultater.prosjekt_import import MAX_ROWS

    lines = [";".join(headings())] + [f"P-{n};Prosjekt {n}" for n in range(MAX_ROWS + 1)]
    plan = plan_of("\n".join(lines).encode(), programme, "x.csv")
    assert plan.rows == [] and len(plan.file_errors) == 1
    assert "10\u00a0000" in plan.file_errors[0]  # a Norwegian number, as everywhere in the portal


def test_measure_codes_are_those_of_the_programme_imported_into(koordinator, programme):
    plan = build_plan(xlsx([project(1)]), "x.xlsx", programme=None)
    assert [column for _n, column, _m in errors_of(plan)] == [heading("tiltak")]


# Who may import, and only once ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["saksbehandler", "leser"])
def test_only_coordinators_upload_and_apply(request, who, koordinator, programme):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        prosjekt_import_upload(user=user, filename="x.xlsx", content=xlsx([project(1)]))
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=xlsx([project(1)]))
    with pytest.raises(PermissionDenied):
        prosjekt_import_apply(user=user, upload=upload, programme=programme)
    assert not Prosjekt.objects.exists()


def test_a_coordinator_applies_only_their_own_upload_and_only_once(koordinator, make_user, programme):
    other = make_user("koordinator-2", User.Rolle.KOORDINATOR)
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=xlsx([project(1)]))
    with pytest.raises(PermissionDenied):
        prosjekt_import_apply(user=other, upload=upload, programme=programme)
    assert not Prosjekt.objects.exists()
    prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    with pytest.raises(ValidationError):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    assert Prosjekt.objects.count() == 1 and Prosjekt.history.count() == 1


def test_apply_reads_the_file_against_the_database_as_it_is_then(koordinator, programme):
    """Between the preview and the import someone saved one of the projects: it is updated, not created twice."""
    content = xlsx([project(1), project(2)])
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=content)
    assert plan_of(content, programme).counts[Action.CREATE] == 2
    import_file(koordinator, xlsx([project(1, navn="Lagret i mellomtiden")]), programme)
    prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    upload.refresh_from_db()
    assert (upload.antall_opprettet, upload.antall_oppdatert) == (1, 1)
    assert Prosjekt.objects.get(ekstern_id=project(1)["ekstern_id"]).navn == "Yrkesfag i Europa 1"


# Queries: a fixed number, however many rows ------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 30])
def test_the_preview_runs_a_fixed_number_of_queries(django_assert_num_queries, koordinator, programme, size):
    content = xlsx([project(n) for n in range(1, size + 1)])
    with django_assert_num_queries(4):  # funding programmes, organisations, measures, projects by number
        plan_of(content, programme)
    import_file(koordinator, content, programme)
    with django_assert_num_queries(6):  # ... and the organisations and measures of the matched projects
        assert plan_of(content, programme).counts[Action.UNCHANGED] == size


@pytest.mark.parametrize("size", [3, 30])
def test_the_import_runs_a_number_of_queries_that_does_not_grow_with_the_rows(
    django_assert_num_queries, koordinator, programme, size
):
    content = xlsx([project(n) for n in range(1, size + 1)])
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=content)
    # The savepoint and its release, lock the upload, the plan (4), insert the projects, their two relations,
    # their history and its two relations (1 each), and save the upload.
    with django_assert_num_queries(14):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    changed = xlsx([project(n, navn=f"Endret {n}") for n in range(1, size + 1)])
    upload = prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=changed)
    # Updates: the plan also reads the matched projects' relations (2); the rows are updated in one query (per
    # 100), their current relations read (2), nothing inserted into the relations since they did not change.
    with django_assert_num_queries(16):
        prosjekt_import_apply(user=koordinator, upload=upload, programme=programme)
    assert set(Prosjekt.objects.values_list("navn", flat=True)) == {f"Endret {n}" for n in range(1, size + 1)}


def test_a_row_with_an_unreadable_cell_still_gets_every_other_error(programme):
    content = (
        "Prosjektnummer;Navn;Finansieringsprogram;Trøndelags rolle;Start;Slutt;Status;Totalbudsjett;"
        "Innvilget til trønderske partnere;Valuta\n"
        "P-1;Prosjekt;Erasmus+;Partner;01.08.2022;31.07.2021;Innvilget;mye;100;EUR\n"
    ).encode()
    with translation.override("nb"):
        plan = build_plan(content, "p.csv", programme=programme)
    assert plan.rows[0].errors == [
        ("Totalbudsjett", "«mye» er ikke et tall."),
        ("Slutt", "Prosjektet kan ikke slutte før det starter."),
    ]


# Zip bombs and other files that grow when read (security review, issue 20 finding 4) ---------------------------

MiB = 1024 * 1024


def _with_parts(parts: dict[str, int], *, keep: bytes | None = None) -> bytes:
    """A real XLSX of one project in which each named part is replaced by (or added as) a worksheet of that many
    bytes: one inline-string cell of «A»s, which deflates to about a thousandth of its size. Written in 1 MiB
    pieces, so the test never holds the unpacked bomb in memory."""
    with zipfile.ZipFile(io.BytesIO(keep or xlsx([project(1)]))) as source:
        files = {name: source.read(name) for name in source.namelist() if name not in parts}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
        for name, size in parts.items():
            head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            head += b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
            tail = b"</t></is></c></row></sheetData></worksheet>"
            with target.open(name, "w", force_zip64=True) as part:
                part.write(head)
                written = len(head) + len(tail)
                piece = b"A" * MiB
                while written < size:
                    part.write(piece[: size - written])
                    written += min(MiB, size - written)
                part.write(tail)
    return buffer.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _bomb(kind: str) -> bytes:
    from resultater import prosjekt_import as limits

    if kind == "one part":
        return _with_parts({SHEET: limits.MAX_XLSX_PART_BYTES + MiB})
    if kind == "all parts together":
        half = limits.MAX_XLSX_UNPACKED_BYTES // 2 + MiB
        assert half < limits.MAX_XLSX_PART_BYTES
        return _with_parts({SHEET: half, "xl/worksheets/sheet2.xml": half})
    if kind == "packed too tightly":
        return _with_parts({SHEET: limits.RATIO_CHECKED_FROM_BYTES + MiB})
    assert kind == "too many parts"
    with zipfile.ZipFile(io.BytesIO(xlsx([project(1)]))) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files |= {f"xl/media/image{n}.png": b"x" for n in range(limits.MAX_XLSX_PARTS)}
    return _zip_of(files)


BOMB_MESSAGES = {
    "one part": "større enn",
    "all parts together": "større enn",
    "packed too tightly": "pakket",
    "too many parts": "deler",
}


@pytest.mark.parametrize("kind", list(BOMB_MESSAGES))
def test_a_zip_bomb_is_refused_at_upload_before_it_is_unpacked(client, koordinator, kind):
    """The issue's case: a small XLSX whose sheet unpacks to hundreds of MB. Refused from the sizes the package
    declares for its parts (zipfile never unpacks a part beyond its declared size), with a message in the form
    and nothing stored; the memory the refusal takes is a small fraction of what the bomb unpacks to."""
    import tracemalloc

    content = _bomb(kind)
    assert len(content) < 200 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError):
            prosjekt_import_upload(user=koordinator, filename="bombe.xlsx", content=content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MiB
    assert not ProsjektImport.objects.exists()

    client.force_login(koordinator)
    upload = SimpleUploadedFile("bombe.xlsx", content)
    response = client.post(reverse("resultater:prosjekt_import"), {"fil": upload})
    assert response.status_code == 400
    assert BOMB_MESSAGES[kind] in response.content.decode()
    assert not ProsjektImport.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_cell_longer_than_allowed_refuses_the_file_and_names_the_cell(koordinator, fmt):
    from resultater.prosjekt_import import MAX_CELL_CHARS

    rows = [project(1), project(2, utlysning="x" * (MAX_CELL_CHARS + 1))]
    content = xlsx(rows) if fmt == "xlsx" else csv_bytes(rows)
    with translation.override("nb"), pytest.raises(ValidationError) as refused:
        prosjekt_import_upload(user=koordinator, filename=f"x.{fmt}", content=content)
    # Utlysning is the fifth column (E); a CSV opened in Excel has the same letters.
    assert refused.value.message_dict == {"fil": ["Celle E3 har mer enn 10\u00a0000 tegn."]}
    assert not ProsjektImport.objects.exists()


def test_a_row_is_read_no_wider_than_the_columns_an_import_can_have():
    """A single cell in the sheet's last column (XFD) must not make every row 16,384 cells long."""
    from openpyxl.utils import get_column_letter

    from resultater.prosjekt_import import MAX_COLUMNS, read_rows

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings())
    sheet[f"{get_column_letter(16384)}2"] = "langt ute"
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(buffer.getvalue(), "x.xlsx")
    assert max(len(row) for row in rows) <= MAX_COLUMNS


def test_the_preview_and_the_import_use_the_rows_read_at_upload_not_the_file_again(client, koordinator, programme):
    """The file is read once, when it is uploaded: after that the stored bytes could be anything and the preview
    still shows, and the import still saves, the rows that were read."""
    content = xlsx([project(1), project(2)])
    client.force_login(koordinator)
    response = client.post(reverse("resultater:prosjekt_import"), {"fil": SimpleUploadedFile("p.xlsx", content)})
    assert response.status_code == 302
    upload = ProsjektImport.objects.get()
    ProsjektImport.objects.filter(pk=upload.pk).update(fil=b"not a spreadsheet any more")

    preview = client.get(upload.get_absolute_url())
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'id="import-errors"' not in page
    assert page.count('data-action="create"') == 2
    assert project(2)["ekstern_id"] in page

    assert client.post(upload.get_absolute_url()).status_code == 302
    assert set(Prosjekt.objects.values_list("ekstern_id", flat=True)) == {
        project(1)["ekstern_id"],
        project(2)["ekstern_id"],
    }


def test_defusedxml_is_a_runtime_dependency_and_guards_the_xlsx_reader(koordinator):
    """openpyxl parses with defusedxml only when it is installed, so the production install must bring it; an
    XLSX with an entity declaration (the «billion laughs» shape) is then refused, not expanded."""
    import tomllib
    from pathlib import Path

    import openpyxl

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    names = {re.split(r"[=<>\[ ;]", spec, maxsplit=1)[0].lower() for spec in pyproject["project"]["dependencies"]}
    assert "defusedxml" in names
    assert openpyxl.DEFUSEDXML is True

    with zipfile.ZipFile(io.BytesIO(xlsx([project(1)]))) as source:
        files = {name: source.read(name) for name in source.namelist()}
    laughs = b'<!DOCTYPE w [<!ENTITY a "hahahahahahahahaha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    files[SHEET] = files[SHEET].replace(b"<worksheet", laughs + b"<worksheet", 1).replace(b"YFE1", b"&b;")
    with pytest.raises(ValidationError):
        prosjekt_import_upload(user=koordinator, filename="x.xlsx", content=_zip_of(files))
    assert not ProsjektImport.objects.exists()


def test_a_file_over_the_import_limit_is_refused_by_its_size_without_being_read_into_memory(client, koordinator):
    """The form checks the size the upload reports before the view reads the file: a 6 MB upload is refused with
    the message while the request's memory stays far below the file's size, and nothing is stored."""
    import tracemalloc

    from tests.portal.test_request_limits import multipart_with_file, post_streamed

    client.force_login(koordinator)
    size = MAX_FILE_BYTES + MiB
    body = multipart_with_file({}, "prosjekter.xlsx", size)
    # Once first, so that what a first request loads (templates, translations) is not counted.
    post_streamed(client, reverse("resultater:prosjekt_import"), multipart_with_file({}, "prosjekter.xlsx", size))
    tracemalloc.start()
    try:
        response = post_streamed(client, reverse("resultater:prosjekt_import"), body)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 400
    assert "Filen er for stor (høyst 5 MB)." in response.content.decode()
    assert peak < size // 2
    assert not ProsjektImport.objects.exists()
