"""The final evaluation's render limit is its own (settings.SLUTTEVALUERING_RENDER_TIMEOUT): the whole period at ten
times the programme legitimately renders for minutes, where the annual report's limit (120 s) stopped it."""

import datetime

import pytest
from django.utils import timezone

from rapportering import services
from rapportering.models import PdfGenerering


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_default_gives_the_evaluation_minutes(settings):
    assert settings.SLUTTEVALUERING_RENDER_TIMEOUT >= 600 > settings.AARSRAPPORT_RENDER_TIMEOUT


def test_the_evaluation_renders_under_its_own_limit(programme, koordinator, settings):
    settings.AARSRAPPORT_RENDER_TIMEOUT = 120
    settings.SLUTTEVALUERING_RENDER_TIMEOUT = 0.001  # far too short: the failure names this limit, not the other
    sluttevaluering = services.sluttevaluering_create(programme=programme, user=koordinator)
    generering = services.pdf_generering_request(
        sluttevaluering=sluttevaluering, user=koordinator, formaal=PdfGenerering.Formaal.UTKAST
    )
    generering.refresh_from_db()
    assert generering.status == PdfGenerering.Status.FEILET
    assert "0.001 sekunder" in generering.feilmelding


def test_a_long_evaluation_approval_is_not_given_up_at_the_annual_reports_limit(programme, koordinator, settings):
    settings.AARSRAPPORT_RENDER_TIMEOUT = 120
    settings.SLUTTEVALUERING_RENDER_TIMEOUT = 900
    now = timezone.now()
    started = now - datetime.timedelta(seconds=2 * 120 + 60 + 30)  # past the annual report's, within its own
    sluttevaluering = services.sluttevaluering_create(programme=programme, user=koordinator)
    aarsrapport = services.aarsrapport_draft_create(programme=programme, aar=2021, user=koordinator)
    running = {
        kind: PdfGenerering.objects.create(
            **{kind: report},
            formaal=PdfGenerering.Formaal.GODKJENNING,
            status=PdfGenerering.Status.PAAGAAR,
            requested_by=koordinator,
            started_at=started,
            heartbeat_at=now,  # its worker is alive
        )
        for kind, report in (("sluttevaluering", sluttevaluering), ("aarsrapport", aarsrapport))
    }
    again = services.pdf_generering_request(
        sluttevaluering=sluttevaluering, user=koordinator, formaal=PdfGenerering.Formaal.GODKJENNING
    )
    assert again == running["sluttevaluering"]  # still running: approving again returns it
    running["aarsrapport"].refresh_from_db()
    services._give_up_stalled_approvals(aarsrapport)
    running["aarsrapport"].refresh_from_db()
    assert running["aarsrapport"].status == PdfGenerering.Status.FEILET
    running["sluttevaluering"].refresh_from_db()
    assert running["sluttevaluering"].status == PdfGenerering.Status.PAAGAAR
