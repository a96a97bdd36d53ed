"""tiltak 0009 and nettverk 0005 move provenance into Kilde rows: after migrating an existing database and
loading the programme again, it holds what a fresh load holds. The database is taken back to before them (and
before the Kilde table), filled through the old state's models as the old loader left it, and migrated forward
again (always, so the next test finds the latest schema)."""

import pytest

from handlingsprogram.models import Kilde
from nettverk.models import Medlemskap
from portal.loader import programme_file_load
from tests.conftest import PROGRAMME_FILE
from tests.migration_steps import migrate_to, migrate_to_latest
from tiltak.models import Ansvar

BEFORE = [
    ("tiltak", "0008_statusmelding_superseded_by"),
    ("nettverk", "0004_english_field_names"),
    ("handlingsprogram", "0005_programme_text"),
]


def snapshot():
    kilder = set(
        Kilde.objects.values_list(
            "content_type__model", "object_id", "field_name", "related_id", "type", "reference", "reasoning"
        )
    )
    levels = set(Medlemskap.objects.values_list("pk", "nivaa"))
    return kilder, levels, set(Ansvar.objects.values_list("pk", "tiltak_id", "aktoer_id", "enhet_id", "rolle"))


@pytest.mark.django_db(transaction=True)
def test_an_existing_database_equals_a_fresh_load_after_migrate_and_load(programme_loaded_transactional):
    fresh = snapshot()
    not_stated = list(Medlemskap.objects.filter(nivaa=Medlemskap.Nivaa.IKKE_OPPGITT).values_list("pk", flat=True))
    assert len(fresh[0]) > 300 and len(not_stated) == 40
    executor = migrate_to(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        # As the old file and loader left it: every level stated, ansvar's provenance in two fields.
        old.get_model("nettverk", "Medlemskap").objects.filter(pk__in=not_stated).update(nivaa="administrativ")
        OldAnsvar = old.get_model("tiltak", "Ansvar")
        for number, ansvar in enumerate(OldAnsvar.objects.order_by("pk")):
            ansvar.utledet = number % 3 != 0
            ansvar.begrunnelse = "Gammel begrunnelse" if ansvar.utledet else "Navngitt i tiltaket."
            ansvar.save()
    finally:
        migrate_to_latest()

    migrated = Ansvar.objects.prefetch_related("kilder").order_by("pk")
    assert all(a.kilde_for("rolle") is not None for a in migrated)
    assert {a.kilde_for().type for a in migrated} == {"dokument", "utledet"}
    assert all(a.utledet for a in migrated)  # enhet and rolle are always inferred

    programme_file_load(path=PROGRAMME_FILE)
    assert snapshot() == fresh
