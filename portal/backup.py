"""Backup and restore of the whole portal: the database and the media storage (attachments, report PDFs).

A backup is a directory:

    manifest.json      what the backup holds, to check a restore against: when and from which database it was
                       made, the row count of every table, the SHA-256 of every approved report's PDF as recorded,
                       and every stored file with its size and SHA-256
    database.dump      PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``)
    database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API
    media/             every file in the media storage, by its storage name (local disk or S3 alike: the files are
                       read through Django's storage API)

Restoring replaces the database's contents and puts every file back under its own name, then checks the result
against the manifest: the same row count in every table, the same approved-report SHA-256s (recorded and
recomputed from the restored PDF), every file present with its SHA-256. Any difference is an error: a restore
that cannot be shown to be complete is not called complete."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

from rapportering.models import Aarsrapport

MANIFEST = "manifest.json"
MEDIA_DIR = "media"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be made or could not be shown to be complete; the message says why."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    approved_reports: int = 0
    problems: list[str] = field(default_factory=list)


def _sha256_of(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backup supports PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore from PG_BIN when set (a server's own version), else from PATH."""
    pg_bin = os.environ.get("PG_BIN")
    if pg_bin and (Path(pg_bin) / name).exists():
        return str(Path(pg_bin) / name)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client), and PG_BIN does not point to it.")
    return found


def _pg_arguments() -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools, with the password in the environment, never on the command line."""
    db = settings.DATABASES["default"]
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is ours and the arguments come from settings, never from a request.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def table_row_counts(cursor=None, introspection=None) -> dict[str, int]:
    """Every table in the database (Django's and the apps', history and link tables too) with its row count."""
    if cursor is None:
        with connection.cursor() as cursor:
            return table_row_counts(cursor, connection.introspection)
    tables = sorted(introspection.table_names(cursor))
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- a name from the database's own catalog
        counts[table] = cursor.fetchone()[0]
    return counts


def approved_report_hashes(cursor=None) -> dict[str, str]:
    """Each frozen report (approved, or approved and later superseded) by id, with the SHA-256 recorded at approval."""
    if cursor is None:
        rows = Aarsrapport.objects.exclude(pdf_sha256="").order_by("pk").values_list("pk", "pdf_sha256")
    else:
        table = Aarsrapport._meta.db_table  # the model's own table name
        cursor.execute(f"SELECT id, pdf_sha256 FROM \"{table}\" WHERE pdf_sha256 <> '' ORDER BY id")  # noqa: S608
        rows = cursor.fetchall()
    return {str(pk): sha for pk, sha in rows}


def _storage_files(directory: str = "") -> list[str]:
    """Every file name in the media storage, walked through the storage API (local disk and S3 alike)."""
    try:
        subdirectories, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return []
    names = [f"{directory}/{name}" if directory else name for name in files]
    for subdirectory in subdirectories:
        names += _storage_files(f"{directory}/{subdirectory}" if directory else subdirectory)
    return sorted(names)


def _safe_target(root: Path, name: str) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise BackupError(f"Refusing a file name outside the backup: {name!r}")
    return target


def _postgres_dump(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump of one exported snapshot, and the row counts and report hashes read in that same snapshot: what the
    manifest says is exactly what the dump holds, however busy the site is while it runs."""
    arguments, env = _pg_arguments()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = table_row_counts(cursor, connection.introspection)
        approved = approved_report_hashes(cursor) if Aarsrapport._meta.db_table in tables else {}
        # --format=custom: compressed, and pg_restore restores it into an empty or a filled database alike.
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--snapshot", snapshot,
              "--file", str(path), *arguments], env)  # fmt: skip
    return tables, approved


def _sqlite_copy(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """A consistent copy through SQLite's online backup API; the counts are read from the copy itself."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        tables = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 -- from sqlite_master itself
            tables[table] = cursor.fetchone()[0]
        approved = approved_report_hashes(cursor) if Aarsrapport._meta.db_table in tables else {}
    finally:
        copy.close()
    return tables, approved


def backup_create(*, target: Path) -> dict:
    """Write a backup of the database and the media storage into ``target`` (a new or empty directory)."""
    engine = _engine()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: a backup goes into a new directory.")
    target.mkdir(parents=True, exist_ok=True)

    if engine == "postgresql":
        tables, approved = _postgres_dump(target / POSTGRES_DUMP)
    else:
        tables, approved = _sqlite_copy(target / SQLITE_COPY)

    media_root = target / MEDIA_DIR
    files = {}
    for name in _storage_files():
        destination = _safe_target(media_root, name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(destination, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        with open(destination, "rb") as written:
            files[name] = {"size": destination.stat().st_size, "sha256": _sha256_of(written)}

    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": POSTGRES_DUMP if engine == "postgresql" else SQLITE_COPY,
        "tables": tables,
        "approved_reports": approved,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def manifest_read(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{source} has no {MANIFEST}: not a backup made by backup_portal.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise BackupError(f"{path} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{path} has format {manifest.get('format')!r}; this portal reads format {FORMAT_VERSION}.")
    return manifest


def _restore_database(source: Path, manifest: dict, engine: str) -> None:
    if manifest["engine"] != engine:
        raise BackupError(f"The backup is of a {manifest['engine']} database; DATABASE_URL points to {engine}.")
    dump = source / manifest["database"]
    if not dump.exists():
        raise BackupError(f"{dump} is missing.")
    connections.close_all()
    if engine == "postgresql":
        arguments, env = _pg_arguments()
        # One transaction: a restore that fails halfway leaves the database as it was.
        _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *arguments, str(dump)], env)  # fmt: skip
    else:
        backup = sqlite3.connect(dump)
        live = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            backup.backup(live)
        finally:
            backup.close()
            live.close()


def _restore_files(source: Path, manifest: dict) -> None:
    media_root = source / MEDIA_DIR
    for name in manifest["files"]:
        path = _safe_target(media_root, name)
        if not path.exists():
            raise BackupError(f"The backup lacks the file {name}.")
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(path, "rb") as handle:
            saved = default_storage.save(name, File(handle, name=name))
        if saved != name:
            raise BackupError(f"The storage saved {name} as {saved}.")


def restore_check(manifest: dict) -> RestoreReport:
    """Compare the live database and storage with a backup's manifest; every difference is a problem."""
    report = RestoreReport()
    counts = table_row_counts()
    for table, expected in manifest["tables"].items():
        actual = counts.get(table)
        if actual != expected:
            report.problems.append(f"table {table}: {actual} rows, the backup has {expected}")
    report.tables = len(manifest["tables"])
    report.rows = sum(manifest["tables"].values())

    recorded = approved_report_hashes()
    for pk, sha in manifest["approved_reports"].items():
        if recorded.get(pk) != sha:
            report.problems.append(f"approved report {pk}: SHA-256 {recorded.get(pk)!r}, the backup has {sha!r}")
            continue
        rapport = Aarsrapport.objects.get(pk=pk)
        with rapport.pdf.open("rb") as pdf:
            if _sha256_of(pdf) != sha:
                report.problems.append(f"approved report {pk}: its PDF does not match its recorded SHA-256")
    report.approved_reports = len(manifest["approved_reports"])

    for name, expected in manifest["files"].items():
        if not default_storage.exists(name):
            report.problems.append(f"file {name} is missing")
            continue
        with default_storage.open(name, "rb") as stored:
            if _sha256_of(stored) != expected["sha256"]:
                report.problems.append(f"file {name} differs from the backup")
    report.files = len(manifest["files"])
    return report


def backup_restore(*, source: Path) -> RestoreReport:
    """Replace the database's contents and the media files with a backup's, then check the result against it."""
    source = Path(source)
    manifest = manifest_read(source)
    engine = _engine()
    _restore_database(source, manifest, engine)
    _restore_files(source, manifest)
    connections.close_all()
    # The kept page parts and the API's remembered answers are keyed by the data version, which the restore may
    # have set back to a number the replaced data had already passed: forget them all.
    caches["fragments"].clear()
    caches["api_responses"].clear()
    report = restore_check(manifest)
    if report.problems:
        raise BackupError("The restore does not match the backup:\n" + "\n".join(report.problems))
    return report
