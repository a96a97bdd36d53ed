"""tiltak 0017 fills each tiltak's status at the end of each programme year from the statusmeldinger already there:
the latest valid one (neither withdrawn nor superseded) dated by 31 December, NULL before the first, and no rows
for a tiltak without one. The database is taken back to 0016, filled through that state's models, and migrated
forward again (always, so the next test finds the latest schema)."""

import datetime

import pytest

from tests.migration_steps import migrate_to, migrate_to_latest, statusmelding_history_fill
from tiltak.models import Aarsstatus

BEFORE = ("tiltak", "0016_tiltak_current_status")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_each_tiltaks_status_at_the_end_of_each_year(programme_loaded_transactional, make_user):
    user = make_user("year-status-migration", rolle="koordinator")
    executor = migrate_to([BEFORE])
    try:
        first, second, silent = statusmelding_history_fill(executor.loader.project_state([BEFORE]).apps, user)
    finally:
        migrate_to_latest()

    def kept(tiltak):
        return {
            row[0]: row[1:]
            for row in Aarsstatus.objects.filter(tiltak_id=tiltak.pk).values_list("aar", "status", "dato", "demo")
        }

    assert kept(first) == {
        2020: (None, None, False),
        2021: ("paagaar", datetime.date(2021, 5, 1), False),
        2022: ("fullfoert", datetime.date(2022, 5, 1), False),
        2023: ("fullfoert", datetime.date(2022, 5, 1), False),
    }
    assert kept(second) == {year: ("utsatt", datetime.date(2020, 3, 1), True) for year in range(2020, 2024)}
    assert kept(silent) == {}
