"""Spreadsheet downloads (CSV and XLSX) that are safe to open in Excel, for any list in the portal.

Text from users ends up in these files, and a spreadsheet treats a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (OWASP "CSV injection"): ``=HYPERLINK(...)`` in a status report would become a live link
in the coordinator's Excel. Every text cell therefore goes through ``neutralise_cell``.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The formats every export offers (the URL's ".<fmt>").
FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd.mm.yyyy"

# Control characters the XLSX format cannot hold (openpyxl refuses them); tab, newline and CR are allowed.
_ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_cell(value):
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _attachment(content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    # The rows may hold internal data: never keep a copy in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download as Norwegian Excel opens it directly: UTF-8 with BOM (so æøå survive), semicolons,
    dates as dd.mm.åååå."""
    response = _attachment(CSV_CONTENT_TYPE, filename)
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_cell(_csv_value(value)) for value in header])
    for row in rows:
        writer.writerow([neutralise_cell(_csv_value(value)) for value in row])
    response.write(buffer.getvalue().encode("utf-8"))
    return response


def _column_width(values: Iterable) -> float:
    longest = max((len(line) for value in values for line in _csv_value(value).splitlines() or [""]), default=0)
    return max(8, min(longest + 2, 60))


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence], sheet_title: str) -> HttpResponse:
    """An XLSX download: bold, frozen header row; every text cell stored as text (never a formula); dates as
    real dates shown dd.mm.åååå; column widths from the content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = [list(row) for row in rows]
    workbook = Workbook()
    sheet = workbook.active
    # Sheet titles are at most 31 characters and may not contain []:*?/\
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", sheet_title)[:31] or "Sheet"

    def write(row_number: int, values: Sequence, bold: bool = False) -> None:
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, datetime.datetime):
                value = value.date()
            if isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.value = value
            else:
                text = neutralise_cell(_ILLEGAL_XML_CHARACTERS.sub("", _csv_value(value)))
                cell.value = text
                # openpyxl infers a formula from a leading "="; neutralise_cell already prevents that, and
                # forcing the type keeps it so whatever the value.
                cell.data_type = "s"
                if "\n" in text:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True)

    write(1, header, bold=True)
    for row_number, row in enumerate(rows, start=2):
        write(row_number, row)
    sheet.freeze_panes = "A2"
    for column_number, title in enumerate(header, start=1):
        column = [title] + [row[column_number - 1] for row in rows if len(row) >= column_number]
        sheet.column_dimensions[get_column_letter(column_number)].width = _column_width(column)
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = _attachment(XLSX_CONTENT_TYPE, filename)
    response.write(buffer.getvalue())
    return response
