"""tiltak 0016 fills the current status kept on each tiltak from the statusmeldinger already there: the latest
valid one (neither withdrawn nor superseded), and nothing for a tiltak without one. The database is taken back to
0015, filled through that state's models, and migrated forward again (always, so the next test finds the latest
schema)."""

import datetime

import pytest
from django.utils import timezone

from tests.migration_steps import migrate_to, migrate_to_latest
from tiltak.models import Tiltak

BEFORE = ("tiltak", "0015_statusmelding_demo")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_each_tiltaks_current_status(programme_loaded_transactional, make_user):
    user = make_user("current-status-migration", rolle="koordinator")
    executor = migrate_to([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps
        OldStatusmelding = old.get_model("tiltak", "Statusmelding")
        first, second, silent = old.get_model("tiltak", "Tiltak").objects.order_by("pk")[:3]

        def report(tiltak, date, status, *, withdrawn=False, demo=False):
            return OldStatusmelding.objects.create(
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
