"""The <n>_demo_flag migrations flag what an older load_demo created, and nothing else: the database is taken back
to just before them, filled through the migration state's models (which have no demo field) with demo-made and
real rows side by side, and migrated forward again, so it ends at the latest state whatever happens."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

FLAGS = [
    ("handlingsprogram", "0007_demo_flag"),
    ("nettverk", "0006_demo_flag"),
    ("resultater", "0003_demo_flag"),
    ("tiltak", "0010_demo_flag"),
]
DAY = datetime.date(2022, 3, 4)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def _before_flags():
    graph = MigrationExecutor(connection).loader.graph
    return [parent.key for node in FLAGS for parent in graph.node_map[node].parents if parent.key[0] == node[0]]


def _fill(apps) -> dict:
    def model(label):
        return apps.get_model(*label.split("."))

    User = model("handlingsprogram.User")
    demo = User.objects.create(username="koordinator", email="koordinator@example.invalid")
    # A real account that happens to share a demo username: a different email, so not demo.
    real = User.objects.create(username="saksbehandler-naering", email="nina@trondelagfylke.no")
    programme = model("handlingsprogram.Handlingsprogram").objects.create(
        navn="Demo flag test", slug="demo-flag-test", start_year=2020, end_year=2023
    )
    omraade = model("handlingsprogram.PrioritertOmraade").objects.create(
        handlingsprogram=programme, nummer=1, navn="Område", slug="omraade"
    )
    innsats = model("handlingsprogram.Innsatsomraade").objects.create(omraade=omraade, nummer=1, navn="Innsats")
    tiltak = model("tiltak.Tiltak").objects.create(innsatsomraade=innsats, nummer=1, tekst="Tiltak")
    rows = {"demo_user": demo.pk, "real_user": real.pk}
    Statusmelding = model("tiltak.Statusmelding")
    HistoricalStatusmelding = model("tiltak.HistoricalStatusmelding")
    for key, author in [("demo_melding", demo), ("real_melding", real)]:
        fields = {
            "tiltak": tiltak,
            "author": author,
            "date": DAY,
            "status": "paagaar",
            "vurdering": "i_rute",
            "gjennomfoert": "Gjort",
        }
        rows[key] = Statusmelding.objects.create(**fields).pk
        HistoricalStatusmelding.objects.create(
            id=rows[key], history_date=timezone.now(), history_type="+", created_at=timezone.now(), **fields
        )
    nettverk = model("nettverk.Nettverk").objects.create(
        navn="Flag-nettverk", slug="flag-nettverk", type="nettverk", geografi="nordisk"
    )
    for key, author in [("demo_deltagelse", demo), ("real_deltagelse", real)]:
        rows[key] = (
            model("nettverk.Deltagelse")
            .objects.create(nettverk=nettverk, tittel="Møte", start=DAY, nivaa="administrativ", created_by=author)
            .pk
        )
    indikator = model("resultater.Indikator").objects.create(
        tiltak=tiltak, navn="Deltakere", maaleenhet="antall", basis_verdi=10, basis_aar=2019, basis_kilde="Test"
    )
    Indikatorverdi = model("resultater.Indikatorverdi")
    rows["demo_verdi"] = Indikatorverdi.objects.create(
        indikator=indikator, aar=2022, verdi=12, kilde="(Demo) Oppdiktet tall", created_by=demo
    ).pk
    rows["real_verdi"] = Indikatorverdi.objects.create(
        indikator=indikator, aar=2021, verdi=11, kilde="SSB", created_by=real
    ).pk
    Valutakurs = model("resultater.Valutakurs")
    rows["demo_kurs"] = Valutakurs.objects.create(
        aar=2022, valuta="EUR", kurs=Decimal("10.1"), kilde="(Demo) Avrundet"
    ).pk
    rows["real_kurs"] = Valutakurs.objects.create(aar=2021, valuta="EUR", kurs=Decimal("10.2"), kilde="Norges Bank").pk
    finansiering = model("handlingsprogram.Finansieringsprogram").objects.create(
        navn="Flag-program", slug="flag-program"
    )
    Prosjekt = model("resultater.Prosjekt")
    for key, number in [("demo_prosjekt", "DEMO-2022-X"), ("real_prosjekt", "2022-1-NO01-X")]:
        rows[key] = Prosjekt.objects.create(
            ekstern_id=number,
            navn="Prosjekt",
            finansieringsprogram=finansiering,
            rolle="partner",
            start_date=DAY,
            end_date=DAY,
            status="innvilget",
            totalbudsjett=1,
            innvilget_trondelag=1,
            valuta="EUR",
        ).pk
    return rows


@pytest.mark.django_db(transaction=True)
def test_demo_flag_migrations_flag_what_load_demo_made_and_nothing_else():
    from handlingsprogram.models import User
    from nettverk.models import Deltagelse
    from resultater.models import Indikatorverdi, Prosjekt, Valutakurs
    from tiltak.models import Statusmelding

    before = _before_flags()
    assert {app for app, _name in before} == {app for app, _name in FLAGS}
    try:
        rows = _fill(_migrate(before).loader.project_state(before).apps)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    for model, key in [
        (User, "user"),
        (Statusmelding, "melding"),
        (Deltagelse, "deltagelse"),
        (Indikatorverdi, "verdi"),
        (Valutakurs, "kurs"),
        (Prosjekt, "prosjekt"),
    ]:
        assert model.objects.get(pk=rows[f"demo_{key}"]).demo is True, model
        assert model.objects.get(pk=rows[f"real_{key}"]).demo is False, model
    assert Statusmelding.history.get(id=rows["demo_melding"]).demo is True
    assert Statusmelding.history.get(id=rows["real_melding"]).demo is False
