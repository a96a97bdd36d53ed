"""Results through their services: who may define indikatorer and record values, the sane bounds per unit, the
years a value may be for, corrections kept in the history, exchange rates, and projects saved from the form."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from handlingsprogram.models import Aktoer, Enhet, Finansieringsprogram, User
from resultater import permissions, selectors
from resultater.exports import indikatorverdi_export
from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
from resultater.rules import MAX_AMOUNT, ProsjektData, prosjekt_errors, value_error
from resultater.services import MAX_TEXT_LENGTH, indikator_save, indikatorverdi_save, prosjekt_save, valutakurs_save
from tiltak.models import Tiltak

TODAY = datetime.date(2022, 6, 15)
EUR, NOK, ANTALL, PROSENT = (Indikator.Maaleenhet.EUR, Indikator.Maaleenhet.NOK, "antall", "prosent")


def tiltak_by_code(programme, code: str) -> Tiltak:
    return Tiltak.objects.by_code(programme, code).select_related("innsatsomraade__omraade__handlingsprogram").get()


@pytest.fixture
def tiltak_233(programme) -> Tiltak:
    """2.3.3: TRFK's Avdeling for utdanning leads, OKIT (the whole aktør) contributes."""
    return tiltak_by_code(programme, "2.3.3")


@pytest.fixture
def erasmus_eur(tiltak_233) -> Indikator:
    """From the programme file: Erasmus+ funding for VET mobility, 926 000 EUR in 2018."""
    return tiltak_233.indikatorer.get(maaleenhet=EUR, basis_verdi=926000)


@pytest.fixture
def andel_prosent(tiltak_233) -> Indikator:
    return tiltak_233.indikatorer.get(maaleenhet=PROSENT)


@pytest.fixture
def elever_antall(programme) -> Indikator:
    return tiltak_by_code(programme, "2.3.1").indikatorer.get(maaleenhet=ANTALL)


@pytest.fixture
def area_3_indikator(programme) -> Indikator:
    """Regional Innovation Scoreboard rank, on priority area 3 (Nærings- og samfunnsutvikling)."""
    return Indikator.objects.get(omraade__handlingsprogram=programme, omraade__nummer=3)


@pytest.fixture
def okit_ansatt(make_user) -> User:
    """Staff of OKIT, an aktør responsible for 2.3.3 as a whole (no enhet named on the Ansvar)."""
    enhet = Enhet.objects.create(aktoer=Aktoer.objects.get(slug="okit"), navn="OKIT Trondheim", slug="okit-trondheim")
    return make_user("okit-ansatt", User.Rolle.SAKSBEHANDLER, enhet)


@pytest.fixture
def ntnu_ansatt(make_user) -> User:
    """Staff of a unit whose aktør holds no Ansvar at all."""
    enhet = Enhet.objects.create(aktoer=Aktoer.objects.get(slug="ntnu"), navn="NTNU Internasjonalt", slug="ntnu-int")
    return make_user("ntnu-ansatt", User.Rolle.SAKSBEHANDLER, enhet)


def record(indikator, user, **overrides):
    data = {"aar": 2021, "verdi": Decimal("1000000"), "kilde": "Diku, tildelingsbrev 2021", "today": TODAY}
    return indikatorverdi_save(indikator=indikator, user=user, **(data | overrides))


def define(user, **overrides):
    data = {
        "navn": "Deltakere i Erasmus+ yrkesfagmobilitet",
        "maaleenhet": ANTALL,
        "retning": Indikator.Retning.HOEYERE,
        "basis_verdi": Decimal("120"),
        "basis_aar": 2019,
        "basis_kilde": "Diku, statistikk 2019",
        "maal_verdi": Decimal("200"),
        "maal_aar": 2023,
    }
    return indikator_save(user=user, **(data | overrides))


# value_error: the sane bounds per unit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "value", "ok"),
    [
        (PROSENT, "0", True),
        (PROSENT, "100", True),
        (PROSENT, "21.5", True),
        (PROSENT, "100.01", False),
        (PROSENT, "-0.01", False),
        (ANTALL, "35", True),
        (ANTALL, "35.0", True),
        (ANTALL, "35.5", False),
        (ANTALL, "1000000000", True),
        (ANTALL, "1000000001", False),
        (EUR, "926000.50", True),
        (EUR, "1000000000000", True),
        (EUR, "1000000000000.01", False),
        (EUR, "-1", False),
        (EUR, "0.125", False),
        (NOK, "1E+3", True),
        (NOK, "1000000000001", False),
        (NOK, "NaN", False),
        (NOK, "Infinity", False),
        (EUR, "-Infinity", False),
    ],
)
def test_value_error_keeps_values_within_sane_bounds_per_unit(unit, value, ok):
    assert (value_error(unit, Decimal(value)) is None) is ok


# Defining indikatorer ------------------------------------------------------------------------------------------


def test_coordinator_defines_an_indikator_on_a_tiltak_and_on_an_area(koordinator, tiltak_233, programme):
    on_tiltak = define(koordinator, tiltak=tiltak_233, navn="  Mobilitetsdeltakere  ")
    on_area = define(koordinator, omraade=programme.omraader.get(nummer=2), maal_verdi=None, maal_aar=None)
    on_tiltak.refresh_from_db()
    assert (on_tiltak.navn, on_tiltak.tiltak, on_tiltak.omraade) == ("Mobilitetsdeltakere", tiltak_233, None)
    assert on_area.tiltak is None and on_area.omraade.nummer == 2 and on_area.maal_verdi is None
    assert on_tiltak.history.get().history_type == "+"


@pytest.mark.parametrize("who", ["saksbehandler", "leser", "okit_ansatt"])
def test_only_coordinators_define_indikatorer(request, tiltak_233, erasmus_eur, who):
    user = request.getfixturevalue(who)
    before = Indikator.objects.count()
    with pytest.raises(PermissionDenied):
        define(user, tiltak=tiltak_233)
    with pytest.raises(PermissionDenied):
        define(user, indikator=erasmus_eur, navn="Endret")
    assert Indikator.objects.count() == before
    erasmus_eur.refresh_from_db()
    assert erasmus_eur.navn.startswith("Erasmus+")


def test_an_indikator_measures_a_tiltak_or_an_area_not_both_nor_neither(koordinator, tiltak_233, programme):
    before = Indikator.objects.count()
    with pytest.raises(ValidationError):
        define(koordinator)
    with pytest.raises(ValidationError):
        define(koordinator, tiltak=tiltak_233, omraade=programme.omraader.get(nummer=2))
    assert Indikator.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"navn": "   "}, "navn"),
        ({"navn": "x" * 201}, "navn"),
        ({"maaleenhet": "liter"}, "maaleenhet"),
        ({"retning": "opp"}, "retning"),
        ({"basis_verdi": Decimal("-1")}, "basis_verdi"),
        ({"basis_verdi": Decimal("12.5")}, "basis_verdi"),  # antall: whole numbers
        ({"maaleenhet": PROSENT, "basis_verdi": Decimal("21"), "maal_verdi": Decimal("101")}, "maal_verdi"),
        ({"maaleenhet": EUR, "basis_verdi": Decimal("926000.505")}, "basis_verdi"),
        ({"maaleenhet": EUR, "basis_verdi": MAX_AMOUNT + 1}, "basis_verdi"),
        ({"basis_aar": 2009}, "basis_aar"),  # ten years before the programme at most
        ({"basis_aar": 2024}, "basis_aar"),
        ({"basis_kilde": " "}, "basis_kilde"),
        ({"maal_aar": None}, "maal_aar"),  # a target needs both
        ({"maal_verdi": None}, "maal_verdi"),
        ({"maal_aar": 2019}, "maal_aar"),  # within the programme
        ({"maal_aar": 2024}, "maal_aar"),
        ({"beskrivelse": "x" * (MAX_TEXT_LENGTH + 1)}, "beskrivelse"),
    ],
)
def test_bad_definitions_are_rejected_and_nothing_saved(koordinator, tiltak_233, overrides, field):
    before = Indikator.objects.count()
    with pytest.raises(ValidationError) as error:
        define(koordinator, tiltak=tiltak_233, **overrides)
    assert field in error.value.message_dict
    assert Indikator.objects.count() == before


def test_every_definition_error_is_reported_at_once(koordinator, tiltak_233):
    with pytest.raises(ValidationError) as error:
        define(koordinator, tiltak=tiltak_233, navn="", basis_verdi=Decimal("-5"), basis_aar=1999, basis_kilde="")
    assert {"navn", "basis_verdi", "basis_aar", "basis_kilde"} <= set(error.value.message_dict)


def test_the_unit_cannot_change_once_values_are_recorded(koordinator, erasmus_eur):
    fields = {
        "navn": erasmus_eur.navn,
        "retning": erasmus_eur.retning,
        "basis_verdi": erasmus_eur.basis_verdi,
        "basis_aar": erasmus_eur.basis_aar,
        "basis_kilde": erasmus_eur.basis_kilde,
    }
    indikator_save(user=koordinator, indikator=erasmus_eur, maaleenhet=NOK, **fields)  # no values yet: allowed
    record(erasmus_eur, koordinator)
    with pytest.raises(ValidationError) as error:
        indikator_save(user=koordinator, indikator=erasmus_eur, maaleenhet=EUR, **fields)
    assert "maaleenhet" in error.value.message_dict
    erasmus_eur.refresh_from_db()
    assert erasmus_eur.maaleenhet == NOK


def test_a_changed_definition_is_in_the_history(koordinator, erasmus_eur):
    indikator_save(
        user=koordinator,
        indikator=erasmus_eur,
        navn=erasmus_eur.navn,
        maaleenhet=EUR,
        retning=erasmus_eur.retning,
        basis_verdi=erasmus_eur.basis_verdi,
        basis_aar=erasmus_eur.basis_aar,
        basis_kilde=erasmus_eur.basis_kilde,
        maal_verdi=Decimal("1200000"),
        maal_aar=2023,
    )
    entries = selectors.indikator_history(indikator=erasmus_eur)
    change = next(entry for entry in entries if entry.action == "~")
    assert set(change.changes) == {
        (str(Indikator._meta.get_field("maal_verdi").verbose_name), "None", "1200000.00"),
        (str(Indikator._meta.get_field("maal_aar").verbose_name), "None", "2023"),
    }
    # The owner of an indikator does not change through the service.
    assert erasmus_eur.tiltak.kode == "2.3.3"


# Recording values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["saksbehandler", "koordinator", "okit_ansatt"])
def test_responsible_staff_and_coordinators_record_values(request, erasmus_eur, who):
    user = request.getfixturevalue(who)
    value, created = record(erasmus_eur, user)
    assert created
    assert (value.aar, value.verdi, value.created_by) == (2021, Decimal("1000000"), user)


@pytest.mark.parametrize("who", ["leser", "saksbehandler_annen_enhet", "ntnu_ansatt"])
def test_readers_and_staff_of_other_units_record_nothing(request, erasmus_eur, who):
    with pytest.raises(PermissionDenied):
        record(erasmus_eur, request.getfixturevalue(who))
    assert not erasmus_eur.verdier.exists()


def test_inactive_and_anonymous_users_record_nothing(erasmus_eur, koordinator):
    from django.contrib.auth.models import AnonymousUser

    koordinator.is_active = False
    koordinator.save()
    for user in (koordinator, AnonymousUser()):
        assert not permissions.can_record_value(user, erasmus_eur)
        with pytest.raises(PermissionDenied):
            record(erasmus_eur, user)
    assert not erasmus_eur.verdier.exists()


def test_an_area_indikator_takes_values_from_staff_responsible_for_a_tiltak_in_that_area(
    area_3_indikator, saksbehandler, saksbehandler_annen_enhet
):
    # Avdeling for plan og næring is responsible for tiltak in area 3; Avdeling for utdanning is not.
    record(area_3_indikator, saksbehandler_annen_enhet, verdi=Decimal("14"))
    with pytest.raises(PermissionDenied):
        record(area_3_indikator, saksbehandler, verdi=Decimal("13"))
    assert list(area_3_indikator.verdier.values_list("verdi", flat=True)) == [Decimal("14")]


@pytest.mark.parametrize(
    ("fixture", "verdi", "ok"),
    [
        ("andel_prosent", "100", True),
        ("andel_prosent", "0", True),
        ("andel_prosent", "100.5", False),
        ("elever_antall", "41", True),
        ("elever_antall", "41.5", False),
        ("erasmus_eur", "1000000000000", True),
        ("erasmus_eur", "1000000000000.01", False),
        ("erasmus_eur", "-1", False),
        ("erasmus_eur", "1.005", False),
        ("erasmus_eur", "NaN", False),
    ],
)
def test_values_stay_within_the_units_bounds(request, koordinator, fixture, verdi, ok):
    indikator = request.getfixturevalue(fixture)
    if ok:
        value, _created = record(indikator, koordinator, verdi=Decimal(verdi))
        value.refresh_from_db()
        assert value.verdi == Decimal(verdi)
    else:
        with pytest.raises(ValidationError) as error:
            record(indikator, koordinator, verdi=Decimal(verdi))
        assert "verdi" in error.value.message_dict
        assert not indikator.verdier.exists()


@pytest.mark.parametrize(
    ("aar", "today", "ok"),
    [
        (2017, TODAY, False),  # before the baseline year (2018)
        (2018, TODAY, True),  # the baseline year, before the programme (2020)
        (2020, TODAY, True),
        (2022, TODAY, True),  # this year
        (2023, TODAY, False),  # a year that has not begun
        (2023, datetime.date(2023, 1, 1), True),
        (2024, datetime.date(2026, 1, 1), False),  # after the programme
        (None, TODAY, False),
    ],
)
def test_values_are_for_years_from_the_baseline_to_the_programmes_end_or_now(koordinator, erasmus_eur, aar, today, ok):
    if ok:
        record(erasmus_eur, koordinator, aar=aar, today=today)
        assert erasmus_eur.verdier.get().aar == aar
    else:
        with pytest.raises(ValidationError) as error:
            record(erasmus_eur, koordinator, aar=aar, today=today)
        assert "aar" in error.value.message_dict
        assert not erasmus_eur.verdier.exists()


def test_a_baseline_after_the_programme_start_does_not_narrow_the_years(koordinator, tiltak_233):
    indikator = define(koordinator, tiltak=tiltak_233, basis_aar=2021)
    record(indikator, koordinator, aar=2020, verdi=Decimal("100"))
    assert list(indikator.verdier.values_list("aar", flat=True)) == [2020]
    with pytest.raises(ValidationError) as error:
        record(indikator, koordinator, aar=2019, verdi=Decimal("100"))
    assert "aar" in error.value.message_dict  # 2019 is refused for being before the programme, not for another fault


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kilde": "  "}, "kilde"),
        ({"kilde": "x" * 501}, "kilde"),
        ({"kommentar": "x" * (MAX_TEXT_LENGTH + 1)}, "kommentar"),
    ],
)
def test_a_value_needs_a_source_and_reasonable_text(koordinator, erasmus_eur, overrides, field):
    with pytest.raises(ValidationError) as error:
        record(erasmus_eur, koordinator, **overrides)
    assert field in error.value.message_dict
    assert not erasmus_eur.verdier.exists()


def test_a_closed_programme_takes_no_values(koordinator, erasmus_eur, programme):
    programme.is_closed = True
    programme.save()
    indikator = selectors.indikator_get(pk=erasmus_eur.pk)
    with pytest.raises(ValidationError):
        record(indikator, koordinator)
    assert not indikator.verdier.exists()


def test_a_correction_overwrites_the_years_value_and_the_history_keeps_the_old(erasmus_eur, saksbehandler, koordinator):
    first, created = record(erasmus_eur, saksbehandler, verdi=Decimal("950000"), kilde="Diku foreløpig")
    assert created
    corrected, created = record(
        erasmus_eur, koordinator, verdi=Decimal("962500.50"), kilde="Diku endelig", kommentar="Rettet"
    )
    assert not created and corrected.pk == first.pk
    row = Indikatorverdi.objects.get(indikator=erasmus_eur, aar=2021)
    assert (row.verdi, row.kilde, row.kommentar, row.created_by) == (
        Decimal("962500.50"),
        "Diku endelig",
        "Rettet",
        koordinator,
    )
    assert erasmus_eur.verdier.count() == 1

    versions = list(row.history.order_by("history_date", "history_id"))
    assert [(v.history_type, v.verdi, v.kilde) for v in versions] == [
        ("+", Decimal("950000"), "Diku foreløpig"),
        ("~", Decimal("962500.50"), "Diku endelig"),
    ]
    assert versions[0].created_by_id == saksbehandler.pk

    entries = selectors.indikator_history(indikator=erasmus_eur)
    correction = next(e for e in entries if e.action == "~" and e.label == "2021")
    changed = {field: (old, new) for field, old, new in correction.changes}
    assert changed[str(Indikatorverdi._meta.get_field("verdi").verbose_name)] == ("950000.00", "962500.50")
    assert str(Indikatorverdi._meta.get_field("kilde").verbose_name) in changed


def test_values_for_different_years_are_separate_rows(erasmus_eur, koordinator):
    for aar, verdi in [(2018, "926000"), (2020, "700000"), (2021, "1010000")]:
        record(erasmus_eur, koordinator, aar=aar, verdi=Decimal(verdi))
    assert [(v.aar, v.verdi) for v in selectors.indikatorverdier(indikator=erasmus_eur)] == [
        (2018, Decimal("926000")),
        (2020, Decimal("700000")),
        (2021, Decimal("1010000")),
    ]


def test_the_value_export_has_one_row_per_indikator_and_year(erasmus_eur, elever_antall, koordinator, programme):
    import csv
    import io

    record(erasmus_eur, koordinator, aar=2021, verdi=Decimal("1010000.50"), kommentar="=HYPERLINK(x)")
    record(elever_antall, koordinator, aar=2020, verdi=Decimal("41"))
    response = indikatorverdi_export(fmt="csv", verdier=selectors.indikatorverdier_for_export(programme=programme))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    by_name = {row[0]: row for row in rows[1:]}
    erasmus = by_name[erasmus_eur.navn]
    assert erasmus[9:12] == ["2021", "1010000.50", "Diku, tildelingsbrev 2021"]
    assert erasmus[12] == "'=HYPERLINK(x)"  # never a live formula in Excel
    assert by_name[elever_antall.navn][9:11] == ["2020", "41.00"]
    assert rows[0][13] == "Kilde for basis"
    # Value and year stated in the same place: one source.
    assert erasmus[13] == "Programdokumentet, kap. 2.2 Utdanning og kompetanse"
    # The document gives a figure but no year, so the year is inferred, and the column says so and why.
    elever = by_name[elever_antall.navn][13]
    assert elever.startswith("Programdokumentet, kap. 2.2 (år: Utledet: Dokumentet sier «35-45 elever")


# Exchange rates ------------------------------------------------------------------------------------------------


def test_coordinator_sets_and_corrects_a_rate_and_the_history_keeps_the_old(koordinator):
    rate, created = valutakurs_save(user=koordinator, aar=2021, valuta="EUR", kurs=Decimal("10.1"), kilde="NB")
    assert created
    again, created = valutakurs_save(user=koordinator, aar=2021, valuta="EUR", kurs=Decimal("10.1"), kilde="NB")
    assert not created and again.history.count() == 1  # nothing changed, nothing recorded
    corrected, created = valutakurs_save(
        user=koordinator, aar=2021, valuta="EUR", kurs=Decimal("10.1633"), kilde="Norges Bank årssnitt"
    )
    assert not created and corrected.pk == rate.pk
    assert Valutakurs.objects.get().kurs == Decimal("10.1633")
    assert [(h.history_type, h.kurs) for h in rate.history.order_by("history_date", "history_id")] == [
        ("+", Decimal("10.1000")),
        ("~", Decimal("10.1633")),
    ]


@pytest.mark.parametrize("who", ["saksbehandler", "leser"])
def test_only_coordinators_set_rates(db, request, who):
    with pytest.raises(PermissionDenied):
        valutakurs_save(user=request.getfixturevalue(who), aar=2021, valuta="EUR", kurs=Decimal("10"))
    assert not Valutakurs.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valuta": "NOK"}, "valuta"),
        ({"valuta": "XYZ"}, "valuta"),
        ({"aar": 1989}, "aar"),
        ({"aar": 2051}, "aar"),
        ({"kurs": Decimal("0")}, "kurs"),
        ({"kurs": Decimal("-10")}, "kurs"),
        ({"kurs": Decimal("10001")}, "kurs"),
        ({"kurs": Decimal("10.12345")}, "kurs"),
        ({"kurs": Decimal("NaN")}, "kurs"),
        ({"kilde": "x" * 301}, "kilde"),
    ],
)
def test_bad_rates_are_rejected(koordinator, overrides, field):
    data = {"aar": 2021, "valuta": "EUR", "kurs": Decimal("10.5"), "kilde": ""}
    with pytest.raises(ValidationError) as error:
        valutakurs_save(user=koordinator, **(data | overrides))
    assert field in error.value.message_dict
    assert not Valutakurs.objects.exists()


# Projects from the form ----------------------------------------------------------------------------------------


def project_data(**overrides) -> ProsjektData:
    data = {
        "ekstern_id": "2021-1-NO01-KA102-000123",
        "navn": "Yrkesfag i Europa",
        "akronym": "YFE",
        "finansieringsprogram": Finansieringsprogram.objects.get(slug="erasmus-plus"),
        "utlysning": "KA1 mobilitet i yrkesfag",
        "rolle": Prosjekt.Rolle.KOORDINATOR,
        "start_date": datetime.date(2021, 9, 1),
        "end_date": datetime.date(2023, 8, 31),
        "status": Prosjekt.Status.INNVILGET,
        "totalbudsjett": Decimal("926000.50"),
        "innvilget_trondelag": Decimal("926000.50"),
        "valuta": "EUR",
        "aktoerer": [Aktoer.objects.get(slug="trondelag-fylkeskommune")],
        "tiltak": [],
    }
    return ProsjektData(**(data | overrides))


def test_coordinator_saves_a_project_and_its_history_records_the_relations(koordinator, tiltak_233, programme):
    prosjekt = prosjekt_save(user=koordinator, data=project_data(tiltak=[tiltak_233]))
    prosjekt = selectors.prosjekt_get(pk=prosjekt.pk)
    assert prosjekt.innvilget_trondelag == Decimal("926000.50")
    assert [t.kode for t in prosjekt.tiltak.all()] == ["2.3.3"]
    assert [a.slug for a in prosjekt.aktoerer.all()] == ["trondelag-fylkeskommune"]
    latest = prosjekt.history.latest()
    assert {row.tiltak_id for row in latest.tiltak.all()} == {tiltak_233.pk}
    assert {row.aktoer_id for row in latest.aktoerer.all()} == {prosjekt.aktoerer.get().pk}

    other = tiltak_by_code(programme, "2.3.1")
    prosjekt_save(
        user=koordinator,
        prosjekt=prosjekt,
        data=project_data(tiltak=[tiltak_233, other], status=Prosjekt.Status.AVSLUTTET),
    )
    latest = prosjekt.history.latest()
    assert latest.status == Prosjekt.Status.AVSLUTTET
    assert {row.tiltak_id for row in latest.tiltak.all()} == {tiltak_233.pk, other.pk}
    entries = selectors.prosjekt_history(prosjekt=prosjekt)
    assert entries[-1].action == "+"
    status = str(Prosjekt._meta.get_field("status").verbose_name)
    assert (status, "innvilget", "avsluttet") in [change for entry in entries for change in entry.changes]


def test_staff_save_projects_only_for_tiltak_their_unit_is_responsible_for(
    saksbehandler, saksbehandler_annen_enhet, tiltak_233, programme
):
    prosjekt = prosjekt_save(user=saksbehandler, data=project_data(tiltak=[tiltak_233]))
    area_4 = tiltak_by_code(programme, "4.1.1")  # Avdeling for plan og næring's
    with pytest.raises(ValidationError) as error:
        prosjekt_save(user=saksbehandler, data=project_data(ekstern_id="ANNET-1", tiltak=[area_4]))
    assert "tiltak" in error.value.message_dict
    with pytest.raises(ValidationError):
        prosjekt_save(user=saksbehandler, data=project_data(ekstern_id="ANNET-2", tiltak=[]))
    # A project of theirs they may edit; one that serves only another unit's tiltak they may not.
    assert permissions.can_edit_prosjekt(saksbehandler, prosjekt)
    assert not permissions.can_edit_prosjekt(saksbehandler_annen_enhet, prosjekt)
    with pytest.raises(PermissionDenied):
        prosjekt_save(user=saksbehandler_annen_enhet, prosjekt=prosjekt, data=project_data(tiltak=[area_4]))
    # Moving it away from all of their own tiltak is refused too.
    with pytest.raises(ValidationError):
        prosjekt_save(user=saksbehandler, prosjekt=prosjekt, data=project_data(tiltak=[area_4]))
    assert list(Prosjekt.objects.values_list("ekstern_id", flat=True)) == ["2021-1-NO01-KA102-000123"]
    assert [t.kode for t in Prosjekt.objects.get().tiltak.all()] == ["2.3.3"]


@pytest.mark.parametrize("who", ["leser", "ntnu_ansatt"])
def test_readers_and_staff_without_responsibilities_create_no_projects(request, tiltak_233, who):
    user = request.getfixturevalue(who)
    assert not permissions.can_create_prosjekt(user)
    with pytest.raises(PermissionDenied):
        prosjekt_save(user=user, data=project_data(tiltak=[tiltak_233]))
    assert not Prosjekt.objects.exists()


def test_a_reader_edits_no_project(leser, koordinator, tiltak_233):
    prosjekt = prosjekt_save(user=koordinator, data=project_data(tiltak=[tiltak_233]))
    with pytest.raises(PermissionDenied):
        prosjekt_save(user=leser, prosjekt=prosjekt, data=project_data(navn="Endret"))
    assert Prosjekt.objects.get().navn == "Yrkesfag i Europa"


def test_project_numbers_are_unique(koordinator):
    first = prosjekt_save(user=koordinator, data=project_data())
    with pytest.raises(ValidationError) as error:
        prosjekt_save(user=koordinator, data=project_data(navn="Et annet"))
    assert "ekstern_id" in error.value.message_dict
    prosjekt_save(user=koordinator, prosjekt=first, data=project_data(navn="Samme nummer, nytt navn"))
    assert Prosjekt.objects.get().navn == "Samme nummer, nytt navn"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ekstern_id": ""}, "ekstern_id"),
        ({"ekstern_id": "x" * 101}, "ekstern_id"),
        ({"navn": ""}, "navn"),
        ({"navn": "x" * 301}, "navn"),
        ({"akronym": "x" * 51}, "akronym"),
        ({"utlysning": "x" * 201}, "utlysning"),
        ({"finansieringsprogram": None}, "finansieringsprogram"),
        ({"rolle": "sjef"}, "rolle"),
        ({"status": "kanskje"}, "status"),
        ({"valuta": "BTC"}, "valuta"),
        ({"start_date": None}, "start_date"),
        ({"end_date": None}, "end_date"),
        ({"start_date": datetime.date(1989, 12, 31)}, "start_date"),
        ({"end_date": datetime.date(2051, 1, 1)}, "end_date"),
        ({"end_date": datetime.date(2021, 8, 31)}, "end_date"),  # before the start
        ({"totalbudsjett": None}, "totalbudsjett"),
        ({"totalbudsjett": Decimal("-1")}, "totalbudsjett"),
        ({"totalbudsjett": MAX_AMOUNT + 1}, "totalbudsjett"),
        ({"innvilget_trondelag": Decimal("926000.501")}, "innvilget_trondelag"),
        ({"innvilget_trondelag": Decimal("926000.51")}, "innvilget_trondelag"),  # more than the budget
    ],
)
def test_bad_projects_are_rejected_and_nothing_saved(koordinator, overrides, field):
    assert field in prosjekt_errors(project_data(**overrides))
    with pytest.raises(ValidationError) as error:
        prosjekt_save(user=koordinator, data=project_data(**overrides))
    assert field in error.value.message_dict
    assert not Prosjekt.objects.exists()


def test_a_valid_project_has_no_errors(db):
    assert prosjekt_errors(project_data()) == {}


# Who may do what: the whole table -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "define", "record_on_233", "create_project", "import_projects", "edit_rates"),
    [
        ("koordinator", True, True, True, True, True),
        ("saksbehandler", False, True, True, False, False),
        ("okit_ansatt", False, True, True, False, False),
        ("saksbehandler_annen_enhet", False, False, True, False, False),
        ("ntnu_ansatt", False, False, False, False, False),
        ("leser", False, False, False, False, False),
    ],
)
def test_permissions_per_role(
    request, erasmus_eur, who, define, record_on_233, create_project, import_projects, edit_rates
):
    user = request.getfixturevalue(who)
    assert permissions.can_define_indikator(user) is define
    assert permissions.can_record_value(user, erasmus_eur) is record_on_233
    assert permissions.can_create_prosjekt(user) is create_project
    assert permissions.can_import_prosjekter(user) is import_projects
    assert permissions.can_edit_valutakurs(user) is edit_rates


def test_a_reader_with_a_responsible_unit_still_writes_nothing(make_user, enhet_utdanning, erasmus_eur, tiltak_233):
    """The role decides: a leser in Avdeling for utdanning reads, but records and creates nothing."""
    user = make_user("leser-utdanning", User.Rolle.LESER, enhet_utdanning)
    assert not permissions.can_record_value(user, erasmus_eur)
    assert not permissions.can_create_prosjekt(user)
    prosjekt = prosjekt_save(user=make_user("k2", User.Rolle.KOORDINATOR), data=project_data(tiltak=[tiltak_233]))
    assert not permissions.can_edit_prosjekt(user, prosjekt)
