"""tiltak 0008 gives corrections their effect on reports corrected before it: each corrected report is
superseded by its correction (by the next one, where one report was corrected several times), so only the newest
counts; a withdrawn correction supersedes nothing. The database is taken back to 0007, filled through that
state's models, and migrated forward again (always, so the next test finds the latest schema)."""

import datetime

import pytest
from django.utils import timezone

from tests.migration_steps import migrate_to, migrate_to_latest
from tiltak.models import Statusmelding

BEFORE = ("tiltak", "0007_english_field_names")


@pytest.mark.django_db(transaction=True)
def test_reports_corrected_before_the_migration_no_longer_count(programme_loaded_transactional, make_user):
    user = make_user("correction-migration", rolle="koordinator")
    executor = migrate_to([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps
        OldStatusmelding = old.get_model("tiltak", "Statusmelding")
        tiltak = old.get_model("tiltak", "Tiltak").objects.order_by("pk").first()

        def report(text, korrigerer=None, withdrawn=False):
            return OldStatusmelding.objects.create(
                tiltak_id=tiltak.pk,
                author_id=user.pk,
                date=datetime.date(2021, 5, 1),
                status="paagaar",
                vurdering="i_rute",
                gjennomfoert=text,
                korrigerer=korrigerer,
                withdrawn_at=timezone.now() if withdrawn else None,
                withdrawn_by_id=user.pk if withdrawn else None,
                trukket_tilbake_begrunnelse="Feil" if withdrawn else "",
            )

        original = report("Fire skoler")
        first = report("Fem skoler", korrigerer=original)
        second = report("Seks skoler", korrigerer=original)
        other = report("Et møte")
        withdrawn_fix = report("To møter", korrigerer=other, withdrawn=True)
    finally:
        migrate_to_latest()

    superseded = dict(Statusmelding.objects.values_list("pk", "superseded_by_id"))
    assert superseded[original.pk] == first.pk
    assert superseded[first.pk] == second.pk
    assert superseded[second.pk] is None
    assert superseded[other.pk] is None and superseded[withdrawn_fix.pk] is None
    assert set(Statusmelding.objects.filter(tiltak_id=tiltak.pk).valid().values_list("pk", flat=True)) == {
        second.pk,
        other.pk,
    }
