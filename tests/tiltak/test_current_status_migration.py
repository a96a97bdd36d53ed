"""tiltak 0016 fills the current status kept on each tiltak from the statusmeldinger already there: the latest
valid one (neither withdrawn nor superseded), and nothing for a tiltak without one. The database is taken back to
0015, filled through that state's models, and migrated forward again (always, so the next test finds the latest
schema)."""

import datetime

import pytest

from tests.migration_steps import migrate_to, migrate_to_latest, statusmelding_history_fill
from tiltak.models import Tiltak

BEFORE = ("tiltak", "0015_statusmelding_demo")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_each_tiltaks_current_status(programme_loaded_transactional, make_user):
    user = make_user("current-status-migration", rolle="koordinator")
    executor = migrate_to([BEFORE])
    try:
        first, second, silent = statusmelding_history_fill(executor.loader.project_state([BEFORE]).apps, user)
    finally:
        migrate_to_latest()

    kept = {
        row[0]: row[1:]
        for row in Tiltak.objects.filter(pk__in=[first.pk, second.pk, silent.pk]).values_list(
            "pk", "gjeldende_status", "gjeldende_vurdering", "gjeldende_dato", "gjeldende_demo"
        )
    }
    assert kept[first.pk] == ("fullfoert", "risiko", datetime.date(2022, 5, 1), False)
    assert kept[second.pk] == ("utsatt", "risiko", datetime.date(2020, 3, 1), True)
    assert kept[silent.pk] == (None, None, None, False)
