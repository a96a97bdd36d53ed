"""The data version's triggers (see portal/migrations/0001_data_version.py for what the version is for).

Every table of the programme's apps must bump the version, including tables added by later migrations: after
every ``migrate``, ``ensure_triggers`` (a post_migrate receiver, portal/apps.py) gives any table of those apps that
lacks them its triggers, so a new model cannot silently escape the API's validator."""

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


def triggered_tables(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'portal_dataversion'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portal_dataversion%'"
            )
        return {row[0] for row in cursor.fetchall()}


def install_triggers(connection, table_names) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        _install(cursor.execute, quote, connection.vendor, table_names)


def _install(run, quote, vendor: str, table_names) -> None:
    for table in table_names:
        if vendor == "postgresql":
            run(
                f"CREATE CONSTRAINT TRIGGER portal_dataversion AFTER INSERT OR UPDATE OR DELETE ON {quote(table)} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION portal_dataversion_bump()"
            )
        else:
            for operation in ("INSERT", "UPDATE", "DELETE"):
                # The names come from the models' own tables, never from input.
                name = quote(f"portal_dataversion_{table}_{operation.lower()}")
                bump = "UPDATE portal_dataversion SET version = version + 1 WHERE id = 1"
                run(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {operation} ON {quote(table)} BEGIN {bump}; END")


def ensure_triggers(sender=None, using="default", **kwargs) -> list[str]:
    """Give every existing table of the programme's apps that lacks them its triggers; returns those tables."""
    from django.apps import apps
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    if "portal_dataversion" not in existing:
        return []  # not migrated this far (a partial migrate): the migration installs them when it runs
    missing = [t for t in tables(apps) if t in existing and t not in triggered_tables(connection)]
    if missing:
        install_triggers(connection, missing)
    return missing
