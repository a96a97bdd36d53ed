"""An indikator of a draft programme (a roll-over not yet adopted) is staff's, as the draft itself is: its page
answers 404 to anyone else, even one who knows its id."""

import pytest
from django.urls import reverse

from resultater.models import Indikator
from tiltak.models import Tiltak
from tiltak.rullering_services import programme_roll_over

pytestmark = pytest.mark.django_db


def test_a_draft_programmes_indikator_is_shown_to_staff_only(client, programme, koordinator, saksbehandler, leser):
    draft = programme_roll_over(
        user=koordinator, programme=programme, navn="Neste program", slug="neste", start_year=2024, end_year=2027
    )
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=draft).order_by("pk").first()
    indikator = Indikator.objects.create(
        tiltak=tiltak, navn="Deltakere", maaleenhet="antall", basis_verdi=10, basis_aar=2023, basis_kilde="Test"
    )
    url = reverse("resultater:indikator_detail", args=[indikator.pk])
    assert client.get(url).status_code == 404
    client.force_login(leser)
    assert client.get(url).status_code == 404
    client.force_login(saksbehandler)
    assert client.get(url).status_code == 200

    adopted = Indikator.objects.create(
        tiltak=Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).first(),
        navn="Deltakere",
        maaleenhet="antall",
        basis_verdi=10,
        basis_aar=2019,
        basis_kilde="Test",
    )
    client.logout()
    assert client.get(reverse("resultater:indikator_detail", args=[adopted.pk])).status_code == 200
