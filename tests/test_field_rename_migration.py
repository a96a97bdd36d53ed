"""The migrations that gave generic fields English names (issue 14) rename the columns in place: rows written under
the old names, in the models and in their history tables, are found under the new names afterwards, and the
constraints and indexes that name those fields still hold.

The database is taken back to just before those migrations, filled through the migration state's models (which
still have the old field names), and migrated forward again, so it ends at the latest state whatever happens."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

RENAMES = [
    ("handlingsprogram", "0004_english_field_names"),
    ("nettverk", "0004_english_field_names"),
    ("rapportering", "0003_english_field_names"),
    ("tiltak", "0007_english_field_names"),
]
NOW = timezone.now().replace(microsecond=0)
DAY = datetime.date(2021, 3, 4)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # what is applied changed; the next state is read from a fresh graph
    return executor


def _before_renames():
    """The migrations each rename migration follows in its own app: the state with the old field names."""
    graph = MigrationExecutor(connection).loader.graph
    return [parent.key for node in RENAMES for parent in graph.node_map[node].parents if parent.key[0] == node[0]]


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _fill_with_old_names(apps) -> dict:
    def model(label):
        return apps.get_model(*label.split("."))

    User = model("handlingsprogram.User")
    author = User.objects.create(username="rename-author")
    coordinator = User.objects.create(username="rename-coordinator")

    programme = model("handlingsprogram.Handlingsprogram").objects.create(
        navn="Rename test", slug="rename-test", start_year=2020, end_year=2023
    )
    omraade = model("handlingsprogram.PrioritertOmraade").objects.create(
        handlingsprogram=programme, nummer=1, navn="Område", slug="omraade"
    )
    innsats = model("handlingsprogram.Innsatsomraade").objects.create(omraade=omraade, nummer=1, navn="Innsats")
    tiltak = model("tiltak.Tiltak").objects.create(innsatsomraade=innsats, nummer=1, tekst="Tiltak")
    aktoer = model("handlingsprogram.Aktoer").objects.create(navn="Rename-aktør", slug="rename-aktoer")
    nettverk = model("nettverk.Nettverk").objects.create(
        navn="Rename-nettverk", slug="rename-nettverk", type="nettverk", geografi="nordisk"
    )

    melding = model("tiltak.Statusmelding").objects.create(
        tiltak=tiltak,
        forfatter=author,
        dato=DAY,
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="Gjort",
        trukket_tilbake=NOW,
        trukket_tilbake_av=coordinator,
        trukket_tilbake_begrunnelse="Feil",
    )
    model("tiltak.HistoricalStatusmelding").objects.create(
        id=melding.pk,
        tiltak=tiltak,
        forfatter=author,
        dato=DAY,
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="Gjort",
        trukket_tilbake=NOW,
        trukket_tilbake_av=coordinator,
        trukket_tilbake_begrunnelse="Feil",
        created_at=NOW,
        history_date=NOW,
        history_type="~",
        history_user=coordinator,
    )
    paaminnelse = model("tiltak.Paaminnelse").objects.create(
        bruker=author, handlingsprogram=programme, aar=2021, antall_tiltak=3
    )

    deltagelse_fields = {
        "nettverk": nettverk,
        "tittel": "Møte",
        "start": DAY,
        "slutt": DAY + datetime.timedelta(days=1),
        "nivaa": "politisk",
        "status": "rapportert",
        "rapportert_at": NOW,
        "paaminnelse_sendt": NOW,
        "registrert_av": author,
    }
    deltagelse = model("nettverk.Deltagelse").objects.create(**deltagelse_fields)
    model("nettverk.HistoricalDeltagelse").objects.create(
        id=deltagelse.pk, history_date=NOW, history_type="+", history_user=author, **deltagelse_fields
    )
    vedlegg = model("nettverk.Vedlegg").objects.create(
        deltagelse=deltagelse,
        fil="deltagelser/2021/a.pdf",
        navn="a.pdf",
        type="pdf",
        stoerrelse=1,
        lastet_opp_av=author,
    )
    model("nettverk.HistoricalVedlegg").objects.create(
        id=vedlegg.pk,
        deltagelse=deltagelse,
        fil="deltagelser/2021/a.pdf",
        navn="a.pdf",
        type="pdf",
        stoerrelse=1,
        lastet_opp_av=author,
        history_date=NOW,
        history_type="+",
        history_user=author,
    )
    medlemskap = model("nettverk.Medlemskap").objects.create(
        nettverk=nettverk, aktoer=aktoer, rolle="medlem", nivaa="politisk", fra_dato=DAY, til_dato=DAY.replace(2023)
    )

    aarsrapport = model("rapportering.Aarsrapport").objects.create(
        handlingsprogram=programme, aar=2021, fu_moetedato=DAY
    )
    generering = model("rapportering.PdfGenerering").objects.create(
        aarsrapport=aarsrapport, formaal="utkast", bestilt_av=coordinator
    )
    finansiering = model("handlingsprogram.Finansieringsprogram").objects.create(
        navn="Rename-program", slug="rename-program", periode_start=2021, periode_slutt=2027
    )
    return {
        "author": author,
        "coordinator": coordinator,
        "melding": melding.pk,
        "paaminnelse": paaminnelse.pk,
        "deltagelse": deltagelse.pk,
        "vedlegg": vedlegg.pk,
        "medlemskap": medlemskap.pk,
        "aarsrapport": aarsrapport.pk,
        "generering": generering.pk,
        "finansiering": finansiering.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_renamed_columns_keep_their_data_in_the_models_and_their_history():
    from handlingsprogram.models import Finansieringsprogram
    from nettverk.models import Deltagelse, Medlemskap, Vedlegg
    from rapportering.models import Aarsrapport, PdfGenerering
    from tiltak.models import Paaminnelse, Statusmelding

    before = _before_renames()
    assert {app for app, _name in before} == {app for app, _name in RENAMES}
    try:
        old = _migrate(before).loader.project_state(before).apps
        rows = _fill_with_old_names(old)
    finally:
        _migrate(_latest())
    author_id, coordinator_id = rows["author"].pk, rows["coordinator"].pk

    melding = Statusmelding.objects.get(pk=rows["melding"])
    assert (melding.author_id, melding.date, melding.withdrawn_at, melding.withdrawn_by_id) == (
        author_id,
        DAY,
        NOW,
        coordinator_id,
    )
    history = Statusmelding.history.get(id=melding.pk)
    assert (history.author_id, history.date, history.withdrawn_at, history.withdrawn_by_id) == (
        author_id,
        DAY,
        NOW,
        coordinator_id,
    )
    paaminnelse = Paaminnelse.objects.get(pk=rows["paaminnelse"])
    assert paaminnelse.user_id == author_id and paaminnelse.sent_at is not None

    for deltagelse in (Deltagelse.objects.get(pk=rows["deltagelse"]), Deltagelse.history.get(id=rows["deltagelse"])):
        assert (
            deltagelse.created_by_id,
            deltagelse.end,
            deltagelse.reported_at,
            deltagelse.reminder_sent_at,
        ) == (author_id, DAY + datetime.timedelta(days=1), NOW, NOW)
    assert Vedlegg.objects.get(pk=rows["vedlegg"]).uploaded_by_id == author_id
    assert Vedlegg.history.get(id=rows["vedlegg"]).uploaded_by_id == author_id
    medlemskap = Medlemskap.objects.get(pk=rows["medlemskap"])
    assert (medlemskap.start_date, medlemskap.end_date) == (DAY, DAY.replace(2023))

    assert Aarsrapport.objects.get(pk=rows["aarsrapport"]).fu_meeting_date == DAY
    assert PdfGenerering.objects.get(pk=rows["generering"]).requested_by_id == coordinator_id
    finansiering = Finansieringsprogram.objects.get(pk=rows["finansiering"])
    assert (finansiering.period_start, finansiering.period_end) == (2021, 2027)

    # The constraints and indexes that name a renamed field were rebuilt under their names, and still hold.
    for table, names in [
        ("tiltak_statusmelding", {"statusmelding_current", "statusmelding_withdrawal_complete"}),
        ("tiltak_paaminnelse", {"paaminnelse_once_per_period"}),
        (
            "nettverk_deltagelse",
            {"deltagelse_rapportert", "deltagelse_end_after_start", "deltagelse_reported_has_time"},
        ),
        (
            "nettverk_medlemskap",
            {"medlemskap_end_after_start", "medlemskap_unique_seat", "medlemskap_unique_seat_undated"},
        ),
        ("handlingsprogram_finansieringsprogram", {"finansieringsprogram_period_order"}),
    ]:
        with connection.cursor() as cursor:
            assert names <= set(connection.introspection.get_constraints(cursor, table)), table
    broken = [
        lambda: Statusmelding.objects.filter(pk=melding.pk).update(withdrawn_by=None),
        lambda: Paaminnelse.objects.create(
            user_id=author_id, handlingsprogram_id=paaminnelse.handlingsprogram_id, aar=2021, antall_tiltak=1
        ),
        lambda: Deltagelse.objects.filter(pk=rows["deltagelse"]).update(end=DAY - datetime.timedelta(days=1)),
        lambda: Medlemskap.objects.filter(pk=medlemskap.pk).update(end_date=DAY - datetime.timedelta(days=1)),
        lambda: Finansieringsprogram.objects.filter(pk=finansiering.pk).update(period_end=2020),
    ]
    for write in broken:
        with pytest.raises(IntegrityError), transaction.atomic():
            write()
