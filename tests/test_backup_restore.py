"""Backup and restore as README's "Drift" runs them: deploy/backup.sh and deploy/restore.sh in subprocesses against a
filled portal (the programme, the demo data, an approved annual report with its PDF, attachments), on a throwaway
PostgreSQL 15 server and on SQLite. Fill, back up, wipe the database and the media directory, restore, and find
every table with the same row count, the approved report's SHA-256 unchanged (recorded and recomputed), and every
attachment downloadable with the same bytes. A backup whose files were tampered with must fail its restore."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import PG_BIN, ThrowawayPostgres

ROOT = Path(__file__).resolve().parents[1]
STEP_TIMEOUT_SECONDS = 900  # migrations and a WeasyPrint render on two busy cores

pytestmark = pytest.mark.production


def _environment(database_url: str, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media),
        DJANGO_DEBUG="1",  # the immediate task backend: the approval's PDF is made in the fill step itself
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DJANGO_SETTINGS_MODULE="portal.settings",
        PG_BIN=str(PG_BIN),
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(command: list[str], env: dict[str, str], *, expect_ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_SECONDS, check=False
    )
    if expect_ok and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} exited with {result.returncode}:\n{(result.stdout + result.stderr)[-4000:]}")
    return result


def _manage(env, *args):
    return _run([sys.executable, "manage.py", *args], env)


def _state(env, path: Path) -> dict:
    _run([sys.executable, "-m", "tests.backup_scenario", "state", str(path)], env)
    return json.loads(path.read_text())


def _fill_backup_wipe_restore(env, media: Path, backups: Path, wipe) -> tuple[dict, dict, Path]:
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_programme")
    _manage(env, "load_demo")
    _run([sys.executable, "-m", "tests.backup_scenario", "fill"], env)
    before = _state(env, backups.parent / "before.json")

    backup = _run(["bash", "deploy/backup.sh", str(backups)], env)
    assert "backup:" in backup.stdout
    (directory,) = [path for path in backups.iterdir() if path.is_dir()]

    wipe()
    shutil.rmtree(media)
    assert not media.exists()

    restore = _run(["bash", "deploy/restore.sh", str(directory), "--yes"], env)
    assert "identical to the backup" in restore.stdout
    return before, _state(env, backups.parent / "after.json"), directory


def _assert_same(before: dict, after: dict) -> None:
    # The scenario really holds what a backup must keep, so the comparison below can fail.
    assert sum(before["tables"].values()) > 2000
    assert len(before["approved_reports"]) == 1
    assert len(before["attachments"]) >= 4
    assert any(key.startswith("statusmelding/") for key in before["attachments"])  # a status report's document
    for report in before["approved_reports"].values():
        assert report["recorded"] == report["file"]
    assert {a["status"] for a in before["attachments"].values()} == {200}

    assert after["tables"] == before["tables"]
    assert after["approved_reports"] == before["approved_reports"]
    assert after["attachments"] == before["attachments"]


def _tampered_restore_fails(env, directory: Path) -> None:
    manifest = json.loads((directory / "manifest.json").read_text())
    name = next(n for n in manifest["files"] if n.startswith("deltagelser/"))
    (directory / "media" / name).write_bytes(b"%PDF-1.4 not what was backed up")
    result = _run(["bash", "deploy/restore.sh", str(directory), "--yes"], env, expect_ok=False)
    assert result.returncode != 0
    assert f"file {name} differs from the backup" in result.stderr


@pytest.fixture
def postgres():
    reason = ThrowawayPostgres.missing_reason()
    if reason:
        pytest.skip(reason)
    server = ThrowawayPostgres()
    try:
        server.create()
        yield server
    finally:
        server.remove()


def test_backup_and_restore_on_postgresql(postgres, tmp_path):
    media = tmp_path / "media"
    env = _environment(postgres.url, media)

    def wipe():
        postgres._run("dropdb", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "portal")
        postgres._run("createdb", "-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "portal")
        assert _run([sys.executable, "manage.py", "showmigrations", "--plan"], env).stdout.count("[X]") == 0

    before, after, directory = _fill_backup_wipe_restore(env, media, tmp_path / "backups", wipe)
    _assert_same(before, after)
    assert (directory / "database.dump").exists()
    _tampered_restore_fails(env, directory)


def test_backup_and_restore_on_sqlite(tmp_path):
    media = tmp_path / "media"
    database = tmp_path / "portal.sqlite3"
    env = _environment(f"sqlite:///{database}", media)

    def wipe():
        database.unlink()
        database.touch()

    before, after, directory = _fill_backup_wipe_restore(env, media, tmp_path / "backups", wipe)
    _assert_same(before, after)
    assert (directory / "database.sqlite3").exists()
