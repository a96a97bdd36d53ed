"""Benchmark: the security review's zip bomb (issue 20, finding 4) read as the project import read it before and
as it reads it now.

Writes the review's file: an XLSX whose one sheet holds a single cell of ``--cell-mb`` MB (default 500) of «A»,
which deflates to about 500 KB. Then, each in a fresh process so the peak memory is that step's alone:

- baseline: the process with Django and openpyxl imported, reading nothing;
- before: openpyxl in read-only mode, as ``prosjekt_import._read_xlsx`` called it before the limits (every cell
  of the first sheet, no bound on what the package unpacks to);
- now: ``prosjekt_import.read_rows``, which checks the package's declared sizes before unpacking anything.

Prints the wall time and peak resident memory (``ru_maxrss``) of each step. Needs no database.

    DJANGO_DEBUG=1 .venv/bin/python bench/zip_bomb.py [--cell-mb 500]
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MiB = 1024 * 1024

CHILD = """
import os, sys, time, resource
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
import io
from openpyxl import load_workbook
from resultater.prosjekt_import import FileUnreadable, read_rows

content = open({path!r}, "rb").read()
step = {step!r}
begin = time.perf_counter()
outcome = "read nothing"
if step == "before":
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    outcome = f"read: {{len(rows)}} row(s), longest cell {{max(len(str(c)) for c in rows[0]):,}} characters"
elif step == "now":
    try:
        read_rows(content, "bombe.xlsx")
        outcome = "read"
    except FileUnreadable as error:
        outcome = f"refused: {{error}}"
elapsed = time.perf_counter() - begin
print(f"{{elapsed:.3f}}\\t{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}\\t{{outcome}}")
"""


def bomb(cell_bytes: int) -> bytes:
    """A real workbook (openpyxl's files) whose sheet is one inline-string cell of ``cell_bytes`` «A»s."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
        files = {name: source.read(name) for name in source.namelist() if name != "xl/worksheets/sheet1.xml"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            target.writestr(name, data)
        with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
            )
            piece = b"A" * MiB
            for _ in range(cell_bytes // MiB):
                sheet.write(piece)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def run(step: str, path: str) -> tuple[float, int, str]:
    code = CHILD.format(root=str(ROOT), path=path, step=step)
    begin = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
    wall = time.perf_counter() - begin
    if result.returncode != 0:
        return wall, 0, f"failed: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else '?'}"
    elapsed, rss_kib, outcome = result.stdout.strip().splitlines()[-1].split("\t", 2)
    return float(elapsed), int(rss_kib) * 1024, outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cell-mb", type=int, default=500)
    args = parser.parse_args()
    content = bomb(args.cell_mb * MiB)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(content)
        file.flush()
        print(f"file: {len(content) / 1024:.0f} KiB, one cell of {args.cell_mb} MB")
        baseline = run("baseline", file.name)[1]
        print(f"baseline process (Django, openpyxl imported): {baseline / MiB:.0f} MiB")
        for step, label in (("before", "before (openpyxl, unbounded)"), ("now", "now (read_rows)")):
            seconds, rss, outcome = run(step, file.name)
            print(f"{label:<30} {seconds:7.2f} s  peak {rss / MiB:7.0f} MiB ({(rss - baseline) / MiB:+.0f})  {outcome}")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
