"""Annual reports and PDF generations in the admin: coordinators look them up; nobody changes them there."""

import pytest
from django.urls import reverse

from rapportering import services
from rapportering.models import PdfGenerering

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_reports_and_generations_are_read_only_in_the_admin(client, programme, koordinator):
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    generering = services.pdf_generering_request(aarsrapport=draft, user=koordinator, formaal="godkjenning")
    assert generering.status == PdfGenerering.Status.FERDIG
    client.force_login(koordinator)
    for name, obj in [("aarsrapport", draft), ("pdfgenerering", generering)]:
        changelist = client.get(reverse(f"admin:rapportering_{name}_changelist"))
        assert changelist.status_code == 200
        assert reverse(f"admin:rapportering_{name}_add") not in changelist.content.decode()
        change = client.get(reverse(f"admin:rapportering_{name}_change", args=[obj.pk]))
        assert change.status_code == 200
        assert 'name="_save"' not in change.content.decode()
        response = client.post(reverse(f"admin:rapportering_{name}_delete", args=[obj.pk]), {"post": "yes"})
        assert response.status_code == 403
    assert (
        f'href="{draft.get_absolute_url()}"'
        in client.get(reverse("admin:rapportering_aarsrapport_changelist")).content.decode()
    )
