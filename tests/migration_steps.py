"""Moving the test database along the migrations, for tests of data migrations: back to a state, filled through
that state's models, then forward to the latest again (in a ``finally``, so the next test finds the latest
schema whatever happens)."""

import datetime

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def migrate_to(targets) -> MigrationExecutor:
    """Migrate to ``targets`` (a list of (app, migration)); the executor's loader then has the graph from there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def migrate_to_latest() -> MigrationExecutor:
    return migrate_to(MigrationExecutor(connection).loader.graph.leaf_nodes())


def statusmelding_history_fill(apps, user) -> tuple:
    """Through a past state's models (``apps``): the first three tiltak with a small history, for the migrations
    that fill what is kept from the statusmeldinger. The first: paagaar 1 May 2021, fullfoert 1 May 2022 and a
    withdrawn avbrutt 1 January 2023; the second: one demo report, utsatt 1 March 2020; the third: none.
    Every report is assessed "risiko". Returns the three tiltak (the state's model instances)."""
    Statusmelding = apps.get_model("tiltak", "Statusmelding")
    first, second, silent = apps.get_model("tiltak", "Tiltak").objects.order_by("pk")[:3]

    def report(tiltak, date, status, *, withdrawn=False, demo=False):
        return Statusmelding.objects.create(
            tiltak_id=tiltak.pk,
            author_id=user.pk,
            date=date,
            status=status,
            vurdering="risiko",
            gjennomfoert="Gjennomført.",
            withdrawn_at=timezone.now() if withdrawn else None,
            withdrawn_by_id=user.pk if withdrawn else None,
            trukket_tilbake_begrunnelse="Feil" if withdrawn else "",
            demo=demo,
        )

    report(first, datetime.date(2021, 5, 1), "paagaar")
    report(first, datetime.date(2022, 5, 1), "fullfoert")
    report(first, datetime.date(2023, 1, 1), "avbrutt", withdrawn=True)  # withdrawn: does not count
    report(second, datetime.date(2020, 3, 1), "utsatt", demo=True)
    return first, second, silent
