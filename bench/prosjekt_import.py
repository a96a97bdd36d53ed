"""Benchmark: importing a 5,000-row project spreadsheet (the format of the project export).

Fills a scratch database (default: SQLite in a temporary file; set BENCH_DATABASE_URL for PostgreSQL, which is
FLUSHED) with the real 2020–2023 programme and the demo users, writes a 5,000-row XLSX file in the export format
(``resultater.exports.PROSJEKT_COLUMNS`` through the portal's own XLSX writer: every funding programme and
sub-programme, 1–3 Trøndelag organisations and 1–3 measure codes per row, EUR/NOK/SEK/DKK, all four statuses),
and times, as a coordinator would run them:

1. a first import: 5,000 projects created,
2. the same file again: every row unchanged, nothing written,
3. the file with 10 % of the rows changed (amounts, status, end date, organisations or measures).

Each import is upload (``prosjekt_import_upload``, which reads the file once and keeps its rows), preview
(``prosjekt_import.plan_upload``, what the preview page shows) and apply (``prosjekt_import_apply``, which plans the
kept rows again against the database and saves them in one transaction). Prints
seconds, rows per second and the number of SQL queries of each step. Target: a 5,000-row import (preview and
apply together) in under 30 s.

    DJANGO_DEBUG=1 .venv/bin/python bench/prosjekt_import.py [--rows 5000]
    BENCH_DATABASE_URL=postgres://… DJANGO_DEBUG=1 .venv/bin/python bench/prosjekt_import.py   # flushes it!
"""

import argparse
import contextlib
import datetime
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import setup_django  # noqa: E402

TARGET_SECONDS = 30.0
CHANGED_SHARE = 0.10

CALLS = [
    "KA1 mobilitet i yrkesfag",
    "KA2 strategiske partnerskap",
    "Call 1 – Innovation",
    "Call 2 – Low carbon",
    "Småprosjekt",
    "Green Deal",
    "",
]
WORDS = ["Grønn", "Blå", "Digital", "Smart", "Nordisk", "Arktisk", "Sirkulær", "Kyst", "Fjord", "Skog", "Energi"]
NOUNS = ["mobilitet", "omstilling", "innovasjon", "kompetanse", "partnerskap", "havbruk", "læring", "by"]


def machine_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


class QueryCounter:
    """Counts the queries run on a connection (a cheap execute wrapper: no query log kept while timing)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def project_rows(count: int, seed: int = 2024) -> list[list]:
    """``count`` plausible projects as export rows (the import columns; the computed ones left empty)."""
    from handlingsprogram.models import Aktoer, Finansieringsprogram
    from resultater.models import Prosjekt
    from tiltak.models import Tiltak

    rng = random.Random(seed)  # noqa: S311 -- reproducible benchmark data, not security
    programmes = list(Finansieringsprogram.objects.order_by("pk").values_list("navn", flat=True))
    actors = list(Aktoer.objects.order_by("pk").values_list("navn", flat=True))
    codes = [t.kode for t in Tiltak.objects.select_related("innsatsomraade__omraade")]
    roles = [label for _key, label in Prosjekt.Rolle.choices]
    statuses = [label for _key, label in Prosjekt.Status.choices]
    currencies = ["EUR"] * 6 + ["NOK"] * 2 + ["SEK", "DKK"]
    rows = []
    for i in range(count):
        start = datetime.date(rng.randint(2016, 2024), rng.randint(1, 12), rng.randint(1, 28))
        end = start + datetime.timedelta(days=rng.randint(180, 1460))
        total = Decimal(rng.randint(50_000, 8_000_000)) + Decimal(rng.randint(0, 99)) / 100
        granted = (total * Decimal(rng.randint(5, 100)) / 100).quantize(Decimal("0.01"))
        name = f"{rng.choice(WORDS)} {rng.choice(NOUNS)} {i}"
        rows.append(
            [
                f"{start.year}-{rng.randint(1, 3)}-NO01-KA{rng.choice([102, 116, 202, 220])}-{i:06d}",
                name,
                f"{name.split()[0][:3].upper()}{name.split()[1][:3].upper()}{i}",
                rng.choice(programmes),
                rng.choice(CALLS),
                rng.choice(roles),
                "; ".join(rng.sample(actors, rng.randint(1, 3))),
                start,
                end,
                rng.choice(statuses),
                total,
                granted,
                rng.choice(currencies),
                "; ".join(sorted(rng.sample(codes, rng.randint(1, 3)))),
                None,
                None,
            ]
        )
    return rows


def change_rows(rows: list[list], share: float, seed: int = 7) -> list[list]:
    """A copy of ``rows`` with ``share`` of them changed the way a new export from a funding portal would."""
    from resultater.models import Prosjekt

    rng = random.Random(seed)  # noqa: S311 -- reproducible benchmark data, not security
    changed = [list(row) for row in rows]
    statuses = [label for _key, label in Prosjekt.Status.choices]
    for index in rng.sample(range(len(rows)), round(len(rows) * share)):
        row = changed[index]
        match index % 4:
            case 0:
                row[11] = (row[11] * Decimal("0.9")).quantize(Decimal("0.01"))  # granted amount revised
            case 1:
                row[9] = rng.choice([s for s in statuses if s != row[9]])
            case 2:
                row[8] = row[8] + datetime.timedelta(days=90)  # extended
            case 3:
                codes = row[13].split("; ")
                row[13] = "; ".join(
                    codes[:-1] if len(codes) > 1 else [*codes, "4.1.1" if codes != ["4.1.1"] else "4.1.2"]
                )
    return changed


def xlsx_bytes(rows: list[list]) -> bytes:
    """The file the export would give for these rows: same headings, same writer."""
    from felles.exports import xlsx_response
    from resultater.exports import PROSJEKT_COLUMNS, PROSJEKT_COMPUTED_COLUMNS

    header = [str(label) for _key, label in PROSJEKT_COLUMNS + PROSJEKT_COMPUTED_COLUMNS]
    return xlsx_response("prosjekter.xlsx", header, rows, sheet_title="Prosjekter").content


def run_import(label: str, content: bytes, *, user, programme, expect: dict) -> dict:
    from django.db import connection

    from resultater import services
    from resultater.prosjekt_import import plan_upload

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        begin = time.perf_counter()
        upload = services.prosjekt_import_upload(user=user, filename="prosjekter.xlsx", content=content)
        uploaded = time.perf_counter()
        queries_upload = counter.count
        plan = plan_upload(upload, programme=programme)
        previewed = time.perf_counter()
        queries_preview = counter.count - queries_upload
        assert plan.is_valid, (plan.file_errors, plan.error_rows[:3])
        services.prosjekt_import_apply(user=user, upload=upload, programme=programme)
        applied = time.perf_counter()
        queries_apply = counter.count - queries_upload - queries_preview
    upload.refresh_from_db()
    counts = {"create": upload.antall_opprettet, "update": upload.antall_oppdatert, "unchanged": upload.antall_uendret}
    assert counts == expect, (label, counts, expect)
    rows = len(plan.rows)
    result = {
        "label": label,
        "rows": rows,
        "counts": counts,
        "upload": uploaded - begin,
        "preview": previewed - uploaded,
        "apply": applied - previewed,
        "total": applied - begin,
        "queries": (queries_upload, queries_preview, queries_apply),
    }
    print(
        f"\n{label}: {rows:,} rows → {counts['create']:,} created, {counts['update']:,} updated, "
        f"{counts['unchanged']:,} unchanged\n"
        f"  upload   {result['upload']:7.2f} s  ({queries_upload} queries)\n"
        f"  preview  {result['preview']:7.2f} s  {rows / result['preview']:8,.0f} rows/s  ({queries_preview} queries)\n"
        f"  apply    {result['apply']:7.2f} s  {rows / result['apply']:8,.0f} rows/s  ({queries_apply:,} queries)\n"
        f"  total    {result['total']:7.2f} s  {rows / result['total']:8,.0f} rows/s  "
        f"(target < {TARGET_SECONDS:.0f} s: {'ok' if result['total'] < TARGET_SECONDS else 'ABOVE TARGET'})"
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    setup_django(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch.name}/bench.sqlite3")

    import django
    from django.core.management import call_command
    from django.db import connection

    from handlingsprogram.models import Handlingsprogram, User
    from portal.demo import demo_users_create
    from portal.loader import programme_file_load
    from resultater.models import Prosjekt
    from resultater.selectors import ProsjektFilter, prosjekter_filtered

    call_command("migrate", verbosity=0)  # first, so that a new, empty database works too
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.get(username="koordinator")

    begin = time.perf_counter()
    rows = project_rows(args.rows)
    first = xlsx_bytes(rows)
    changed = xlsx_bytes(change_rows(rows, CHANGED_SHARE))
    written = time.perf_counter() - begin
    print(
        f"files: {args.rows:,} rows, {len(first) / 1024:.0f} KiB XLSX (written in {written:.1f} s); "
        f"database: {connection.vendor}"
    )

    n_changed = round(args.rows * CHANGED_SHARE)
    results = [
        run_import(
            "1. first import",
            first,
            user=koordinator,
            programme=programme,
            expect={"create": args.rows, "update": 0, "unchanged": 0},
        ),
        run_import(
            "2. same file again",
            first,
            user=koordinator,
            programme=programme,
            expect={"create": 0, "update": 0, "unchanged": args.rows},
        ),
        run_import(
            f"3. {CHANGED_SHARE:.0%} of the rows changed",
            changed,
            user=koordinator,
            programme=programme,
            expect={"create": 0, "update": n_changed, "unchanged": args.rows - n_changed},
        ),
    ]
    history = Prosjekt.history.count()
    m2m_history = (
        Prosjekt.history.model.aktoerer.model.objects.count() + Prosjekt.history.model.tiltak.model.objects.count()
    )
    print(f"\naudit history: {history:,} project versions, {m2m_history:,} m2m rows in them")

    # The export of everything just imported, imported again: the round trip changes nothing.
    from resultater.exports import prosjekt_export

    begin = time.perf_counter()
    exported = prosjekt_export(fmt="xlsx", prosjekter=prosjekter_filtered(filters=ProsjektFilter())).content
    print(f"export of {Prosjekt.objects.count():,} projects: {time.perf_counter() - begin:.2f} s")
    results.append(
        run_import(
            "4. the export, imported back",
            exported,
            user=koordinator,
            programme=programme,
            expect={"create": 0, "update": 0, "unchanged": args.rows},
        )
    )

    print(f"\n{'import':<32} {'preview':>9} {'apply':>9} {'total':>9} {'rows/s':>8}")
    for result in results:
        print(
            f"{result['label']:<32} {result['preview']:8.2f}s {result['apply']:8.2f}s {result['total']:8.2f}s "
            f"{result['rows'] / result['total']:8,.0f}"
        )
    server = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f" {cursor.fetchone()[0].split()[0]}"
    elif connection.vendor == "sqlite":
        import sqlite3

        server = f" {sqlite3.sqlite_version}"
    print(
        f"\nmachine: {os.cpu_count()} cores, {machine_model()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {connection.vendor}{server}"
    )


if __name__ == "__main__":
    main()
