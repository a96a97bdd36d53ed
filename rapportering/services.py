"""Writes for annual reports: draft create/update, approve (freeze) and reopen."""

import contextlib
import datetime
import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, OperationalError, connections, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tiltak import selectors as tiltak_selectors

from . import content as report_content
from . import evaluation_rendering, rendering, selectors
from .models import (
    Aarsrapport,
    Omraadevurdering,
    PdfGenerering,
    Sluttevaluering,
    SluttevalueringOmraade,
    SluttevalueringTiltak,
)
from .permissions import can_edit

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 20_000
# The task that runs ``pdf_generering_run``, named rather than imported: the task module imports this one, and the
# imports run one way (tasks → services).
GENERATE_PDF_TASK = "rapportering.tasks.generate_pdf"


def _require_koordinator(user) -> None:
    if not can_edit(user):
        raise PermissionDenied(_("Only coordinators can change annual reports."))


def _require_draft(aarsrapport: Aarsrapport) -> None:
    if not aarsrapport.is_draft:
        raise ValidationError(_("Only a draft can be changed; reopen the approved report to make a new version."))


# --- Four eyes: the draft marked ready by one coordinator, approved by another ---------------------------------
#
# The same rules for the annual report and the final evaluation (both are ``models.ReadyForApproval``).


def approval_refusal(report: Aarsrapport | Sluttevaluering, user) -> str | None:
    """Why ``user`` may not approve the draft ``report`` now, or None. Only when the programme asks for four eyes:
    the draft must be marked ready, and by someone else."""
    if not report.handlingsprogram.four_eyes_approval:
        return None
    if report.ready_at is None:
        return _(
            "Approval of this programme's reports needs two coordinators: one marks the draft ready for approval, "
            "and another approves it. The draft is not marked ready yet."
        )
    if report.ready_by_id == user.pk:
        return _("You marked the draft ready for approval, so another coordinator must approve it.")
    return None


def _require_may_approve(report: Aarsrapport | Sluttevaluering, user) -> None:
    if refusal := approval_refusal(report, user):
        raise ValidationError(refusal, code="four_eyes")


def _ready_mark_drop(report: Aarsrapport | Sluttevaluering) -> None:
    """The texts changed after the draft was marked ready: what was marked is not there any more, so the draft
    goes back to a plain draft (the mark stays in the audit history)."""
    report.ready_at = None
    report.ready_by = None


@transaction.atomic
def report_mark_ready(*, report: Aarsrapport | Sluttevaluering, user) -> Aarsrapport | Sluttevaluering:
    """The first of the two steps of a four-eyes approval: ``user`` (a coordinator) marks the draft, as its texts
    are now, ready for another coordinator to approve."""
    _require_koordinator(user)
    report = type(report).objects.select_for_update(of=("self",)).select_related("handlingsprogram").get(pk=report.pk)
    if not report.is_draft:
        raise ValidationError(_("Only a draft can be marked ready for approval."))
    if not report.handlingsprogram.four_eyes_approval:
        raise ValidationError(
            _("This programme's reports are approved by one coordinator in one step; approve the draft directly.")
        )
    if report.ready_at is not None:
        raise ValidationError(_("The draft is already marked ready for approval."))
    report.ready_at = timezone.now()
    report.ready_by = user
    report._history_user = user
    report.save(update_fields=["ready_at", "ready_by", "updated_at"])
    return report


@transaction.atomic
def aarsrapport_draft_create(*, programme, aar: int, user) -> Aarsrapport:
    _require_koordinator(user)
    if not programme.start_year <= aar <= programme.end_year:
        raise ValidationError(
            {
                "aar": _("The year must be within the programme period, %(start)s–%(end)s.")
                % {"start": programme.start_year, "end": programme.end_year}
            }
        )
    existing = selectors.current_for_year(programme=programme, year=aar)
    if existing is not None:
        raise ValidationError({"aar": _("There is already an annual report for %(year)s.") % {"year": aar}})
    latest = Aarsrapport.objects.filter(handlingsprogram=programme, aar=aar).aggregate(v=Max("versjon"))["v"] or 0
    aarsrapport = Aarsrapport(handlingsprogram=programme, aar=aar, versjon=latest + 1)
    aarsrapport.full_clean()
    aarsrapport.save()
    return aarsrapport


@transaction.atomic
def aarsrapport_draft_update(
    *,
    aarsrapport: Aarsrapport,
    user,
    sammendrag: str,
    endrede_forutsetninger: str,
    fu_meeting_date,
    fu_saksnummer: str,
    vurderinger: dict[int, str],
) -> Aarsrapport:
    """Save the coordinators' texts. ``vurderinger`` maps a PrioritertOmraade pk of the report's programme to
    its assessment text."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_for_update().get(pk=aarsrapport.pk)
    _require_draft(aarsrapport)
    areas = {area.pk: area for area in aarsrapport.handlingsprogram.omraader.all()}
    if any(omraade_pk not in areas for omraade_pk in vurderinger):
        raise ValidationError(_("That priority area is not part of the report's programme."))
    texts = {v.omraade_id: v.tekst for v in aarsrapport.vurderinger.all()}
    fields = {
        "sammendrag": sammendrag,
        "endrede_forutsetninger": endrede_forutsetninger,
        "fu_meeting_date": fu_meeting_date,
        "fu_saksnummer": fu_saksnummer,
    }
    changed = any(getattr(aarsrapport, name) != value for name, value in fields.items()) or any(
        texts.get(omraade_pk, "") != tekst for omraade_pk, tekst in vurderinger.items()
    )
    for name, value in fields.items():
        setattr(aarsrapport, name, value)
    if changed:
        _ready_mark_drop(aarsrapport)
    aarsrapport._history_user = user
    aarsrapport.full_clean()
    aarsrapport.save()
    for omraade_pk, tekst in vurderinger.items():
        Omraadevurdering.objects.update_or_create(
            aarsrapport=aarsrapport, omraade=areas[omraade_pk], defaults={"tekst": tekst}
        )
    return aarsrapport


def aarsrapport_approve(
    *, aarsrapport: Aarsrapport, user, on_progress: rendering.ProgressCallback | None = None
) -> Aarsrapport:
    """Freeze the draft: store the document it shows now, the PDF rendered from that document, and the PDF's
    SHA-256. A render failure raises ValidationError and leaves the draft as it was.

    The render (seconds, or minutes for a large report) runs outside any transaction, so no row stays locked
    and the progress written by ``on_progress`` is visible to the progress page while it runs. If the texts
    are saved again while the PDF is being made, the approval is refused rather than freezing stale texts."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_related("handlingsprogram").get(pk=aarsrapport.pk)
    _require_draft(aarsrapport)
    _require_may_approve(aarsrapport, user)
    if on_progress is not None:
        on_progress(rendering.Progress(step=PdfGenerering.Steg.DATA))
    document = selectors.live_document(
        programme=aarsrapport.handlingsprogram, year=aarsrapport.aar, aarsrapport=aarsrapport
    )
    document["editorial"]["status"] = Aarsrapport.Status.GODKJENT
    pdf = _render_for_approval(rendering.render_pdf, document, on_progress)
    return _aarsrapport_freeze(aarsrapport=aarsrapport, user=user, document=document, pdf=pdf)


def _render_for_approval(render_pdf, document: dict, on_progress) -> bytes:
    """The PDF an approval freezes (annual report or final evaluation), outside any transaction; a render failure
    is a ValidationError that changes nothing."""
    try:
        pdf = render_pdf(document, on_progress=on_progress)
    except rendering.RenderError as error:
        raise ValidationError(str(error)) from error
    if on_progress is not None:
        on_progress(rendering.Progress(step=PdfGenerering.Steg.LAGRER))
    return pdf


@transaction.atomic
def _aarsrapport_freeze(*, aarsrapport: Aarsrapport, user, document: dict, pdf: bytes) -> Aarsrapport:
    rendered_from = aarsrapport.updated_at
    aarsrapport = Aarsrapport.objects.select_for_update().select_related("handlingsprogram").get(pk=aarsrapport.pk)
    _require_draft(aarsrapport)
    _require_may_approve(aarsrapport, user)
    if aarsrapport.updated_at != rendered_from:
        raise ValidationError(
            _("The texts were changed while the PDF was being made. Nothing was approved; approve again.")
        )
    aarsrapport.status = Aarsrapport.Status.GODKJENT
    aarsrapport.approved_at = timezone.now()
    aarsrapport.approved_by = user
    aarsrapport.frozen_content = document
    aarsrapport.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    aarsrapport._history_user = user
    programme_slug = aarsrapport.handlingsprogram.slug
    aarsrapport.pdf.save(
        f"aarsrapport-{programme_slug}-{aarsrapport.aar}-v{aarsrapport.versjon}.pdf", ContentFile(pdf), save=False
    )
    aarsrapport.full_clean()
    aarsrapport.save()
    return aarsrapport


def pdf_generering_request(
    *, aarsrapport: Aarsrapport | None = None, sluttevaluering: Sluttevaluering | None = None, user, formaal: str
) -> PdfGenerering:
    """Queue the making of a report's PDF (an annual report's, or with ``sluttevaluering`` a final evaluation's):
    a draft PDF to read, or the approval (which freezes the report).

    Returns the queued generation, or for an approval already queued or running, that one: approving twice
    must not freeze twice. With the immediate task backend (development, tests) the PDF is made before this
    returns; with the database backend a worker (``manage.py db_worker``) makes it, and no web worker waits."""
    if (aarsrapport is None) == (sluttevaluering is None):
        raise TypeError("Give exactly one of aarsrapport and sluttevaluering.")
    _require_koordinator(user)
    if aarsrapport is not None:
        report = Aarsrapport.objects.select_related("handlingsprogram").get(pk=aarsrapport.pk)
        _require_draft(report)
        target = {"aarsrapport": report}
    else:
        report = Sluttevaluering.objects.select_related("handlingsprogram").get(pk=sluttevaluering.pk)
        _require_evaluation_draft(report)
        target = {"sluttevaluering": report}
    if formaal not in PdfGenerering.Formaal.values:
        raise ValidationError(_("Unknown kind of PDF."))
    pdf_generering_recover_stalled()
    if formaal == PdfGenerering.Formaal.GODKJENNING:
        _require_may_approve(report, user)
        _give_up_stalled_approvals(report)
        pending = report.pdf_genereringer.filter(formaal=formaal, status__in=PdfGenerering.UNFINISHED).first()
        if pending is not None:
            return pending
    generering = PdfGenerering.objects.create(**target, formaal=formaal, requested_by=user)
    result = import_string(GENERATE_PDF_TASK).enqueue(generering.pk)
    PdfGenerering.objects.filter(pk=generering.pk, task_id="").update(task_id=str(result.id)[:64])
    generering.refresh_from_db()
    return generering


def _give_up_stalled_approvals(aarsrapport: Aarsrapport | Sluttevaluering) -> None:
    """An approval that started long ago and never finished belongs to a worker that died: mark it failed so
    the coordinator can approve again. (A render never runs longer than the render time limit.)"""
    timeout = (
        settings.SLUTTEVALUERING_RENDER_TIMEOUT
        if isinstance(aarsrapport, Sluttevaluering)
        else settings.AARSRAPPORT_RENDER_TIMEOUT
    )
    limit = timezone.now() - datetime.timedelta(seconds=2 * timeout + 60)
    aarsrapport.pdf_genereringer.filter(status=PdfGenerering.Status.PAAGAAR, started_at__lt=limit).update(
        status=PdfGenerering.Status.FEILET,
        feilmelding=_("The PDF was not finished: the worker making it stopped. Try again."),
        finished_at=timezone.now(),
    )


@report_content.in_report_language
def pdf_generering_run(*, generering_id: int) -> PdfGenerering | None:
    """Make the PDF of a queued generation, writing its progress as it goes (the task's body).

    Every failure ends in status "feilet" with a message for the coordinator; the draft is never changed by a
    failure. A generation that is not queued any more (run twice by a worker, or already given up) is left
    alone."""
    now = timezone.now()
    claimed = PdfGenerering.objects.filter(pk=generering_id, status=PdfGenerering.Status.VENTER).update(
        status=PdfGenerering.Status.PAAGAAR, started_at=now, heartbeat_at=now, steg=PdfGenerering.Steg.DATA
    )
    if not claimed:
        return None
    heartbeat = _Heartbeat(generering_id) if _runs_in_a_worker() else None
    try:
        return _pdf_generering_make(generering_id)
    finally:
        if heartbeat is not None:
            heartbeat.stop()


def _runs_in_a_worker() -> bool:
    """A separate worker (the database task backend) can die without the request knowing; the immediate backend
    makes the PDF inside the request, where nothing is left behind to recover."""
    return settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend")


class _Heartbeat:
    """Writes ``heartbeat_at`` of a running generation every PDF_HEARTBEAT_SECONDS from a thread of its own, so
    that a long step of WeasyPrint (which reports no progress for a while) does not look like a dead worker."""

    def __init__(self, generering_id: int):
        self.generering_id = generering_id
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"pdf-heartbeat-{generering_id}", daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(settings.PDF_HEARTBEAT_SECONDS):
                # The database may be away for a moment; the next beat tries again.
                with contextlib.suppress(DatabaseError):
                    PdfGenerering.objects.filter(pk=self.generering_id, status=PdfGenerering.Status.PAAGAAR).update(
                        heartbeat_at=timezone.now()
                    )
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)


# A PDF whose worker died this many times is given up: something in it (or the machine) kills workers.
PDF_MAX_ATTEMPTS = 3


def pdf_generering_recover_stalled(*, now: datetime.datetime | None = None) -> list[int]:
    """Queue again every generation left "in progress" by a worker that died (killed, out of memory, the machine
    restarted): its heartbeat is older than six beats. The PDF is then made again by the next free worker, and the
    progress page says it is a new attempt. After PDF_MAX_ATTEMPTS the generation fails with a message instead.

    Run by every worker when it starts and every few beats while it runs (``manage.py db_worker``), and when a
    coordinator asks for a PDF. Each generation is taken over by one caller only (a conditional update)."""
    now = now or timezone.now()
    silent_since = now - datetime.timedelta(seconds=6 * settings.PDF_HEARTBEAT_SECONDS)
    stalled = PdfGenerering.objects.filter(status=PdfGenerering.Status.PAAGAAR).filter(
        Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True, started_at__lt=silent_since)
    )
    requeued = []
    for pk, forsoek, heartbeat_at in stalled.values_list("pk", "forsoek", "heartbeat_at"):
        same_run = PdfGenerering.objects.filter(
            pk=pk, status=PdfGenerering.Status.PAAGAAR, forsoek=forsoek, heartbeat_at=heartbeat_at
        )
        if forsoek >= PDF_MAX_ATTEMPTS:
            same_run.update(
                status=PdfGenerering.Status.FEILET,
                feilmelding=_("The PDF was not finished: the worker making it stopped %(count)s times. Try again.")
                % {"count": forsoek},
                finished_at=now,
            )
            continue
        taken = same_run.update(
            status=PdfGenerering.Status.VENTER,
            steg=PdfGenerering.Steg.KOE,
            sider=0,
            started_at=None,
            heartbeat_at=None,
            forsoek=F("forsoek") + 1,
        )
        if taken:
            logger.warning("PDF generation %s was left unfinished by a worker that stopped; queued again", pk)
            result = import_string(GENERATE_PDF_TASK).enqueue(pk)
            PdfGenerering.objects.filter(pk=pk, status=PdfGenerering.Status.VENTER).update(task_id=str(result.id)[:64])
            requeued.append(pk)
    return requeued


def _progress_write(generering_id: int, **fields) -> None:
    """Progress is for the waiting user's eyes, so a write that meets a lock (SQLite's "table is locked" while
    the progress page reads the row) is tried again briefly and then left to the next step: it never fails the
    PDF. A savepoint keeps the caller's transaction usable when it does fail."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                PdfGenerering.objects.filter(pk=generering_id).update(**fields)
            return
        except OperationalError:
            if attempt == 2:
                logger.warning(
                    "Progress of PDF generation %s not recorded (%s); the next step records it", generering_id, fields
                )
                return
            time.sleep(0.1 * (attempt + 1))


def _pdf_generering_make(generering_id: int) -> PdfGenerering:
    generering = PdfGenerering.objects.select_related(
        "aarsrapport__handlingsprogram", "sluttevaluering__handlingsprogram", "requested_by"
    ).get(pk=generering_id)
    generering.forventede_sider = _expected_pages(generering)
    PdfGenerering.objects.filter(pk=generering_id).update(forventede_sider=generering.forventede_sider)

    def on_progress(progress: rendering.Progress) -> None:
        # Steps after the layout carry no page count; the pages laid out stay as the layout left them.
        pages = {"sider": progress.pages} if progress.pages else {}
        _progress_write(generering_id, steg=progress.step, **pages)

    if generering.is_evaluation:
        return _evaluation_generering_run(generering, on_progress)
    aarsrapport = generering.aarsrapport
    try:
        if generering.formaal == PdfGenerering.Formaal.GODKJENNING:
            aarsrapport_approve(aarsrapport=aarsrapport, user=generering.requested_by, on_progress=on_progress)
        else:
            _require_draft(aarsrapport)
            on_progress(rendering.Progress(step=PdfGenerering.Steg.DATA))
            document = selectors.report_document(aarsrapport=aarsrapport)
            try:
                pdf = rendering.render_pdf(document, on_progress=on_progress)
            except rendering.RenderError as error:
                raise ValidationError(str(error)) from error
            on_progress(rendering.Progress(step=PdfGenerering.Steg.LAGRER))
            generering.pdf.save(
                f"utkast-aarsrapport-{aarsrapport.aar}-v{aarsrapport.versjon}-{generering.pk}.pdf",
                ContentFile(pdf),
                save=False,
            )
            PdfGenerering.objects.filter(pk=generering_id).update(pdf=generering.pdf.name)
    except ValidationError as error:
        _finish(generering_id, status=PdfGenerering.Status.FEILET, feilmelding=" ".join(error.messages))
    except PermissionDenied as error:  # the one who asked is no longer a coordinator
        _finish(generering_id, status=PdfGenerering.Status.FEILET, feilmelding=str(error))
    except Exception:
        logger.exception("Making the PDF of annual report %s failed", aarsrapport.pk)
        _finish(
            generering_id,
            status=PdfGenerering.Status.FEILET,
            feilmelding=_("The PDF could not be made because of an error on the server. Nothing was changed."),
        )
    else:
        _finish(generering_id, status=PdfGenerering.Status.FERDIG)
    generering.refresh_from_db()
    return generering


def _finish(generering_id: int, *, status: str, feilmelding: str = "") -> None:
    PdfGenerering.objects.filter(pk=generering_id).update(
        status=status, feilmelding=feilmelding, finished_at=timezone.now()
    )


def _expected_pages(generering: PdfGenerering) -> int | None:
    """The page count of the last PDF made of this programme's reports, to show layout progress as a
    percentage; None (an indeterminate bar) before the first one."""
    if generering.is_evaluation:
        same_kind = {"sluttevaluering__handlingsprogram_id": generering.sluttevaluering.handlingsprogram_id}
    else:
        same_kind = {"aarsrapport__handlingsprogram_id": generering.aarsrapport.handlingsprogram_id}
    previous = (
        PdfGenerering.objects.filter(
            **same_kind,
            status=PdfGenerering.Status.FERDIG,
            sider__gt=0,
        )
        .order_by("-finished_at")
        .values_list("sider", flat=True)
        .first()
    )
    return previous


@transaction.atomic
def aarsrapport_reopen(*, aarsrapport: Aarsrapport, user, reason: str) -> Aarsrapport:
    """Supersede an approved report with a new draft version carrying its texts. The approved version, its
    frozen data and its PDF stay as they are."""
    _require_koordinator(user)
    aarsrapport = Aarsrapport.objects.select_for_update().get(pk=aarsrapport.pk)
    if aarsrapport.status != Aarsrapport.Status.GODKJENT:
        raise ValidationError(_("Only an approved report can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reopened_reason": _("Say why the report is reopened.")})
    aarsrapport.status = Aarsrapport.Status.ERSTATTET
    aarsrapport.save(update_fields=["status", "updated_at"])
    draft = Aarsrapport(
        handlingsprogram=aarsrapport.handlingsprogram,
        aar=aarsrapport.aar,
        versjon=aarsrapport.versjon + 1,
        sammendrag=aarsrapport.sammendrag,
        endrede_forutsetninger=aarsrapport.endrede_forutsetninger,
        fu_meeting_date=aarsrapport.fu_meeting_date,
        fu_saksnummer=aarsrapport.fu_saksnummer,
        reopened_reason=reason,
    )
    draft.full_clean()
    draft.save()
    Omraadevurdering.objects.bulk_create(
        Omraadevurdering(aarsrapport=draft, omraade_id=v.omraade_id, tekst=v.tekst)
        for v in aarsrapport.vurderinger.all()
    )
    return draft


# --- The final evaluation ----------------------------------------------------------------------------------------


def _require_evaluation_draft(sluttevaluering: Sluttevaluering) -> None:
    if not sluttevaluering.is_draft:
        raise ValidationError(_("An approved final evaluation cannot be changed."))


def evaluation_may_start(programme, *, today: datetime.date | None = None) -> bool:
    """A final evaluation is written when the period has ended or is in its last year."""
    return (today or timezone.localdate()).year >= programme.end_year


@transaction.atomic
def sluttevaluering_create(*, programme, user, today: datetime.date | None = None) -> Sluttevaluering:
    _require_koordinator(user)
    if not evaluation_may_start(programme, today=today):
        raise ValidationError(
            _(
                "The final evaluation can be written from the programme's last year, %(year)s. "
                "Until then, write annual reports."
            )
            % {"year": programme.end_year}
        )
    if Sluttevaluering.objects.filter(handlingsprogram=programme).exists():
        raise ValidationError(_("The programme already has a final evaluation."))
    sluttevaluering = Sluttevaluering(handlingsprogram=programme)
    sluttevaluering.full_clean()
    sluttevaluering.save()
    return sluttevaluering


@transaction.atomic
def sluttevaluering_update(
    *,
    sluttevaluering: Sluttevaluering,
    user,
    overall_assessment: str,
    programme_recommendation: str,
    programme_reasoning: str,
    fu_meeting_date,
    fu_saksnummer: str,
    omraader: dict[int, str],
    tiltak: dict[int, tuple[str, str]],
) -> Sluttevaluering:
    """Save the coordinators' texts. ``omraader`` maps a PrioritertOmraade pk of the programme to its evaluation,
    ``tiltak`` a Tiltak pk of the programme to (recommendation, comment). Anything outside the programme, or an
    unknown recommendation, is refused and nothing is saved."""
    _require_koordinator(user)
    sluttevaluering = (
        Sluttevaluering.objects.select_for_update().select_related("handlingsprogram").get(pk=sluttevaluering.pk)
    )
    _require_evaluation_draft(sluttevaluering)
    programme = sluttevaluering.handlingsprogram

    # Everything is checked, and the rows to write are found, before anything is written.
    areas = {area.pk: area for area in programme.omraader.all()}
    if any(omraade_pk not in areas for omraade_pk in omraader):
        raise ValidationError(_("That priority area is not part of the programme."))
    tiltak_ids = tiltak_selectors.tiltak_ids_in(programme=programme)
    if any(tiltak_pk not in tiltak_ids for tiltak_pk in tiltak):
        raise ValidationError(_("That measure is not part of the programme."))
    existing_areas = {v.omraade_id: v for v in sluttevaluering.omraadevurderinger.all()}
    area_rows, areas_changed = [], False
    for omraade_pk, text in omraader.items():
        row = existing_areas.get(omraade_pk) or SluttevalueringOmraade(
            sluttevaluering=sluttevaluering, omraade=areas[omraade_pk]
        )
        areas_changed = areas_changed or row.text != text  # a new row's text is ""
        if row.pk is None or row.text != text:  # an unchanged row gets no history entry
            row.text = text
            area_rows.append(row)
    existing = {a.tiltak_id: a for a in sluttevaluering.tiltakanbefalinger.all()}
    tiltak_rows = []
    for tiltak_pk, (recommendation, comment) in tiltak.items():
        row = existing.get(tiltak_pk) or SluttevalueringTiltak(sluttevaluering=sluttevaluering, tiltak_id=tiltak_pk)
        if row.pk is None and not recommendation and not comment:
            continue
        if row.pk is None or (row.recommendation, row.comment) != (recommendation, comment):
            row.recommendation, row.comment = recommendation, comment
            tiltak_rows.append(row)

    fields = {
        "overall_assessment": overall_assessment,
        "programme_recommendation": programme_recommendation,
        "programme_reasoning": programme_reasoning,
        "fu_meeting_date": fu_meeting_date,
        "fu_saksnummer": fu_saksnummer,
    }
    changed = any(getattr(sluttevaluering, name) != value for name, value in fields.items())
    changed = changed or areas_changed or bool(tiltak_rows)
    for name, value in fields.items():
        setattr(sluttevaluering, name, value)
    if changed:
        _ready_mark_drop(sluttevaluering)
    sluttevaluering._history_user = user
    sluttevaluering.full_clean()
    sluttevaluering.save()
    for row in area_rows:
        row.full_clean()
        row.save()
    for row in tiltak_rows:
        row.full_clean(exclude=["tiltak", "sluttevaluering"])
        row.save()
    return sluttevaluering


def sluttevaluering_approve(
    *, sluttevaluering: Sluttevaluering, user, on_progress: rendering.ProgressCallback | None = None
) -> Sluttevaluering:
    """Freeze the draft as ``aarsrapport_approve`` does an annual report: the document it shows now, the PDF made
    from it and the PDF's SHA-256. A render failure raises ValidationError and leaves the draft as it was."""
    _require_koordinator(user)
    programme = Sluttevaluering.objects.select_related("handlingsprogram").get(pk=sluttevaluering.pk).handlingsprogram
    sluttevaluering = selectors.sluttevaluering_for(programme=programme)
    _require_evaluation_draft(sluttevaluering)
    _require_may_approve(sluttevaluering, user)
    if on_progress is not None:
        on_progress(rendering.Progress(step=PdfGenerering.Steg.DATA))
    document = selectors.evaluation_live_document(sluttevaluering=sluttevaluering)
    document["editorial"]["status"] = Sluttevaluering.Status.GODKJENT
    pdf = _render_for_approval(evaluation_rendering.render_pdf, document, on_progress)
    return _sluttevaluering_freeze(sluttevaluering=sluttevaluering, user=user, document=document, pdf=pdf)


@transaction.atomic
def _sluttevaluering_freeze(*, sluttevaluering: Sluttevaluering, user, document: dict, pdf: bytes) -> Sluttevaluering:
    rendered_from = sluttevaluering.updated_at
    sluttevaluering = (
        Sluttevaluering.objects.select_for_update().select_related("handlingsprogram").get(pk=sluttevaluering.pk)
    )
    _require_evaluation_draft(sluttevaluering)
    _require_may_approve(sluttevaluering, user)
    if sluttevaluering.updated_at != rendered_from:
        raise ValidationError(
            _("The texts were changed while the PDF was being made. Nothing was approved; approve again.")
        )
    sluttevaluering.status = Sluttevaluering.Status.GODKJENT
    sluttevaluering.approved_at = timezone.now()
    sluttevaluering.approved_by = user
    sluttevaluering.frozen_content = document
    sluttevaluering.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    sluttevaluering._history_user = user
    sluttevaluering.pdf.save(
        f"sluttevaluering-{sluttevaluering.handlingsprogram.slug}-v{sluttevaluering.versjon}.pdf",
        ContentFile(pdf),
        save=False,
    )
    sluttevaluering.full_clean()
    sluttevaluering.save()
    return sluttevaluering


def _evaluation_generering_run(generering: PdfGenerering, on_progress) -> PdfGenerering:
    generering_id = generering.pk
    sluttevaluering = generering.sluttevaluering
    try:
        if generering.formaal == PdfGenerering.Formaal.GODKJENNING:
            sluttevaluering_approve(
                sluttevaluering=sluttevaluering, user=generering.requested_by, on_progress=on_progress
            )
        else:
            _require_evaluation_draft(sluttevaluering)
            on_progress(rendering.Progress(step=PdfGenerering.Steg.DATA))
            document = selectors.evaluation_document(
                sluttevaluering=selectors.sluttevaluering_for(programme=sluttevaluering.handlingsprogram)
            )
            try:
                pdf = evaluation_rendering.render_pdf(document, on_progress=on_progress)
            except rendering.RenderError as error:
                raise ValidationError(str(error)) from error
            on_progress(rendering.Progress(step=PdfGenerering.Steg.LAGRER))
            generering.pdf.save(
                f"utkast-sluttevaluering-{sluttevaluering.handlingsprogram.slug}-{generering.pk}.pdf",
                ContentFile(pdf),
                save=False,
            )
            PdfGenerering.objects.filter(pk=generering_id).update(pdf=generering.pdf.name)
    except ValidationError as error:
        _finish(generering_id, status=PdfGenerering.Status.FEILET, feilmelding=" ".join(error.messages))
    except PermissionDenied as error:
        _finish(generering_id, status=PdfGenerering.Status.FEILET, feilmelding=str(error))
    except Exception:
        logger.exception("Making the PDF of final evaluation %s failed", sluttevaluering.pk)
        _finish(
            generering_id,
            status=PdfGenerering.Status.FEILET,
            feilmelding=_("The PDF could not be made because of an error on the server. Nothing was changed."),
        )
    else:
        _finish(generering_id, status=PdfGenerering.Status.FERDIG)
    generering.refresh_from_db()
    return generering
