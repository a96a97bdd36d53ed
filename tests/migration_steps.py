"""Moving the test database along the migrations, for tests of data migrations: back to a state, filled through
that state's models, then forward to the latest again (in a ``finally``, so the next test finds the latest
schema whatever happens)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets) -> MigrationExecutor:
    """Migrate to ``targets`` (a list of (app, migration)); the executor's loader then has the graph from there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def migrate_to_latest() -> MigrationExecutor:
    return migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())
