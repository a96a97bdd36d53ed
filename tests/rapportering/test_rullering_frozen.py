"""An approved annual report never changes when its programme is rolled over and closed: its frozen content, its
PDF and its SHA-256 stay identical (issue 16)."""

import copy
import datetime
import hashlib

import pytest
from django.urls import reverse

from rapportering import services
from rapportering.models import Aarsrapport
from tiltak import rullering_services

from .conftest import YEAR, get_tiltak, report

pytestmark = pytest.mark.django_db


def test_an_approved_report_is_unchanged_by_roll_over_and_adoption(client, programme, koordinator, saksbehandler):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(YEAR, 4, 1), "paagaar", "i_rute", "Arbeid")
    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    approved = services.aarsrapport_approve(aarsrapport=draft, user=koordinator)
    frozen, sha = copy.deepcopy(approved.frozen_content), approved.pdf_sha256
    served = b"".join(client.get(reverse("rapportering:pdf", kwargs={"pk": approved.pk})).streaming_content)
    assert hashlib.sha256(served).hexdigest() == sha

    successor = rullering_services.programme_roll_over(
        user=koordinator, programme=programme, navn="Neste", slug="neste", start_year=2024, end_year=2027
    )
    rullering_services.tiltak_rullering_decide(
        user=koordinator, rullering=get_tiltak(programme, "2.1.2").rullering, decision="avsluttet", reason="Ferdig."
    )
    rullering_services.programme_adopt(
        user=koordinator, programme=successor, decided_on=datetime.date(2023, 12, 12), case_number="PS 23/145"
    )

    after = Aarsrapport.objects.get(pk=approved.pk)
    assert after.frozen_content == frozen
    assert after.pdf_sha256 == sha
    assert after.approved_at == approved.approved_at
    served = b"".join(client.get(reverse("rapportering:pdf", kwargs={"pk": approved.pk})).streaming_content)
    assert hashlib.sha256(served).hexdigest() == sha
    # The archive's reports stay listed.
    assert client.get(reverse("rapportering:list", kwargs={"program": programme.slug})).status_code == 200
