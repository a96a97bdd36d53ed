"""The results moved from tiltak to their own app (resultater 0001, tiltak 0006), and then their generic fields
got English names (resultater 0002). A database filled before the move must migrate in place and keep every
row and value: this migrates the test database back to the state before the move, fills it through that state's
models, migrates forward and reads everything back through today's models."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from handlingsprogram.models import Aktoer, Finansieringsprogram, User
from resultater.models import Indikator, Indikatorverdi, Prosjekt, ProsjektImport, Valutakurs
from tiltak.models import Tiltak

# The commit before the move: tiltak's results migrations applied, no resultater app.
TILTAK_BEFORE_MOVE = ("tiltak", "0005_prosjektimport_rader")


def migrate_to_before_move():
    """Unapply the move (and whatever came after it) and return the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate([TILTAK_BEFORE_MOVE, ("resultater", None)])
    # The state of exactly what is applied now: apps whose later migrations depend on the move (portal's data
    # version, rapportering's final evaluation) were unapplied with it.
    applied = [node for node in executor.recorder.applied_migrations() if node in executor.loader.graph.nodes]
    return executor.loader.project_state(applied).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the migrations just unapplied count as unapplied again
    executor.migrate(executor.loader.graph.leaf_nodes())


def table_names() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_a_database_filled_before_the_move_keeps_every_row(programme_loaded_transactional, make_user):
    user = make_user("koordinator", rolle=User.Rolle.KOORDINATOR)
    old = migrate_to_before_move()
    try:
        assert {"tiltak_indikator", "tiltak_historicalprosjekt_aktoerer"} <= table_names()
        assert "resultater_prosjekt" not in table_names()

        # Rows written through the models as they were before the move (their history rows included: the migration
        # state's models have no history signals, so those are written directly, as simple_history would have).
        OldTiltak = old.get_model("tiltak", "Tiltak")
        tiltak = OldTiltak.objects.order_by("pk").first()
        aktoer_pk = Aktoer.objects.order_by("pk").values_list("pk", flat=True).first()
        program_pk = Finansieringsprogram.objects.order_by("pk").values_list("pk", flat=True).first()
        now = timezone.now()

        indikator = old.get_model("tiltak", "Indikator").objects.create(
            tiltak_id=tiltak.pk,
            navn="Mobilitetsmidler",
            maaleenhet="EUR",
            basis_verdi=Decimal("1000.00"),
            basis_aar=2019,
            basis_kilde="Erasmus+",
        )
        verdi = old.get_model("tiltak", "Indikatorverdi").objects.create(
            indikator=indikator, aar=2021, verdi=Decimal("1500.00"), kilde="Diku", registrert_av_id=user.pk
        )
        prosjekt = old.get_model("tiltak", "Prosjekt").objects.create(
            navn="Arctic Youth",
            finansieringsprogram_id=program_pk,
            rolle="partner",
            startdato=datetime.date(2021, 3, 1),
            sluttdato=datetime.date(2023, 2, 28),
            status="innvilget",
            totalbudsjett=Decimal("500000.00"),
            innvilget_trondelag=Decimal("120000.00"),
            valuta="EUR",
        )
        prosjekt.aktoerer.add(aktoer_pk)
        prosjekt.tiltak.add(tiltak.pk)
        kurs = old.get_model("tiltak", "Valutakurs").objects.create(aar=2021, valuta="EUR", kurs=Decimal("10.1234"))
        upload = old.get_model("tiltak", "ProsjektImport").objects.create(
            fil=b"PK\x03\x04", filnavn="prosjekter.xlsx", opprettet_av_id=user.pk, rader=[{"rad": 2}]
        )
        history = old.get_model("tiltak", "HistoricalProsjekt").objects.create(
            id=prosjekt.pk,
            navn=prosjekt.navn,
            ekstern_id=prosjekt.ekstern_id,
            akronym="",
            utlysning="",
            finansieringsprogram_id=program_pk,
            rolle="partner",
            startdato=prosjekt.startdato,
            sluttdato=prosjekt.sluttdato,
            status="innvilget",
            totalbudsjett=prosjekt.totalbudsjett,
            innvilget_trondelag=prosjekt.innvilget_trondelag,
            valuta="EUR",
            history_date=now,
            history_type="+",
            history_user_id=user.pk,
        )
        through = prosjekt.aktoerer.through.objects.get()
        old.get_model("tiltak", "HistoricalProsjekt_aktoerer").objects.create(
            id=through.pk, history=history, prosjekt_id=prosjekt.pk, aktoer_id=aktoer_pk
        )
        content_type_pk = ContentType.objects.get(app_label="tiltak", model="prosjekt").pk

    finally:
        migrate_to_latest()  # also when a check above fails: the next test needs today's schema

    tables = table_names()
    results = ("indikator", "prosjekt", "valutakurs")
    assert not {name for name in tables if name.startswith("tiltak_") and any(r in name for r in results)}
    assert {"resultater_prosjekt_aktoerer", "resultater_historicalprosjekt_tiltak"} <= tables

    moved = Prosjekt.objects.get(pk=prosjekt.pk)
    assert (moved.navn, moved.totalbudsjett, moved.valuta) == ("Arctic Youth", Decimal("500000.00"), "EUR")
    assert list(moved.aktoerer.values_list("pk", flat=True)) == [aktoer_pk]
    assert list(moved.tiltak.values_list("pk", flat=True)) == [tiltak.pk]
    assert Tiltak.objects.get(pk=tiltak.pk).prosjekter.get() == moved
    entry = moved.history.get()
    assert (entry.history_type, entry.history_user_id, entry.navn) == ("+", user.pk, "Arctic Youth")
    assert list(entry.aktoerer.values_list("aktoer_id", flat=True)) == [aktoer_pk]

    moved_indikator = Indikator.objects.get(pk=indikator.pk)
    assert (moved_indikator.navn, moved_indikator.tiltak_id) == ("Mobilitetsmidler", tiltak.pk)
    assert Indikatorverdi.objects.get(pk=verdi.pk).verdi == Decimal("1500.00")
    assert Valutakurs.objects.get(pk=kurs.pk).kurs == Decimal("10.1234")
    assert ProsjektImport.objects.get(pk=upload.pk).rader == [{"rad": 2}]

    # The content type kept its id, so what pointed at it (admin log, permissions) still does.
    assert ContentType.objects.get_for_model(Prosjekt).pk == content_type_pk
    assert not ContentType.objects.filter(app_label="tiltak", model__in=["prosjekt", "indikator"]).exists()

    # New rows get fresh ids after the kept ones (PostgreSQL's identity sequences went with the tables).
    assert Valutakurs.objects.create(aar=2022, valuta="EUR", kurs=Decimal("10.5")).pk > kurs.pk
