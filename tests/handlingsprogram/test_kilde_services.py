"""Confirming and correcting inferred facts: generic services over every model with kilder. Each writes the fact
and its Kilde in one transaction, leaves history behind, and refuses stale or unauthorised actions unchanged."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from handlingsprogram import services
from handlingsprogram.models import Aktoer, Baerekraftsmaal, Enhet, Kilde, Maal
from handlingsprogram.selectors import inferred_count, inferred_facts
from nettverk.models import Medlemskap
from tiltak.models import Ansvar

pytestmark = pytest.mark.django_db

REASONING = "Avdelingen som arbeider med fagfeltet."


def inferred(fact, field_name="", related_id=None, reasoning=REASONING):
    """An inferred Kilde for the fact, whatever the loaded data already says about it."""
    kilde, _ = Kilde.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(fact),
        object_id=fact.pk,
        field_name=field_name,
        related_id=related_id,
        defaults={"type": Kilde.Type.UTLEDET, "reasoning": reasoning, "reference": ""},
    )
    return kilde


@pytest.fixture
def ansvar_lead(tiltak_212):
    return tiltak_212.ansvar.select_related("aktoer", "enhet").get(rolle=Ansvar.Rolle.ANSVARLIG)


@pytest.fixture
def other_enhet(ansvar_lead):
    return Enhet.objects.filter(aktoer=ansvar_lead.aktoer).exclude(pk=ansvar_lead.enhet_id).order_by("pk").first()


def test_confirm_makes_the_fact_the_coordinators_and_keeps_the_reasoning(koordinator, ansvar_lead):
    kilde = inferred(ansvar_lead, "enhet")
    services.kilde_confirm(kilde_id=kilde.pk, user=koordinator)
    kilde.refresh_from_db()
    assert (kilde.type, kilde.recorded_by, kilde.reasoning) == (Kilde.Type.PERSON, koordinator, REASONING)
    assert kilde.recorded_at is not None
    latest = kilde.history.order_by("-history_id")[:2]
    assert [h.type for h in latest] == ["person", "utledet"]
    assert latest[0].history_user == koordinator


@pytest.mark.parametrize("who", ["saksbehandler", "leser"])
def test_only_coordinators_may_confirm_or_correct(request, who, ansvar_lead, other_enhet):
    user = request.getfixturevalue(who)
    kilde = inferred(ansvar_lead, "enhet")
    with pytest.raises(PermissionDenied):
        services.kilde_confirm(kilde_id=kilde.pk, user=user)
    with pytest.raises(PermissionDenied):
        services.kilde_correct_field(kilde_id=kilde.pk, user=user, value=other_enhet)
    kilde.refresh_from_db()
    ansvar_lead.refresh_from_db()
    assert kilde.type == Kilde.Type.UTLEDET and ansvar_lead.enhet_id != other_enhet.pk


def test_a_confirmed_fact_cannot_be_confirmed_or_corrected_again(koordinator, ansvar_lead, other_enhet):
    kilde = inferred(ansvar_lead, "enhet")
    services.kilde_confirm(kilde_id=kilde.pk, user=koordinator)
    with pytest.raises(services.KildeStale):
        services.kilde_confirm(kilde_id=kilde.pk, user=koordinator)
    with pytest.raises(services.KildeStale):
        services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value=other_enhet)
    ansvar_lead.refresh_from_db()
    assert ansvar_lead.enhet_id != other_enhet.pk
    with pytest.raises(services.KildeStale):
        services.kilde_confirm(kilde_id=10**9, user=koordinator)


def test_correcting_the_unit_saves_the_ansvar_and_records_the_coordinator(koordinator, ansvar_lead, other_enhet):
    kilde = inferred(ansvar_lead, "enhet")
    services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value=other_enhet)
    ansvar_lead.refresh_from_db()
    kilde.refresh_from_db()
    assert ansvar_lead.enhet == other_enhet
    assert (kilde.type, kilde.recorded_by, kilde.reasoning) == (Kilde.Type.PERSON, koordinator, "")
    assert Ansvar.history.filter(id=ansvar_lead.pk).latest("history_id").history_user == koordinator
    assert kilde.history.filter(reasoning=REASONING).exists()  # the inference stays in the history


def test_correcting_the_role(koordinator, ansvar_lead):
    kilde = inferred(ansvar_lead, "rolle")
    services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value=Ansvar.Rolle.BIDRAGSYTER)
    ansvar_lead.refresh_from_db()
    assert ansvar_lead.rolle == Ansvar.Rolle.BIDRAGSYTER


def test_an_invalid_correction_changes_nothing(koordinator, ansvar_lead):
    kilde = inferred(ansvar_lead, "enhet")
    other_aktoer = Aktoer.objects.exclude(pk=ansvar_lead.aktoer_id).first()
    foreign = Enhet.objects.create(aktoer=other_aktoer, navn="Fremmed avdeling", slug="fremmed-avdeling")
    with pytest.raises(ValidationError):
        services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value=foreign)
    with pytest.raises(ValidationError):
        services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value="not an enhet")
    rolle = inferred(ansvar_lead, "rolle")
    with pytest.raises(ValidationError):
        services.kilde_correct_field(kilde_id=rolle.pk, user=koordinator, value="sjef")
    ansvar_lead.refresh_from_db()
    kilde.refresh_from_db()
    rolle.refresh_from_db()
    assert ansvar_lead.enhet_id is not None and ansvar_lead.enhet.aktoer_id == ansvar_lead.aktoer_id
    assert ansvar_lead.rolle == Ansvar.Rolle.ANSVARLIG
    assert kilde.type == rolle.type == Kilde.Type.UTLEDET


def test_a_row_fact_can_be_confirmed_but_not_corrected_as_a_field(koordinator, tiltak_212):
    kilde = inferred(tiltak_212)
    with pytest.raises(ValidationError):
        services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value="x")
    with pytest.raises(ValidationError):
        services.kilde_correct_link(kilde_id=kilde.pk, user=koordinator, target=None)
    services.kilde_confirm(kilde_id=kilde.pk, user=koordinator)
    kilde.refresh_from_db()
    assert kilde.type == Kilde.Type.PERSON


def test_removing_an_inferred_sdg_link(koordinator, programme):
    omraade = programme.omraader.get(nummer=2)
    sdg = Baerekraftsmaal.objects.get(nummer=4)
    omraade.baerekraftsmaal.add(sdg)
    kilde = inferred(omraade, "baerekraftsmaal", sdg.pk)
    assert services.kilde_correct_link(kilde_id=kilde.pk, user=koordinator, target=None) is None
    assert not omraade.baerekraftsmaal.filter(pk=sdg.pk).exists()
    assert not Kilde.objects.filter(pk=kilde.pk).exists()
    deleted = Kilde.history.filter(id=kilde.pk).latest("history_id")
    assert (deleted.history_type, deleted.history_user) == ("-", koordinator)


def test_replacing_an_inferred_goal_link(koordinator, tiltak_212):
    old, new = Maal.objects.order_by("pk")[:2]
    tiltak_212.maal.add(old)
    tiltak_212.maal.remove(new)
    kilde = inferred(tiltak_212, "maal", old.pk)
    services.kilde_correct_link(kilde_id=kilde.pk, user=koordinator, target=new)
    assert set(tiltak_212.maal.filter(pk__in=[old.pk, new.pk])) == {new}
    kilde.refresh_from_db()
    assert (kilde.related_id, kilde.type, kilde.recorded_by) == (new.pk, Kilde.Type.PERSON, koordinator)


def test_a_link_cannot_be_moved_onto_an_existing_one_or_itself(koordinator, tiltak_212):
    first, second = Maal.objects.order_by("pk")[:2]
    tiltak_212.maal.add(first, second)
    kilde = inferred(tiltak_212, "maal", first.pk)
    for target in (first, second, Baerekraftsmaal.objects.first()):
        with pytest.raises(ValidationError):
            services.kilde_correct_link(kilde_id=kilde.pk, user=koordinator, target=target)
    kilde.refresh_from_db()
    assert kilde.type == Kilde.Type.UTLEDET and tiltak_212.maal.filter(pk=first.pk).exists()


def test_a_kilde_whose_link_is_gone_is_stale(koordinator, tiltak_212):
    maal = Maal.objects.first()
    tiltak_212.maal.remove(maal)
    kilde = inferred(tiltak_212, "maal", maal.pk)
    with pytest.raises(services.KildeStale):
        services.kilde_confirm(kilde_id=kilde.pk, user=koordinator)
    assert all(f.kilde.pk != kilde.pk for f in inferred_facts())  # nor is it listed


def test_correcting_a_membership_level(koordinator, programme):
    # An undated seat and a level it does not hold yet (the correction would otherwise duplicate a seat).
    medlemskap, level = next(
        (m, level)
        for m in Medlemskap.objects.filter(start_date__isnull=True).order_by("pk")
        for level in (Medlemskap.Nivaa.POLITISK, Medlemskap.Nivaa.ADMINISTRATIV)
        if level != m.nivaa
        and not Medlemskap.objects.filter(
            nettverk=m.nettverk_id, aktoer=m.aktoer_id, rolle=m.rolle, nivaa=level
        ).exists()
    )
    before = medlemskap.nivaa
    kilde = inferred(medlemskap, "nivaa")
    services.kilde_correct_field(kilde_id=kilde.pk, user=koordinator, value=level)
    medlemskap.refresh_from_db()
    assert medlemskap.nivaa == level
    # The audit history keeps what the level was, and who changed it.
    change, previous = medlemskap.history.all()[:2]
    assert (change.nivaa, change.history_user, previous.nivaa) == (level, koordinator, before)


def test_inferred_facts_read_every_kind_in_constant_queries(
    koordinator, programme, tiltak_212, django_assert_num_queries
):
    Kilde.objects.filter(type=Kilde.Type.UTLEDET).delete()
    for ansvar in tiltak_212.ansvar.all():
        inferred(ansvar, "enhet")
    omraade = programme.omraader.get(nummer=2)
    for sdg in Baerekraftsmaal.objects.order_by("nummer")[:3]:
        omraade.baerekraftsmaal.add(sdg)
        inferred(omraade, "baerekraftsmaal", sdg.pk)
    # kilder, the ansvar, the areas, the areas' SDG links and the SDGs
    with django_assert_num_queries(5):
        facts = inferred_facts(related={Ansvar: ("aktoer", "enhet__aktoer", "tiltak")})
        values = [f.value for f in facts] + [f.kind for f in facts]
    assert len(facts) == tiltak_212.ansvar.count() + 3 == inferred_count()
    assert any(v.startswith("1. ") for v in values)  # the SDG the link points to, by name
