"""Making the report's PDF in the background: queueing, progress, the worker, and what a coordinator sees."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from rapportering import rendering, selectors, services, tasks
from rapportering.models import Aarsrapport, PdfGenerering

from .conftest import YEAR

pytestmark = pytest.mark.django_db

QUEUE_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def draft(programme, koordinator):
    return services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)


def status_of(client, generering) -> dict:
    response = client.get(reverse("rapportering:generering_status", kwargs={"pk": generering.pk}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_render_reports_its_progress_step_by_step_and_page_by_page(programme):
    document = selectors.live_document(programme=programme, year=YEAR)
    seen: list[rendering.Progress] = []
    pdf = rendering.render_pdf(document, on_progress=seen.append)
    steps = [p.step for p in seen]
    assert steps == sorted(steps), "progress never goes backwards"
    assert steps[0] == PdfGenerering.Steg.HTML
    # Which steps in between are seen depends on how fast the layout goes (they are polled twice a second); the
    # last one is always reported, with every page.
    assert steps[-1] == PdfGenerering.Steg.PDF
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert max(p.pages for p in seen) == pages, "the last page laid out is reported, however fast the end came"


def test_a_queued_approval_waits_for_the_worker_and_shows_its_progress(client, settings, koordinator, draft):
    settings.TASKS = QUEUE_ONLY  # nothing runs until we run it: what a coordinator sees while the worker is busy
    client.force_login(koordinator)
    response = client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    generering = PdfGenerering.objects.get(aarsrapport=draft)
    assert response["Location"] == generering.get_absolute_url()
    assert generering.status == PdfGenerering.Status.VENTER
    assert generering.task_id
    draft.refresh_from_db()
    assert draft.status == Aarsrapport.Status.UTKAST, "the web request did not make the PDF"

    page = client.get(generering.get_absolute_url()).content.decode()
    assert 'id="generering-bar"' in page
    assert 'role="status"' in page
    assert "/static/js/pdf_generering.js" in page
    assert status_of(client, generering) == {
        "status": "venter",
        "finished": False,
        "percent": 0,
        "text": "I kø: venter på en ledig arbeider.",
    }
    # Approving again while one is queued does not queue a second approval.
    client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    assert PdfGenerering.objects.filter(aarsrapport=draft).count() == 1
    # Nor can the texts be frozen twice, whatever happens: the database refuses a second pending approval.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PdfGenerering.objects.create(aarsrapport=draft, formaal="godkjenning", requested_by=koordinator)

    tasks.generate_pdf.call(generering.pk)  # what the worker does
    generering.refresh_from_db()
    draft.refresh_from_db()
    assert (generering.status, draft.status) == ("ferdig", "godkjent")
    assert generering.steg == PdfGenerering.Steg.LAGRER
    assert generering.sider == len(PdfReader(draft.pdf.open("rb")).pages)
    assert status_of(client, generering)["finished"] is True
    assert status_of(client, generering)["percent"] == 100
    # Run twice by a confused worker: the second run changes nothing.
    sha = draft.pdf_sha256
    assert services.pdf_generering_run(generering_id=generering.pk) is None
    draft.refresh_from_db()
    assert draft.pdf_sha256 == sha


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_the_pdf_outside_the_web_request(
    client, settings, programme_loaded_transactional, make_user
):
    """The worker checks its connection the way a long-running process must (``close_old_connections``), which
    on PostgreSQL ends a test's wrapping transaction: so this test commits for real."""
    settings.TASKS = DATABASE_QUEUE
    from handlingsprogram.models import User

    koordinator = make_user("koordinator-worker", User.Rolle.KOORDINATOR)
    draft = services.aarsrapport_draft_create(programme=programme_loaded_transactional, aar=YEAR, user=koordinator)
    client.force_login(koordinator)
    client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
    generering = PdfGenerering.objects.get(aarsrapport=draft)
    assert generering.status == PdfGenerering.Status.VENTER
    assert not generering.pdf

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    generering.refresh_from_db()
    assert generering.status == PdfGenerering.Status.FERDIG, generering.feilmelding
    assert generering.forventede_sider is None  # the programme's first PDF: no estimate yet
    response = client.get(reverse("rapportering:generering_pdf", kwargs={"pk": generering.pk}))
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == generering.sider

    # The next one knows how many pages to expect, so its progress bar can show a percentage.
    client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
    second = PdfGenerering.objects.exclude(pk=generering.pk).get(aarsrapport=draft)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    second.refresh_from_db()
    assert (second.status, second.forventede_sider) == ("ferdig", generering.sider)


def test_texts_changed_while_the_pdf_was_made_are_not_frozen(programme, koordinator, draft):
    def edit_during_layout(progress):
        # The first report comes when the document has been read from the database and WeasyPrint starts.
        if progress.step == PdfGenerering.Steg.HTML:
            services.aarsrapport_draft_update(
                aarsrapport=draft,
                user=koordinator,
                sammendrag="Skrevet mens PDF-en ble laget",
                endrede_forutsetninger="",
                fu_meeting_date=None,
                fu_saksnummer="",
                vurderinger={},
            )

    with pytest.raises(ValidationError, match="endret mens PDF-en"):
        services.aarsrapport_approve(aarsrapport=draft, user=koordinator, on_progress=edit_during_layout)
    draft.refresh_from_db()
    assert (draft.status, draft.sammendrag, draft.pdf_sha256) == ("utkast", "Skrevet mens PDF-en ble laget", "")


def test_an_approval_left_running_by_a_dead_worker_is_queued_again(client, settings, koordinator, draft):
    """Silent for an hour: its worker is dead. Approving again takes that approval up again (attempt 2; see
    test_worker_recovery.py) rather than queueing a second one."""
    import datetime

    from django.utils import timezone

    settings.TASKS = QUEUE_ONLY
    stalled = PdfGenerering.objects.create(
        aarsrapport=draft,
        formaal=PdfGenerering.Formaal.GODKJENNING,
        status=PdfGenerering.Status.PAAGAAR,
        started_at=timezone.now() - datetime.timedelta(hours=1),
        requested_by=koordinator,
    )
    client.force_login(koordinator)
    client.post(reverse("rapportering:approve", kwargs={"pk": draft.pk}))
    stalled.refresh_from_db()
    assert (stalled.status, stalled.forsoek) == (PdfGenerering.Status.VENTER, 2)
    assert PdfGenerering.objects.filter(aarsrapport=draft).count() == 1


def test_approved_reports_and_unknown_generations(client, koordinator, draft):
    client.force_login(koordinator)
    assert client.get(reverse("rapportering:generering", kwargs={"pk": 99999})).status_code == 404
    assert client.get(reverse("rapportering:generering_status", kwargs={"pk": 99999})).status_code == 404
    assert client.get(reverse("rapportering:generate", kwargs={"pk": draft.pk})).status_code == 405
    services.aarsrapport_approve(aarsrapport=draft, user=koordinator)
    # An approved report needs no draft PDF: it has its own, and asking for one goes there.
    response = client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
    assert response["Location"] == reverse("rapportering:pdf", kwargs={"pk": draft.pk})
    assert not PdfGenerering.objects.filter(aarsrapport=draft).exists()
    with pytest.raises(ValidationError):
        services.pdf_generering_request(aarsrapport=draft, user=koordinator, formaal="utkast")


def test_only_coordinators_change_reports_and_a_queued_approval_asks_again(settings, koordinator, saksbehandler, draft):
    with pytest.raises(PermissionDenied):
        services.aarsrapport_draft_create(programme=draft.handlingsprogram, aar=YEAR + 1, user=saksbehandler)
    with pytest.raises(PermissionDenied):
        services.pdf_generering_request(aarsrapport=draft, user=saksbehandler, formaal="utkast")
    assert not Aarsrapport.objects.filter(aar=YEAR + 1).exists()
    assert not PdfGenerering.objects.exists()

    # The coordinator who asked for the approval is no longer one when the worker gets to it.
    settings.TASKS = QUEUE_ONLY
    generering = services.pdf_generering_request(aarsrapport=draft, user=koordinator, formaal="godkjenning")
    koordinator.rolle = koordinator.Rolle.SAKSBEHANDLER
    koordinator.save()
    tasks.generate_pdf.call(generering.pk)
    generering.refresh_from_db()
    draft.refresh_from_db()
    assert (generering.status, draft.status) == ("feilet", "utkast")
    assert generering.feilmelding == "Bare koordinatorer kan endre årsrapporter."
