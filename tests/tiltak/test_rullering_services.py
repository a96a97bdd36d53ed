"""Rolling a programme over, deciding each tiltak's fate and adopting the successor (issue 16)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from handlingsprogram.models import Handlingsprogram, Innsatsomraade, Kilde, PrioritertOmraade
from tiltak import rullering_services as services
from tiltak.models import Ansvar, Statusmelding, Tiltak, TiltakRullering

Decision = TiltakRullering.Decision


def roll_over(programme, user, **extra):
    return services.programme_roll_over(
        user=user,
        programme=programme,
        **{
            "navn": "Internasjonalt handlingsprogram 2024–2027",
            "slug": "ihp-2024-2027",
            "start_year": 2024,
            "end_year": 2027,
        }
        | extra,
    )


def snapshot(programme):
    """Everything of a programme the roll-over might touch, as plain values."""
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme)
    return {
        "programme": Handlingsprogram.objects.filter(pk=programme.pk).values().get(),
        "omraader": list(PrioritertOmraade.objects.filter(handlingsprogram=programme).values()),
        "innsats": list(Innsatsomraade.objects.filter(omraade__handlingsprogram=programme).values()),
        "tiltak": list(tiltak.values()),
        "sdgs": list(Tiltak.baerekraftsmaal.through.objects.filter(tiltak__in=tiltak).values()),
        "ansvar": list(Ansvar.objects.filter(tiltak__in=tiltak).values()),
        "kilder": list(
            Kilde.objects.filter(
                content_type=ContentType.objects.get_for_model(Tiltak), object_id__in=tiltak.values("pk")
            ).values()
        ),
    }


def copy_of(draft, code):
    return Tiltak.objects.by_code(draft, code).get()


def old(programme, code):
    return Tiltak.objects.by_code(programme, code).get()


def test_roll_over_copies_structure_and_provenance_and_touches_nothing_old(programme, koordinator):
    old_212 = old(programme, "2.1.2")
    tiltak_type = ContentType.objects.get_for_model(Tiltak)
    Kilde.objects.update_or_create(
        content_type=tiltak_type,
        object_id=old_212.pk,
        field_name="",
        related_id=None,
        defaults={"type": Kilde.Type.DOKUMENT, "reference": "kap. 2.1"},
    )
    sdg = old_212.baerekraftsmaal.first()
    before = snapshot(programme)

    draft = roll_over(programme, koordinator)

    assert snapshot(programme) == before
    assert draft.state == Handlingsprogram.State.UTKAST and draft.forgjenger == programme
    assert Handlingsprogram.objects.current() == programme  # a draft is never current
    assert draft.omraader.count() == programme.omraader.count() == 4
    assert Innsatsomraade.objects.filter(omraade__handlingsprogram=draft).count() == 14
    new_tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft)
    assert new_tiltak.count() == 45
    new_212 = copy_of(draft, "2.1.2")
    assert new_212.tekst == old_212.tekst
    assert set(new_212.baerekraftsmaal.all()) == set(old_212.baerekraftsmaal.all())
    assert set(new_212.maal.all()) == set(old_212.maal.all())
    assert sorted(new_212.ansvar.values_list("aktoer_id", "enhet_id", "rolle")) == sorted(
        old_212.ansvar.values_list("aktoer_id", "enhet_id", "rolle")
    )
    # The copy's provenance is the coordinator's, naming where it came from; the old fact keeps its own.
    kilde = new_212.kilder.get(field_name="")
    assert kilde.type == Kilde.Type.PERSON and kilde.recorded_by == koordinator and kilde.recorded_at
    assert kilde.reasoning == f"Videreført fra {programme.navn} 2.1.2"
    if sdg is not None:
        assert new_212.kilder.filter(field_name="baerekraftsmaal", related_id=sdg.pk, type="person").exists()
    assert old_212.kilder.get(field_name="").type == Kilde.Type.DOKUMENT
    for ansvar in new_212.ansvar.all():
        assert ansvar.kilder.filter(field_name="", type="person").exists()
    # One decision per old tiltak, "continued", pointing at its copy.
    rulleringer = TiltakRullering.objects.filter(handlingsprogram=draft)
    assert rulleringer.count() == 45
    rullering = old_212.rullering
    assert rullering.decision == Decision.VIDEREFOERT
    assert list(rullering.etterfoelgere.all()) == [new_212] and rullering.kopi == new_212
    assert new_212.history.first().history_user == koordinator


def test_roll_over_only_for_coordinators_and_only_once(programme, koordinator, saksbehandler):
    with pytest.raises(PermissionDenied):
        roll_over(programme, saksbehandler)
    roll_over(programme, koordinator)
    with pytest.raises(ValidationError):
        roll_over(programme, koordinator, slug="en-annen")


def test_roll_over_refuses_a_taken_slug_and_writes_nothing(programme, koordinator):
    with pytest.raises(ValidationError) as raised:
        roll_over(programme, koordinator, slug=programme.slug)
    assert "slug" in raised.value.message_dict
    assert Handlingsprogram.objects.count() == 1


def test_a_failure_mid_roll_over_leaves_nothing_half_done(programme, koordinator):
    """The last tiltak's ansvar names a unit of another actor (written past the model's validation): its copy
    fails validation after the areas, innsatsområder and 44 tiltak are copied. Nothing of it may remain."""
    last = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).last()
    ansvar = last.ansvar.first()
    other_unit = ansvar.aktoer.__class__.objects.exclude(pk=ansvar.aktoer_id).filter(enheter__isnull=False).first()
    Ansvar.objects.filter(pk=ansvar.pk).update(enhet=other_unit.enheter.first())
    counts = (Handlingsprogram.objects.count(), Tiltak.objects.count(), Kilde.objects.count(), Ansvar.objects.count())

    with pytest.raises(ValidationError):
        roll_over(programme, koordinator)

    assert (
        Handlingsprogram.objects.count(),
        Tiltak.objects.count(),
        Kilde.objects.count(),
        Ansvar.objects.count(),
    ) == counts
    assert not TiltakRullering.objects.exists()
    assert not PrioritertOmraade.objects.exclude(handlingsprogram=programme).exists()


@pytest.fixture
def draft(programme, koordinator):
    return roll_over(programme, koordinator)


def decide(programme, code, koordinator, **kwargs):
    return services.tiltak_rullering_decide(user=koordinator, rullering=old(programme, code).rullering, **kwargs)


def test_changed_edits_the_copy_only(programme, draft, koordinator):
    old_text = old(programme, "1.1.1").tekst
    rullering = decide(programme, "1.1.1", koordinator, decision=Decision.ENDRET, tekst="Ny tekst for tiltaket.")
    assert rullering.decision == Decision.ENDRET
    assert copy_of(draft, "1.1.1").tekst == "Ny tekst for tiltaket."
    assert old(programme, "1.1.1").tekst == old_text
    assert copy_of(draft, "1.1.1").kilder.get(field_name="tekst").recorded_by == koordinator
    with pytest.raises(ValidationError) as raised:
        decide(programme, "1.1.1", koordinator, decision=Decision.ENDRET, tekst="  ")
    assert "tekst" in raised.value.message_dict
    # Back to continued: the old text again.
    decide(programme, "1.1.1", koordinator, decision=Decision.VIDEREFOERT)
    assert copy_of(draft, "1.1.1").tekst == old_text


def test_merged_shares_the_target_and_drops_its_copy(programme, draft, koordinator):
    target = copy_of(draft, "1.1.1")
    rullering = decide(programme, "1.1.2", koordinator, decision=Decision.SLAATT_SAMMEN, target=target)
    assert list(rullering.etterfoelgere.all()) == [target]
    assert not Tiltak.objects.by_code(draft, "1.1.2").exists()
    assert set(target.forgjenger_rulleringer.values_list("tiltak__nummer", flat=True)) == {1, 2}
    # The target cannot now be closed: another tiltak lives on in it.
    with pytest.raises(ValidationError):
        decide(programme, "1.1.1", koordinator, decision=Decision.AVSLUTTET, reason="Ferdig.")
    # A target outside the draft is refused.
    with pytest.raises(ValidationError) as raised:
        decide(programme, "1.2.1", koordinator, decision=Decision.SLAATT_SAMMEN, target=old(programme, "1.1.1"))
    assert "target" in raised.value.message_dict


def test_split_makes_extra_successors(programme, draft, koordinator):
    before = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft).count()
    rullering = decide(programme, "2.1.2", koordinator, decision=Decision.DELT, split_texts=["Del A.", "", "Del B."])
    successors = list(rullering.etterfoelgere.order_by("nummer"))
    assert len(successors) == 3
    assert [t.tekst for t in successors[1:]] == ["Del A.", "Del B."]
    assert all(t.ansvar.exists() for t in successors)
    assert Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft).count() == before + 2
    # Changing the decision undoes the split's extra tiltak.
    decide(programme, "2.1.2", koordinator, decision=Decision.VIDEREFOERT)
    assert Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft).count() == before
    with pytest.raises(ValidationError):
        decide(programme, "2.1.2", koordinator, decision=Decision.DELT, split_texts=[" "])


def test_closing_needs_a_reason_and_can_be_undone(programme, draft, koordinator):
    with pytest.raises(ValidationError) as raised:
        decide(programme, "3.1.1", koordinator, decision=Decision.AVSLUTTET, reason="  ")
    assert "reason" in raised.value.message_dict
    assert copy_of(draft, "3.1.1")  # nothing changed
    rullering = decide(programme, "3.1.1", koordinator, decision=Decision.AVSLUTTET, reason="Gjennomført.")
    assert rullering.reason == "Gjennomført." and not rullering.etterfoelgere.exists()
    assert not Tiltak.objects.by_code(draft, "3.1.1").exists()
    rullering = decide(programme, "3.1.1", koordinator, decision=Decision.VIDEREFOERT)
    assert list(rullering.etterfoelgere.all()) == [copy_of(draft, "3.1.1")]


def test_decisions_are_coordinators_and_refused_after_adoption(programme, draft, koordinator, saksbehandler):
    with pytest.raises(PermissionDenied):
        decide(programme, "3.1.1", saksbehandler, decision=Decision.AVSLUTTET, reason="x")
    with pytest.raises(ValidationError):
        decide(programme, "3.1.1", koordinator, decision="noe-annet")
    services.programme_adopt(
        user=koordinator, programme=draft, decided_on=datetime.date(2023, 12, 12), case_number="23/1"
    )
    with pytest.raises(ValidationError):
        decide(programme, "3.1.1", koordinator, decision=Decision.AVSLUTTET, reason="x")


def test_adopt_moves_current_and_archives_the_old(programme, draft, koordinator, tiltak_212, saksbehandler):
    adopted = services.programme_adopt(
        user=koordinator, programme=draft, decided_on=datetime.date(2023, 12, 12), case_number="PS 23/145"
    )
    programme.refresh_from_db()
    assert adopted.state == Handlingsprogram.State.VEDTATT
    assert (adopted.adopted_on, adopted.case_number) == (datetime.date(2023, 12, 12), "PS 23/145")
    assert programme.state == Handlingsprogram.State.AVSLUTTET and programme.is_closed
    assert Handlingsprogram.objects.current() == adopted
    # The archive takes no more status reports (the existing rule for closed programmes).
    from tiltak import services as tiltak_services

    with pytest.raises(ValidationError):
        tiltak_services.statusmelding_create(
            tiltak=Tiltak.objects.select_related("innsatsomraade__omraade__handlingsprogram").get(pk=tiltak_212.pk),
            user=saksbehandler,
            date=datetime.date(2023, 12, 20),
            status=Statusmelding.Status.PAAGAAR,
            vurdering=Statusmelding.Vurdering.I_RUTE,
            gjennomfoert="Etter avslutning.",
        )
    assert adopted.history.first().history_user == koordinator


def test_adopt_refuses_a_second_adopt_a_non_draft_and_non_coordinators(programme, draft, koordinator, saksbehandler):
    kwargs = {"decided_on": datetime.date(2023, 12, 12), "case_number": "PS 23/145"}
    with pytest.raises(PermissionDenied):
        services.programme_adopt(user=saksbehandler, programme=draft, **kwargs)
    with pytest.raises(ValidationError):
        services.programme_adopt(user=koordinator, programme=programme, **kwargs)  # not a draft
    with pytest.raises(ValidationError) as raised:
        services.programme_adopt(user=koordinator, programme=draft, decided_on=None, case_number=" ")
    assert set(raised.value.message_dict) == {"decided_on", "case_number"}
    draft.refresh_from_db()
    assert draft.is_draft
    services.programme_adopt(user=koordinator, programme=draft, **kwargs)
    with pytest.raises(ValidationError):
        services.programme_adopt(user=koordinator, programme=draft, **kwargs)


def test_adopt_refuses_a_draft_whose_predecessor_is_not_current(programme, koordinator):
    orphan = Handlingsprogram.objects.create(
        navn="Løst utkast", slug="lost", start_year=2030, end_year=2033, state=Handlingsprogram.State.UTKAST
    )
    with pytest.raises(ValidationError):
        services.programme_adopt(
            user=koordinator, programme=orphan, decided_on=datetime.date(2029, 1, 1), case_number="1"
        )


def test_a_failure_mid_adopt_leaves_nothing_half_done(programme, draft, koordinator):
    """The old programme fails validation (a slug written past it) when it is closed, after the draft was saved as
    adopted: the draft must still be a draft and the old one current."""
    Handlingsprogram.objects.filter(pk=programme.pk).update(slug="ikke en slug!")
    with pytest.raises(ValidationError):
        services.programme_adopt(
            user=koordinator, programme=draft, decided_on=datetime.date(2023, 12, 12), case_number="1"
        )
    draft.refresh_from_db()
    programme.refresh_from_db()
    assert draft.is_draft and draft.adopted_on is None and draft.case_number == ""
    assert programme.state == Handlingsprogram.State.VEDTATT and not programme.is_closed
    assert Handlingsprogram.objects.current() == programme


def test_is_closed_and_state_stay_one(programme):
    programme.is_closed = True
    programme.save()
    programme.refresh_from_db()
    assert programme.state == Handlingsprogram.State.AVSLUTTET
    # With no adopted programme, the newest closed one is still the one to read; a draft never is.
    assert Handlingsprogram.objects.current() == programme
    Handlingsprogram.objects.create(
        navn="Utkast", slug="utkast", start_year=2024, end_year=2027, state=Handlingsprogram.State.UTKAST
    )
    assert Handlingsprogram.objects.current() == programme
    adopted = Handlingsprogram.objects.create(navn="Eldre", slug="eldre", start_year=2016, end_year=2019)
    assert Handlingsprogram.objects.current() == adopted  # adopted before closed, whatever the period
