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

A table added later needs its triggers too: ``tests/api/test_data_version.py`` fails for a table without them.
"""

from django.db import migrations

APPS = ("handlingsprogram", "tiltak", "resultater", "nettverk")
# Written on almost every API request (last use of a partner's token): it is not shown in any list.
EXCLUDED = {"handlingsprogram_apitoken"}


def tables(apps) -> list[str]:
    names = set()
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            names.add(model._meta.db_table)
            for field in model._meta.local_many_to_many:
                names.add(field.remote_field.through._meta.db_table)
    return sorted(names - EXCLUDED)


def install(apps, schema_editor):
    quote = schema_editor.quote_name
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
        for table in tables(apps):
            run(
                f"CREATE CONSTRAINT TRIGGER portal_dataversion AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION portal_dataversion_bump()"
            )
    else:
        for table in tables(apps):
            for operation in ("INSERT", "UPDATE", "DELETE"):
                run(
                    f"CREATE TRIGGER {quote(f'portal_dataversion_{table}_{operation.lower()}')} "
                    f"AFTER {operation} ON {quote(table)} "
                    "BEGIN UPDATE portal_dataversion SET version = version + 1 WHERE id = 1; END"
                )


def uninstall(apps, schema_editor):
    quote = schema_editor.quote_name
    run = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in tables(apps):
            run(f"DROP TRIGGER IF EXISTS portal_dataversion ON {quote(table)}")
        run("DROP FUNCTION IF EXISTS portal_dataversion_bump()")
    else:
        for table in tables(apps):
            for operation in ("insert", "update", "delete"):
                run(f"DROP TRIGGER IF EXISTS {quote(f'portal_dataversion_{table}_{operation}')}")
    run("DROP TABLE portal_dataversion")


class Migration(migrations.Migration):
    dependencies = [
        ("handlingsprogram", "0008_programme_state"),
        ("tiltak", "0011_tiltakrullering"),
        ("resultater", "0003_demo_flag"),
        ("nettverk", "0007_medlemskap_history"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
