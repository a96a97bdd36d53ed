"""A database that got its programme before the overview names existed gets them from the migration, once: the loader
never changes an existing row, so it could not."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from handlingsprogram.models import Innsatsomraade

BEFORE = ("handlingsprogram", "0003_entragruppe")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_overview_names_of_a_loaded_programme(programme_loaded_transactional):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        with connection.cursor() as cursor:
            columns = {
                c.name
                for c in connection.introspection.get_table_description(cursor, "handlingsprogram_innsatsomraade")
            }
        assert "navn_oversikt" not in columns
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()  # the migrations just unapplied count as unapplied again
        executor.migrate(executor.loader.graph.leaf_nodes())

    names = dict(
        (i.kode, i.navn_oversikt)
        for i in Innsatsomraade.objects.filter(omraade__handlingsprogram=programme_loaded_transactional).select_related(
            "omraade"
        )
    )
    assert names["1.2"] == "Det sirkulære Trøndelag"
    assert names["3.3"] == "Trekke flere internasjonale bedrifter til regionen"
    assert names["4.5"] == ""
    assert sum(1 for name in names.values() if name) == 13
