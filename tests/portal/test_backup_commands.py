"""The backup commands' refusals and the manifest, in-process (the full fill–back up–wipe–restore round runs in
tests/test_backup_restore.py against real servers)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from handlingsprogram.models import Kilde
from portal.backup import FORMAT_VERSION, backup_create, restore_check, table_row_counts
from tiltak.models import Tiltak

pytestmark = pytest.mark.django_db


def test_restore_refuses_a_directory_without_a_manifest(tmp_path):
    with pytest.raises(CommandError, match="has no manifest.json"):
        call_command("restore_portal", tmp_path, yes=True)


def test_restore_refuses_another_format(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": FORMAT_VERSION + 1}))
    with pytest.raises(CommandError, match="this portal reads format"):
        call_command("restore_portal", tmp_path, yes=True)


def test_restore_refuses_a_backup_of_another_database_engine(tmp_path, programme):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = {"format": FORMAT_VERSION, "engine": other, "database": "x", "created_at": "2026-01-01T00:00:00+00:00"}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore_portal", tmp_path, yes=True)
    assert Tiltak.objects.count() == 45


def test_restore_asks_before_replacing_and_a_no_changes_nothing(tmp_path, programme, monkeypatch):
    (tmp_path / "manifest.json").write_text(json.dumps({"format": FORMAT_VERSION, "created_at": "2026-01-01"}))
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="Nothing restored"):
        call_command("restore_portal", tmp_path)


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup_portal", tmp_path)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="pg_dump of the test database runs in test_backup_restore")
def test_the_manifest_counts_every_table_and_the_check_finds_a_difference(tmp_path, programme):
    manifest = backup_create(target=tmp_path / "backup")
    assert manifest["tables"] == table_row_counts()
    assert manifest["tables"]["tiltak_tiltak"] == 45
    assert restore_check(manifest).problems == []

    kilder = manifest["tables"]["handlingsprogram_kilde"]
    Kilde.objects.order_by("pk").first().delete()
    problems = restore_check(manifest).problems
    assert f"table handlingsprogram_kilde: {kilder - 1} rows, the backup has {kilder}" in problems
