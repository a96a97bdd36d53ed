"""Reads for annual reports."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext

from handlingsprogram.permissions import user_is_koordinator

from . import content as report_content
from . import evaluation_content
from .demo import demo_data_exists  # noqa: F401 -- asked by the portal's pages for the demo banner
from .models import (
    Aarsrapport,
    Omraadevurdering,
    PdfGenerering,
    Sluttevaluering,
    SluttevalueringOmraade,
    SluttevalueringTiltak,
)


def aarsrapporter_for(*, programme, user) -> QuerySet[Aarsrapport]:
    """The programme's reports the user may see, newest year first: everyone sees approved and superseded
    versions; coordinators also see drafts."""
    qs = Aarsrapport.objects.filter(handlingsprogram=programme).select_related("handlingsprogram", "approved_by")
    if not user_is_koordinator(user):
        qs = qs.exclude(status=Aarsrapport.Status.UTKAST)
    return qs.order_by("-aar", "-versjon")


def aarsrapport_get(*, pk: int) -> Aarsrapport | None:
    return (
        Aarsrapport.objects.select_related("handlingsprogram", "approved_by", "ready_by")
        .prefetch_related(Prefetch("vurderinger", queryset=Omraadevurdering.objects.select_related("omraade")))
        .filter(pk=pk)
        .first()
    )


def versions(*, aarsrapport: Aarsrapport) -> QuerySet[Aarsrapport]:
    return Aarsrapport.objects.filter(
        handlingsprogram_id=aarsrapport.handlingsprogram_id, aar=aarsrapport.aar
    ).order_by("-versjon")


def previous_approved(*, programme, year: int) -> Aarsrapport | None:
    """The approved report of the latest earlier year, which "what changed" is measured from."""
    return (
        Aarsrapport.objects.filter(handlingsprogram=programme, aar__lt=year, status=Aarsrapport.Status.GODKJENT)
        .order_by("-aar")
        .first()
    )


def current_for_year(*, programme, year: int) -> Aarsrapport | None:
    """The draft or approved report of the year (superseded versions are history)."""
    return (
        Aarsrapport.objects.filter(handlingsprogram=programme, aar=year)
        .exclude(status=Aarsrapport.Status.ERSTATTET)
        .prefetch_related(Prefetch("vurderinger", queryset=Omraadevurdering.objects.select_related("omraade")))
        .first()
    )


def editorial(aarsrapport: Aarsrapport | None) -> dict:
    """The coordinators' texts as plain data; frozen with the content on approval, so the keys stay as approved
    reports have them ("fu_moetedato" holds ``Aarsrapport.fu_meeting_date``)."""
    if aarsrapport is None:
        return {
            "sammendrag": "",
            "endrede_forutsetninger": "",
            "fu_moetedato": None,
            "fu_saksnummer": "",
            "vurderinger": {},
            "versjon": None,
            "status": None,
        }
    return {
        "sammendrag": aarsrapport.sammendrag,
        "endrede_forutsetninger": aarsrapport.endrede_forutsetninger,
        "fu_moetedato": aarsrapport.fu_meeting_date.isoformat() if aarsrapport.fu_meeting_date else None,
        "fu_saksnummer": aarsrapport.fu_saksnummer,
        "vurderinger": {str(v.omraade.nummer): v.tekst for v in aarsrapport.vurderinger.all() if v.tekst},
        "versjon": aarsrapport.versjon,
        "status": aarsrapport.status,
    }


@report_content.in_report_language
def live_document(*, programme, year: int, aarsrapport: Aarsrapport | None = None) -> dict:
    """The report as it would be approved now: live content plus the draft's texts."""
    previous = previous_approved(programme=programme, year=year)
    previous_content = previous.frozen_content["content"] if previous is not None else None
    return {
        "content": report_content.build_content(
            programme=programme, year=year, previous_report_content=previous_content
        ),
        "editorial": editorial(aarsrapport),
    }


def report_document(*, aarsrapport: Aarsrapport) -> dict:
    """What the report shows: for an approved or superseded report exactly what was frozen, for a draft the
    live data."""
    if aarsrapport.frozen_content is not None:
        return aarsrapport.frozen_content
    return live_document(programme=aarsrapport.handlingsprogram, year=aarsrapport.aar, aarsrapport=aarsrapport)


def pdf_generering_get(*, pk: int) -> PdfGenerering | None:
    return (
        PdfGenerering.objects.select_related(
            "aarsrapport__handlingsprogram", "sluttevaluering__handlingsprogram", "requested_by"
        )
        .filter(pk=pk)
        .first()
    )


def pdf_generering_latest(*, aarsrapport: Aarsrapport | Sluttevaluering, limit: int = 5) -> list[PdfGenerering]:
    """The report's (annual report's or final evaluation's) most recent PDF generations, newest first."""
    return list(aarsrapport.pdf_genereringer.select_related("requested_by").order_by("-created_at", "-id")[:limit])


def pdf_generering_progress_text(generering: PdfGenerering) -> str:
    """One sentence on where a generation is, in the user's language; a second one when the worker making it
    stopped and the PDF is being (or was) made again."""
    text = _pdf_generering_step_text(generering)
    if generering.forsoek > 1 and generering.status != PdfGenerering.Status.FEILET:
        if generering.is_finished:
            return text + " " + gettext("It was made again after the worker making it stopped.")
        return (
            gettext("The worker making the PDF stopped, so it is being made again (attempt %(attempt)s).")
            % {"attempt": generering.forsoek}
            + " "
            + text
        )
    return text


def _pdf_generering_step_text(generering: PdfGenerering) -> str:
    if generering.status == PdfGenerering.Status.FERDIG:
        return gettext("Done: %(pages)s pages.") % {"pages": generering.sider}
    if generering.status == PdfGenerering.Status.FEILET:
        return gettext("Failed.")
    if generering.status == PdfGenerering.Status.VENTER:
        return gettext("Queued: waiting for a free worker.")
    step = generering.get_steg_display()
    if generering.steg == PdfGenerering.Steg.SIDER and generering.sider:
        if generering.forventede_sider:
            return gettext("%(step)s: page %(page)s of about %(total)s.") % {
                "step": step,
                "page": generering.sider,
                "total": generering.forventede_sider,
            }
        return gettext("%(step)s: page %(page)s.") % {"step": step, "page": generering.sider}
    return f"{step} …"


def pdf_generering_progress(generering: PdfGenerering) -> dict:
    """What the progress page shows, as plain data for its polling script."""
    return {
        "status": generering.status,
        "finished": generering.is_finished,
        "percent": generering.percent,
        "text": pdf_generering_progress_text(generering),
    }


# --- The final evaluation ----------------------------------------------------------------------------------------


def sluttevaluering_for(*, programme) -> Sluttevaluering | None:
    """The programme's final evaluation with the coordinators' texts (three queries), or None."""
    return (
        Sluttevaluering.objects.filter(handlingsprogram=programme)
        .select_related("handlingsprogram", "approved_by", "ready_by")
        .prefetch_related(
            Prefetch("omraadevurderinger", queryset=SluttevalueringOmraade.objects.select_related("omraade")),
            Prefetch(
                "tiltakanbefalinger",
                queryset=SluttevalueringTiltak.objects.select_related("tiltak__innsatsomraade__omraade"),
            ),
        )
        .order_by("-versjon")
        .first()
    )


def approved_reports(*, programme) -> QuerySet[Aarsrapport]:
    """The programme's approved annual reports, oldest year first (what the final evaluation sums up)."""
    return Aarsrapport.objects.filter(handlingsprogram=programme, status=Aarsrapport.Status.GODKJENT).order_by("aar")


def evaluation_editorial(sluttevaluering: Sluttevaluering) -> dict:
    """The coordinators' texts and recommendations as plain data, frozen with the content on approval."""
    return {
        "samlet_vurdering": sluttevaluering.overall_assessment,
        "omraader": {str(v.omraade.nummer): v.text for v in sluttevaluering.omraadevurderinger.all() if v.text},
        "tiltak": {
            a.tiltak.kode: {"anbefaling": a.recommendation, "kommentar": a.comment}
            for a in sluttevaluering.tiltakanbefalinger.all()
            if a.recommendation or a.comment
        },
        "programanbefaling": sluttevaluering.programme_recommendation,
        "begrunnelse": sluttevaluering.programme_reasoning,
        "fu_moetedato": sluttevaluering.fu_meeting_date.isoformat() if sluttevaluering.fu_meeting_date else None,
        "fu_saksnummer": sluttevaluering.fu_saksnummer,
        "versjon": sluttevaluering.versjon,
        "status": sluttevaluering.status,
    }


def evaluation_live_document(*, sluttevaluering: Sluttevaluering) -> dict:
    """The evaluation as it would be approved now: the whole period's live data plus the coordinators' texts."""
    programme = sluttevaluering.handlingsprogram
    return {
        "content": evaluation_content.build_content(
            programme=programme, approved_reports=approved_reports(programme=programme)
        ),
        "editorial": evaluation_editorial(sluttevaluering),
    }


def evaluation_document(*, sluttevaluering: Sluttevaluering) -> dict:
    """What the evaluation shows: once approved exactly what was frozen, as a draft the live data."""
    if sluttevaluering.frozen_content is not None:
        return sluttevaluering.frozen_content
    return evaluation_live_document(sluttevaluering=sluttevaluering)


def sluttevalueringer_for_api() -> QuerySet[Sluttevaluering]:
    """The approved final evaluations, newest programme first: what partners may read."""
    return (
        Sluttevaluering.objects.filter(status=Sluttevaluering.Status.GODKJENT)
        .select_related("handlingsprogram")
        .order_by("-handlingsprogram__start_year", "-versjon")
    )
