"""A data version the database itself bumps on every change to the programme's data (issue 19, API speed).

``portal_dataversion`` holds one row; triggers on every table of handlingsprogram, tiltak, resultater and nettverk
(their many-to-many tables included) increase it when a row is inserted, changed or deleted, whoever writes: a
service, the admin, ``QuerySet.update()``, ``bulk_create`` or plain SQL. The API's lists use it as a validator
known before any work (``felles.api.common.VersionedListMixin``): the same version and the same request give the
same body, so a conditional GET answers 304, and a repeated one comes from memory, without serialising anything.

On PostgreSQL the trigger is a deferred constraint trigger: it runs at commit, bumps the version once per
transaction (it remembers the transaction id), and takes the version row's lock only for the commit itself, so
writers neither wait on each other for the whole transaction nor deadlock over it. Since the bump commits with
the data, a reader that reads the version first never sees the new version with the old data.

A table added later gets its triggers after the migrate that creates it (``portal.data_version.ensure_triggers``, a
post_migrate receiver); ``tests/api/test_data_version.py`` fails for a table without them.
"""

from django.db import migrations

from portal.data_version import install_triggers, tables


def install(apps, schema_editor):
    run = schema_editor.execute
    run("CREATE TABLE portal_dataversion (id integer PRIMARY KEY, version bigint NOT NULL, txid bigint)")
    run("INSERT INTO portal_dataversion (id, version) VALUES (1, 1)")
    if schema_editor.connection.vendor == "postgresql":
        run(
            """
            CREATE FUNCTION portal_dataversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE portal_dataversion SET version = version + 1, txid = txid_current()
                WHERE id = 1 AND txid IS DISTINCT FROM txid_current();
                RETURN NULL;
            END $$
            """
        )
    install_triggers(schema_editor.connection, tables(apps))


def uninstall(apps, schema_editor):
    """Every trigger of the version goes, also those ensure_triggers gave tables added later."""
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        run("DROP FUNCTION IF EXISTS portal_dataversion_bump() CASCADE")  # and every trigger that calls it
    else:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portal_dataversion%'")
            names = [name for (name,) in cursor.fetchall()]
        for name in names:
            run(f"DROP TRIGGER IF EXISTS {schema_editor.quote_name(name)}")
    run("DROP TABLE portal_dataversion")


class Migration(migrations.Migration):
    dependencies = [
        ("handlingsprogram", "0008_programme_state"),
        ("tiltak", "0011_tiltakrullering"),
        ("resultater", "0003_demo_flag"),
        ("nettverk", "0007_medlemskap_history"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
