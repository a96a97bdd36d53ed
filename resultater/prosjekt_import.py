"""Reading a spreadsheet of projects (the format ``exports.prosjekt_export`` writes) into a plan: row by row, what
would be created, updated or left unchanged, and every error with its row and column. Reads only; the service
``services.prosjekt_import_apply`` saves a plan, and only a plan without errors.

A file is read once, at upload (``read_rows``, bounded so that a small file cannot unpack to gigabytes), and its
cells are kept with the upload as JSON (``rows_to_json``); the preview and the import plan from those rows."""

import csv
import datetime
import io
import itertools
import math
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from felles.formatting import format_number, parse_decimal
from handlingsprogram.models import Aktoer, Finansieringsprogram, Handlingsprogram
from tiltak.models import Tiltak

from .exports import PROSJEKT_COLUMNS, PROSJEKT_COMPUTED_COLUMNS
from .models import Prosjekt, ProsjektImport
from .rules import ProsjektData, prosjekt_errors

MAX_FILE_BYTES = settings.PROSJEKT_IMPORT_MAX_BYTES
MAX_ROWS = 10_000
# The export has 16 columns; cells further right are never read, so one cell in column XFD cannot make every row
# 16,384 cells long.
MAX_COLUMNS = 100
# The longest text a project holds is far shorter; a longer cell refuses the file before it is stored.
MAX_CELL_CHARS = 10_000
# An XLSX file is a zip package. A 10,000-row export unpacks to about 8 MB at 13:1, so these leave room for
# Excel's own files while refusing a bomb (the security review's 511 KB file held a 500 MB cell) before openpyxl
# unpacks anything: the parts, each part's size and the total as the package declares them, and how tightly a
# large part is packed.
MAX_XLSX_PARTS = 200
MAX_XLSX_PART_BYTES = 25 * 1024 * 1024
MAX_XLSX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_XLSX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # a small part packed tightly is harmless (and common)
# Every field but the optional texts; organisations and measures may be empty.
REQUIRED = set(ProsjektData.SCALAR_FIELDS) - {"akronym", "utlysning"}
_FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@\t\r])")
_LIST_SPLIT = re.compile(r"\s*[;\n]\s*")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass
class RowPlan:
    number: int  # as the spreadsheet shows it: the header is row 1
    ekstern_id: str
    navn: str
    action: str = Action.ERROR
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column heading, message)
    data: ProsjektData | None = None
    prosjekt: Prosjekt | None = None


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.error_rows and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)}


class FileUnreadable(Exception):
    """The file cannot be read into rows; the message (translated) says why."""


# Field names a heading may still be from before the fields got English names, so a saved sheet keeps working.
FORMER_FIELD_NAMES = {"startdato": "start_date", "sluttdato": "end_date"}


def _headings() -> dict[str, str]:
    """Every heading a column may have, normalised → field key: the Norwegian heading the export writes, the
    English one, and the field name itself (today's or a former one)."""
    headings = {_normalise(former): key for former, key in FORMER_FIELD_NAMES.items()}
    for key, label in PROSJEKT_COLUMNS + PROSJEKT_COMPUTED_COLUMNS:
        for text in (str(label), key):
            headings[_normalise(text)] = key
        with override("en"):
            headings[_normalise(str(label))] = key
    return headings


def _normalise(text) -> str:
    return " ".join(str(text or "").replace("\u00a0", " ").split()).casefold()


def read_rows(content: bytes, filename: str) -> list[list]:
    """The sheet's cells, row by row: the first sheet of an XLSX file, or a CSV (UTF-8, ``;`` or ``,``). At most
    ``MAX_COLUMNS`` cells a row (trailing empty cells dropped); a cell longer than ``MAX_CELL_CHARS`` refuses the
    file, as does an XLSX package that would unpack to more than the limits above."""
    is_xlsx = filename.lower().endswith(".xlsx") or content[:2] == b"PK"
    rows = _read_xlsx(content) if is_xlsx else _read_csv(content)
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise FileUnreadable(
                    _("Cell %(cell)s has more than %(max)s characters.")
                    % {"cell": f"{_column_letter(index)}{number}", "max": format_number(MAX_CELL_CHARS)}
                )
        while row and row[-1] is None:
            row.pop()
    return rows


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _check_package(content: bytes) -> None:
    """Refuse an XLSX package from the sizes it declares for its parts, before any part is unpacked. These bound
    what openpyxl can read: zipfile never yields more of a part than its declared size (a part that would unpack
    to more fails its CRC check)."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        parts = package.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise FileUnreadable(
            _("The spreadsheet has more than %(max)s parts; it cannot be imported.") % {"max": MAX_XLSX_PARTS}
        )
    too_large = _("The spreadsheet is larger than %(max)s MB once unpacked; it cannot be imported.")
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise FileUnreadable(too_large % {"max": MAX_XLSX_PART_BYTES // (1024 * 1024)})
    if sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED_BYTES:
        raise FileUnreadable(too_large % {"max": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)})
    for part in parts:
        if part.file_size >= RATIO_CHECKED_FROM_BYTES and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            raise FileUnreadable(
                _("The spreadsheet is packed far more tightly than a real spreadsheet; it cannot be imported.")
            )


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    # In read-only mode the sheet's XML is parsed while the rows are read, so a damaged sheet fails there.
    try:
        _check_package(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Some writers store a wrong used range (e.g. "A1"), which read-only mode would cut the rows to.
            sheet.reset_dimensions()
            rows = []
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + 1:
                    break
            return rows
        finally:
            workbook.close()
    except (zipfile.BadZipFile, KeyError, IndexError, OSError, TypeError, ValueError, SyntaxError) as error:
        raise FileUnreadable(_("The file is not a readable XLSX spreadsheet.")) from error


def _read_csv(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileUnreadable(_("The CSV file must be saved as UTF-8.")) from error
    if "\x00" in text:
        raise FileUnreadable(_("The file is neither an XLSX spreadsheet nor a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [row[:MAX_COLUMNS] for row in itertools.islice(reader, MAX_ROWS + 2)]
    except csv.Error as error:
        raise FileUnreadable(_("The CSV file could not be read: %(error)s") % {"error": error}) from error


def rows_to_json(rows: list[list]) -> list[list]:
    """The cells as JSON values, to keep with the upload: dates tagged so ``rows_from_json`` gives them back."""
    return [[_cell_to_json(value) for value in row] for row in rows]


def rows_from_json(rows: list[list]) -> list[list]:
    return [[_cell_from_json(value) for value in row] for row in rows]


def _cell_to_json(value):
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        # PostgreSQL's jsonb holds no NUL; a spreadsheet cell has no use for one.
        return value.replace("\x00", "\ufffd")
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # JSON has no NaN or infinity
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    return str(value)  # times and durations: the parsers read them as their text, which is what they get


def _cell_from_json(value):
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.datetime.fromisoformat(value["datetime"])
        return datetime.date.fromisoformat(value["date"])
    return value


# Cell parsers: each returns the value or raises ValueError with the message the user sees. -----------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _FORMULA_ESCAPE.sub("", str(value).strip())


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(_("«%(value)s» is not a number.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return parse_decimal(_text(value))
    except ValueError:
        raise ValueError(_("«%(value)s» is not a number.") % {"value": _text(value)}) from None


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("«%(value)s» is not a date (write dd.mm.åååå).") % {"value": text})


def _choice(value, choices) -> str:
    text = _normalise(_text(value))
    if not text:
        return ""
    for key, label in choices:
        if text in (_normalise(key), _normalise(str(label))):
            return key
        with override("en"):
            if text == _normalise(str(label)):
                return key
    raise ValueError(
        _("«%(value)s» is not one of: %(choices)s.")
        % {"value": _text(value), "choices": ", ".join(str(label) for _key, label in choices)}
    )


@dataclass
class _Lookups:
    """Everything a row may refer to, loaded once per file (the query count does not grow with the rows)."""

    programme: Handlingsprogram | None
    finansieringsprogrammer: dict[str, Finansieringsprogram]
    aktoerer: dict[str, Aktoer]
    tiltak: dict[str, Tiltak]

    @classmethod
    def load(cls, programme: Handlingsprogram | None) -> "_Lookups":
        programmes = {}
        for fp in Finansieringsprogram.objects.all():
            programmes[_normalise(fp.navn)] = fp
            programmes[_normalise(fp.slug)] = fp
        aktoerer = {}
        everyone = list(Aktoer.objects.all())
        # A full name wins over another organisation's short name or slug that happens to be the same text.
        for attribute in ("navn", "kortnavn", "slug"):
            for aktoer in everyone:
                if name := getattr(aktoer, attribute):
                    aktoerer.setdefault(_normalise(name), aktoer)
        tiltak = {}
        if programme is not None:
            for item in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
                "innsatsomraade__omraade"
            ):
                tiltak[item.kode] = item
        return cls(programme, programmes, aktoerer, tiltak)

    def finansieringsprogram(self, value) -> Finansieringsprogram | None:
        text = _text(value)
        if not text:
            return None
        found = self.finansieringsprogrammer.get(_normalise(text))
        if found is None:
            raise ValueError(_("No funding programme is called «%(value)s».") % {"value": text})
        return found

    def aktoer_list(self, value) -> list[Aktoer]:
        names = [name for name in _LIST_SPLIT.split(_text(value)) if name]
        unknown = [name for name in names if _normalise(name) not in self.aktoerer]
        if unknown:
            raise ValueError(_("Unknown organisation: %(names)s.") % {"names": ", ".join(f"«{n}»" for n in unknown)})
        found = {self.aktoerer[_normalise(name)].pk: self.aktoerer[_normalise(name)] for name in names}
        return list(found.values())

    def tiltak_list(self, value) -> list[Tiltak]:
        codes = [code for code in re.split(r"[;,\s]+", _text(value)) if code]
        unknown = [code for code in codes if code not in self.tiltak]
        if unknown:
            raise ValueError(_("Unknown measure code: %(codes)s.") % {"codes": ", ".join(f"«{c}»" for c in unknown)})
        found = {self.tiltak[code].pk: self.tiltak[code] for code in codes}
        return list(found.values())


def build_plan(content: bytes, filename: str, *, programme: Handlingsprogram | None) -> ImportPlan:
    """Read ``content`` and decide, for every row, what saving it would do. Runs a fixed number of queries."""
    plan = ImportPlan()
    if len(content) > MAX_FILE_BYTES:
        plan.file_errors.append(
            _("The file is too large (at most %(max)s MB).") % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
        return plan
    try:
        rows = read_rows(content, filename)
    except FileUnreadable as error:
        plan.file_errors.append(str(error))
        return plan
    # Through JSON and back, as an upload keeps them, so that this plan is the one the preview shows.
    return plan_rows(rows_from_json(rows_to_json(rows)), programme=programme)


def plan_upload(upload: ProsjektImport, *, programme: Handlingsprogram | None) -> ImportPlan:
    """The plan of an upload, from the rows read when it was uploaded: the file itself is never read again."""
    if upload.rader is None:  # uploaded before the rows were kept
        plan = ImportPlan()
        plan.file_errors.append(_("Upload the file again."))
        return plan
    return plan_rows(rows_from_json(upload.rader), programme=programme)


def plan_rows(rows: list[list], *, programme: Handlingsprogram | None) -> ImportPlan:
    """Decide, for every row of cells, what saving it would do. Runs a fixed number of queries."""
    plan = ImportPlan()
    # Blank rows are skipped, but every row keeps the number the spreadsheet shows for it.
    rows = [(number, row) for number, row in enumerate(rows, start=1) if any(_text(cell) for cell in row)]
    if not rows:
        plan.file_errors.append(_("The file is empty."))
        return plan
    headings = _headings()
    columns: dict[str, int] = {}
    labels = dict(PROSJEKT_COLUMNS)
    for index, heading in enumerate(rows[0][1]):
        key = headings.get(_normalise(heading))
        if key and key not in columns:
            columns[key] = index
    missing = [str(labels[key]) for key, _label in PROSJEKT_COLUMNS if key in REQUIRED and key not in columns]
    if missing:
        plan.file_errors.append(
            _("The first row must hold the column headings; missing: %(columns)s.")
            % {"columns": ", ".join(f"«{name}»" for name in missing)}
        )
        return plan
    if len(rows) - 1 > MAX_ROWS:
        plan.file_errors.append(_("The file has more than %(max)s rows; split it.") % {"max": format_number(MAX_ROWS)})
        return plan
    if len(rows) == 1:
        plan.file_errors.append(_("The file has headings but no projects."))
        return plan

    lookups = _Lookups.load(programme)
    for number, row in rows[1:]:
        plan.rows.append(_plan_row(number, row, columns, labels, lookups))
    _check_duplicates(plan, labels)
    _match_existing(plan)
    return plan


def _plan_row(number: int, row: list, columns: dict[str, int], labels: dict, lookups: _Lookups) -> RowPlan:
    def cell(key):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    plan = RowPlan(number=number, ekstern_id=_text(cell("ekstern_id")), navn=_text(cell("navn")))
    values = {}
    parsers = {
        "finansieringsprogram": lookups.finansieringsprogram,
        "rolle": lambda v: _choice(v, Prosjekt.Rolle.choices),
        "status": lambda v: _choice(v, Prosjekt.Status.choices),
        "valuta": lambda v: _text(v).upper(),
        "start_date": _date,
        "end_date": _date,
        "totalbudsjett": _decimal,
        "innvilget_trondelag": _decimal,
        "aktoerer": lookups.aktoer_list,
        "tiltak": lookups.tiltak_list,
    }
    unreadable = set()
    for key, _label in PROSJEKT_COLUMNS:
        parse = parsers.get(key, _text)
        try:
            values[key] = parse(cell(key))
        except ValueError as error:
            plan.errors.append((str(labels[key]), str(error)))
            unreadable.add(key)
            values[key] = [] if key in ("aktoerer", "tiltak") else None
    data = ProsjektData(**values)
    # The rules are checked on the cells that could be read too, so one upload shows every error of the row.
    for key, message in prosjekt_errors(data).items():
        if key not in unreadable:
            plan.errors.append((str(labels[key]), message))
    if not plan.errors:
        plan.data = data
    return plan


def _check_duplicates(plan: ImportPlan, labels: dict) -> None:
    seen: dict[str, int] = {}
    for row in plan.rows:
        if not row.ekstern_id:
            continue
        if row.ekstern_id in seen:
            row.errors.append(
                (
                    str(labels["ekstern_id"]),
                    _("Project number «%(id)s» is also on row %(row)s.")
                    % {"id": row.ekstern_id, "row": seen[row.ekstern_id]},
                )
            )
            row.data = None
        else:
            seen[row.ekstern_id] = row.number


def _match_existing(plan: ImportPlan) -> None:
    """Mark each valid row create, update or unchanged by comparing it with the project of the same number."""
    ids = [row.ekstern_id for row in plan.rows if row.data is not None]
    existing = {p.ekstern_id: p for p in Prosjekt.objects.filter(ekstern_id__in=ids)} if ids else {}
    aktoer_ids: dict[int, set[int]] = {}
    tiltak_ids: dict[int, set[int]] = {}
    if existing:
        pks = [p.pk for p in existing.values()]
        for prosjekt_id, aktoer_id in Prosjekt.aktoerer.through.objects.filter(prosjekt_id__in=pks).values_list(
            "prosjekt_id", "aktoer_id"
        ):
            aktoer_ids.setdefault(prosjekt_id, set()).add(aktoer_id)
        for prosjekt_id, tiltak_id in Prosjekt.tiltak.through.objects.filter(prosjekt_id__in=pks).values_list(
            "prosjekt_id", "tiltak_id"
        ):
            tiltak_ids.setdefault(prosjekt_id, set()).add(tiltak_id)
    for row in plan.rows:
        if row.data is None:
            row.action = Action.ERROR
            continue
        prosjekt = existing.get(row.ekstern_id)
        if prosjekt is None:
            row.action = Action.CREATE
        elif row.data.differs_from(
            prosjekt, aktoer_ids=aktoer_ids.get(prosjekt.pk, set()), tiltak_ids=tiltak_ids.get(prosjekt.pk, set())
        ):
            row.action, row.prosjekt = Action.UPDATE, prosjekt
        else:
            row.action, row.prosjekt = Action.UNCHANGED, prosjekt
