"""Benchmark: how long a backup and a restore of the portal take at 10× the programme (deploy/backup.sh and
deploy/restore.sh call the same functions: portal/backup.py).

Needs PostgreSQL: set BENCH_DATABASE_URL to a scratch database, which is FLUSHED. Loads the real 2020–2023
programme with the demo users and status reports, grows it to 10× (450 tiltak with their Ansvar, 8,000
statusmeldinger, 2,000 deltagelser; bench/pages.py's growth), approves one annual report (its PDF made by
WeasyPrint) and stores attachments (by default 200 of 256 KB, 50 MB, in a temporary media directory). Then it
backs up (pg_dump of one snapshot + every media file + manifest), and restores into the same database
(pg_restore --clean in one transaction, files put back, everything checked against the manifest), and prints the
sizes and wall-clock seconds of each, with the machine.

    BENCH_DATABASE_URL=postgres://… PG_BIN=/usr/lib/postgresql/15/bin .venv/bin/python bench/backup.py
"""

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 -- bench/pages.py: setup_django, grow, add_deltagelser


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--statusmeldinger", type=int, default=8_000)
    parser.add_argument("--deltagelser", type=int, default=2_000)
    parser.add_argument("--attachments", type=int, default=200)
    parser.add_argument("--attachment-kb", type=int, default=256)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/backup.py needs PostgreSQL: BENCH_DATABASE_URL=postgres://… of a scratch database (flushed!).")
    work = Path(tempfile.mkdtemp(prefix="bench-backup."))
    os.environ["DJANGO_MEDIA_ROOT"] = str(work / "media")
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    pages.setup_django(url)

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from handlingsprogram.models import Handlingsprogram, User
    from nettverk.models import Deltagelse
    from nettverk.services import vedlegg_add
    from portal.backup import backup_create, backup_restore
    from portal.demo import demo_statusmeldinger_create, demo_users_create
    from portal.loader import programme_file_load
    from rapportering.models import PdfGenerering
    from rapportering.services import aarsrapport_draft_create, pdf_generering_request
    from tiltak.models import Statusmelding, Tiltak

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    demo_statusmeldinger_create()
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}
    pages.grow(programme, args.factor, args.statusmeldinger - Statusmelding.objects.count(), authors, koordinator)
    pages.add_deltagelser(args.deltagelser, koordinator)
    rapport = aarsrapport_draft_create(programme=programme, aar=2021, user=koordinator)
    pdf_generering_request(aarsrapport=rapport, user=koordinator, formaal=PdfGenerering.Formaal.GODKJENNING)
    deltagelse = Deltagelse.objects.order_by("pk").first()
    body = b"\x89PNG\r\n\x1a\n" + os.urandom(args.attachment_kb * 1024 - 8)  # incompressible, as scans are
    for i in range(args.attachments):
        vedlegg_add(deltagelse=deltagelse, user=koordinator, uploaded=SimpleUploadedFile(f"skann-{i}.png", body))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database_bytes = cursor.fetchone()[0]
    print(
        f"data: {Tiltak.objects.count():,} tiltak, {Statusmelding.objects.count():,} statusmeldinger, "
        f"{Deltagelse.objects.count():,} deltagelser, 1 approved report, {args.attachments} attachments of "
        f"{args.attachment_kb} KB; database {database_bytes / 1e6:.0f} MB, media "
        f"{_size(work / 'media') / 1e6:.0f} MB (filled in {time.perf_counter() - start:.0f} s)"
    )

    target = work / "backup"
    start = time.perf_counter()
    manifest = backup_create(target=target)
    backup_seconds = time.perf_counter() - start
    print(
        f"backup: {backup_seconds:.1f} s — {len(manifest['tables'])} tables, {sum(manifest['tables'].values()):,} "
        f"rows, dump {(target / 'database.dump').stat().st_size / 1e6:.1f} MB, {len(manifest['files'])} files "
        f"{_size(target / 'media') / 1e6:.0f} MB"
    )
    shutil.rmtree(work / "media")
    start = time.perf_counter()
    report = backup_restore(source=target)
    restore_seconds = time.perf_counter() - start
    print(
        f"restore: {restore_seconds:.1f} s — into the same database (pg_restore --clean, one transaction), "
        f"files put back, checked: {report.tables} tables, {report.rows:,} rows, {report.approved_reports} approved "
        f"report, {report.files} files identical"
    )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{connection.cursor().connection.server_version // 10000} PostgreSQL major")  # fmt: skip
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
