"""What must hold is held by the database, not only by forms."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from handlingsprogram.models import Aktoer, Baerekraftsmaal, Enhet, Handlingsprogram, PrioritertOmraade
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar, Tiltak


def assert_rejected(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_tiltak_number_unique_within_innsatsomraade(programme):
    existing = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).first()
    assert_rejected(
        lambda: Tiltak.objects.create(innsatsomraade=existing.innsatsomraade, nummer=existing.nummer, tekst="dup")
    )


def test_area_number_and_slug_unique_within_programme(programme):
    assert_rejected(lambda: PrioritertOmraade.objects.create(handlingsprogram=programme, nummer=1, navn="x", slug="x"))
    area = programme.omraader.get(nummer=1)
    assert_rejected(
        lambda: PrioritertOmraade.objects.create(handlingsprogram=programme, nummer=9, navn="x", slug=area.slug)
    )


def test_programme_period_in_order(db):
    assert_rejected(lambda: Handlingsprogram.objects.create(navn="x", slug="x", start_year=2024, end_year=2023))


def test_sdg_number_is_one_to_seventeen(db):
    assert_rejected(lambda: Baerekraftsmaal.objects.create(nummer=18, navn="x"))


def test_membership_ends_after_it_starts(db):
    nettverk = Nettverk.objects.first()
    aktoer = Aktoer.objects.first()
    assert_rejected(
        lambda: Medlemskap.objects.create(
            nettverk=nettverk,
            aktoer=aktoer,
            rolle="medlem",
            nivaa="politisk",
            start_date=datetime.date(2021, 1, 1),
            end_date=datetime.date(2020, 12, 31),
        )
    )


def test_same_seat_twice_is_rejected(db):
    nettverk = Nettverk.objects.create(navn="Testnettverk", slug="testnettverk", type="forum", geografi="regional")
    aktoer = Aktoer.objects.first()
    Medlemskap.objects.create(nettverk=nettverk, aktoer=aktoer, rolle="medlem", nivaa="politisk")
    assert_rejected(
        lambda: Medlemskap.objects.create(nettverk=nettverk, aktoer=aktoer, rolle="medlem", nivaa="politisk")
    )


def test_network_cannot_be_its_own_parent(db):
    nettverk = Nettverk.objects.first()
    nettverk.forelder_id = nettverk.pk
    assert_rejected(nettverk.save)


def test_responsibility_unique_per_tiltak_and_actor(programme):
    ansvar = Ansvar.objects.filter(enhet__isnull=True).first() or Ansvar.objects.first()
    assert_rejected(lambda: Ansvar.objects.create(tiltak=ansvar.tiltak, aktoer=ansvar.aktoer, enhet=ansvar.enhet))


def test_responsibility_unit_must_belong_to_actor(programme):
    other = Aktoer.objects.exclude(slug="trondelag-fylkeskommune").first()
    enhet = Enhet.objects.get(slug="avdeling-for-utdanning")
    tiltak = Tiltak.objects.first()
    with pytest.raises(ValidationError) as error:
        Ansvar(tiltak=tiltak, aktoer=other, enhet=enhet).full_clean()
    assert "enhet" in error.value.message_dict
