"""The roll-over copies the programme's text and its indikatorer into the draft, with provenance (issue 16), and
a draft's indikatorer are staff's: anonymous users and the public API never see them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from handlingsprogram.models import Kilde
from resultater.models import Indikator
from tiltak import rullering_services as services
from tiltak.models import Tiltak, TiltakRullering

Decision = TiltakRullering.Decision


@pytest.fixture
def draft(programme, koordinator):
    return services.programme_roll_over(
        user=koordinator,
        programme=programme,
        navn="Internasjonalt handlingsprogram 2024–2027",
        slug="ihp-2024-2027",
        start_year=2024,
        end_year=2027,
    )


def indikatorer_of(programme):
    return Indikator.objects.filter(
        tiltak__innsatsomraade__omraade__handlingsprogram=programme
    ) | Indikator.objects.filter(omraade__handlingsprogram=programme)


def test_the_programme_text_is_copied_part_by_part_saying_where_it_came_from(programme, draft):
    old = list(programme.tekster.order_by("position"))
    new = list(draft.tekster.select_related("forelder", "omraade").order_by("position"))
    assert len(new) == len(old) == 27
    for old_part, new_part in zip(old, new, strict=True):
        assert (new_part.key, new_part.type, new_part.title, new_part.text, new_part.position) == (
            old_part.key,
            old_part.type,
            old_part.title,
            old_part.text,
            old_part.position,
        )
        assert new_part.source.startswith("Videreført fra Internasjonalt handlingsprogram 2020–2023: ")
        assert old_part.source in new_part.source
        assert new_part.forelder is None or new_part.forelder.handlingsprogram_id == draft.pk
        assert new_part.omraade is None or new_part.omraade.handlingsprogram_id == draft.pk
    assert sum(part.forelder_id is not None for part in new) == sum(part.forelder_id is not None for part in old) > 0
    assert sum(part.omraade_id is not None for part in new) == 4
    # The old programme's text is its own still.
    assert all(part.handlingsprogram_id == programme.pk for part in programme.tekster.all())


def test_indikatorer_are_copied_with_their_baseline_and_a_kilde_saying_they_were_carried_over(
    programme, draft, koordinator
):
    old = list(indikatorer_of(programme).order_by("pk"))
    new = list(indikatorer_of(draft).order_by("pk"))
    assert len(old) == len(new) == 5

    def owner(indikator):
        return indikator.tiltak.kode if indikator.tiltak_id else indikator.omraade.nummer

    for old_one, new_one in zip(old, new, strict=True):
        assert (new_one.navn, new_one.basis_verdi, new_one.basis_aar, owner(new_one)) == (
            old_one.navn,
            old_one.basis_verdi,
            old_one.basis_aar,
            owner(old_one),
        )
        assert new_one.handlingsprogram == draft
        assert not new_one.verdier.exists()  # the values belong to the old period
        kilde = new_one.kilder.get(field_name="")
        assert (kilde.type, kilde.recorded_by) == (Kilde.Type.PERSON, koordinator)
        assert kilde.reasoning == f"Videreført fra Internasjonalt handlingsprogram 2020–2023 {owner(old_one)}"
        # The baseline's own sources come along as the coordinator's too.
        assert {k.field_name for k in new_one.kilder.all()} == {k.field_name for k in old_one.kilder.all()}


def test_a_closed_measure_takes_its_copied_indikatorer_and_a_reopened_one_brings_them_back(
    programme, draft, koordinator
):
    rullering = Tiltak.objects.by_code(programme, "2.3.3").get().rullering
    services.tiltak_rullering_decide(
        user=koordinator, rullering=rullering, decision=Decision.AVSLUTTET, reason="Ferdig"
    )
    assert indikatorer_of(draft).count() == 2
    # Their sources went with them.
    assert (
        not Kilde.objects.filter(content_type=ContentType.objects.get_for_model(Indikator))
        .exclude(object_id__in=Indikator.objects.values("pk"))
        .exists()
    )
    rullering.refresh_from_db()
    services.tiltak_rullering_decide(user=koordinator, rullering=rullering, decision=Decision.VIDEREFOERT)
    assert indikatorer_of(draft).count() == 5
    # A split's extra measures are new ones: the indikatorer stay with the copy.
    rullering.refresh_from_db()
    services.tiltak_rullering_decide(
        user=koordinator, rullering=rullering, decision=Decision.DELT, split_texts=["Ny del"]
    )
    assert indikatorer_of(draft).count() == 5


def test_a_failure_in_the_roll_over_leaves_no_copied_text_or_indikator(programme, koordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.programme_roll_over(
            user=koordinator, programme=programme, navn="x", slug="ugyldig slug", start_year=2024, end_year=2027
        )
    assert indikatorer_of(programme).count() == Indikator.objects.count() == 5
    assert programme.tekster.count() == 27 and not programme.tekster.model.objects.exclude(handlingsprogram=programme)


def test_draft_indikatorer_are_staffs_only(client, programme, draft, saksbehandler, leser):
    indikator = indikatorer_of(draft).first()
    detail = reverse("resultater:indikator_detail", kwargs={"pk": indikator.pk})
    listing = reverse("resultater:indikator_list", kwargs={"program": draft.slug})
    for user in (None, leser):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.get(listing).status_code == 404
    client.force_login(saksbehandler)
    assert client.get(detail).status_code == 200
    page = client.get(listing)
    assert page.status_code == 200 and indikator.navn in page.content.decode()
    # The public API lists the adopted programme's five, never the draft's copies.
    client.logout()
    data = client.get(reverse("api:indikator-list"), {"page_size": 100}).json()
    assert data["count"] == 5
    assert {row["id"] for row in data["results"]} == set(indikatorer_of(programme).values_list("pk", flat=True))
