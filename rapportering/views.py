"""Annual reports: the public list and downloads of approved reports, and the coordinators' drafting,
preview, approval and reopening. Thin: permission, form, service or selector, render."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.cache_headers import private_no_store
from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram import services as programme_services
from handlingsprogram.permissions import koordinator_only, public, user_may_see_drafts
from tiltak import selectors as tiltak_selectors

from . import evaluation_rendering, permissions, rendering, selectors, services
from .forms import AarsrapportCreateForm, AarsrapportForm, ApprovalSettingForm, ReopenForm, SluttevalueringForm
from .models import PdfGenerering


def _visible_or_deny(request, aarsrapport):
    """Drafts are for coordinators only: anonymous visitors are sent to log in, others get 403."""
    if permissions.can_view(request.user, aarsrapport):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@public
def aarsrapport_list_current(request):
    """The menu's "Annual reports": those of the current programme."""
    return _aarsrapport_list(request, or_404(programme_selectors.programme_current()))


@public
def aarsrapport_list(request, program: str):
    return _aarsrapport_list(request, or_404(programme_selectors.programme_get(slug=program)))


def _aarsrapport_list(request, programme):
    context = {
        "programme": programme,
        "reports": list(selectors.aarsrapporter_for(programme=programme, user=request.user)),
        "can_edit": permissions.can_edit(request.user),
    }
    sluttevaluering = selectors.sluttevaluering_for(programme=programme)
    if sluttevaluering is not None and permissions.can_view_evaluation(request.user, sluttevaluering):
        context["sluttevaluering"] = sluttevaluering
    context["may_start_evaluation"] = (
        sluttevaluering is None and context["can_edit"] and services.evaluation_may_start(programme)
    )
    if context["can_edit"]:
        context["approval_setting_form"] = ApprovalSettingForm(
            initial={"four_eyes_approval": programme.four_eyes_approval}
        )
    return render(request, "rapportering/aarsrapport_list.html", context)


@koordinator_only
def aarsrapport_create(request, program: str):
    programme = or_404(programme_selectors.programme_get(slug=program))
    form = AarsrapportCreateForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            aarsrapport = services.aarsrapport_draft_create(
                programme=programme, aar=form.cleaned_data["aar"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("rapportering:edit", pk=aarsrapport.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rapportering/aarsrapport_create.html", {"programme": programme, "form": form}, status=status
    )


@koordinator_only
def aarsrapport_edit(request, pk: int):
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if not aarsrapport.is_draft:
        messages.info(request, _("An approved report cannot be changed. Reopen it to make a new version."))
        return redirect(aarsrapport.get_absolute_url())
    omraader = aarsrapport.handlingsprogram.omraader.order_by("nummer")
    form = AarsrapportForm(request.POST or None, omraader=omraader, initial=AarsrapportForm.initial_for(aarsrapport))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.aarsrapport_draft_update(
                aarsrapport=aarsrapport,
                user=request.user,
                sammendrag=data["sammendrag"],
                endrede_forutsetninger=data["endrede_forutsetninger"],
                fu_meeting_date=data["fu_meeting_date"],
                fu_saksnummer=data["fu_saksnummer"],
                vurderinger=form.vurderinger(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(aarsrapport.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rapportering/aarsrapport_form.html", {"aarsrapport": aarsrapport, "form": form}, status=status
    )


@public
def aarsrapport_detail(request, pk: int):
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if denied := _visible_or_deny(request, aarsrapport):
        return denied
    context = {
        "aarsrapport": aarsrapport,
        "programme": aarsrapport.handlingsprogram,
        "versions": [v for v in selectors.versions(aarsrapport=aarsrapport) if permissions.can_view(request.user, v)],
        "can_edit": permissions.can_edit(request.user),
    }
    if context["can_edit"]:
        context["genereringer"] = selectors.pdf_generering_latest(aarsrapport=aarsrapport)
        context["approval_refusal"] = aarsrapport.is_draft and services.approval_refusal(aarsrapport, request.user)
    return render(request, "rapportering/aarsrapport_detail.html", context)


@public
def aarsrapport_preview(request, pk: int):
    """The whole report as one web page, from the same template and data as the PDF."""
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if denied := _visible_or_deny(request, aarsrapport):
        return denied
    document = selectors.report_document(aarsrapport=aarsrapport)
    response = HttpResponse(rendering.render_html(document))
    return response if aarsrapport.is_public else private_no_store(response)


@public
def aarsrapport_pdf(request, pk: int):
    """An approved (or superseded) report: the stored file, byte for byte. A draft's PDF is made in the
    background (``aarsrapport_generate``), so a draft has no file here: coordinators are sent to its page."""
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if denied := _visible_or_deny(request, aarsrapport):
        return denied
    if not aarsrapport.is_public:
        messages.info(request, _("A draft has no stored PDF. Use “Make a PDF of the draft” to make one."))
        return redirect(aarsrapport.get_absolute_url())
    if not aarsrapport.pdf:
        raise Http404
    filename = f"aarsrapport-{aarsrapport.aar}-v{aarsrapport.versjon}.pdf"
    return FileResponse(aarsrapport.pdf.open("rb"), content_type="application/pdf", filename=filename)


def _request_generation(request, aarsrapport, formaal: str):
    try:
        generering = services.pdf_generering_request(aarsrapport=aarsrapport, user=request.user, formaal=formaal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(aarsrapport.get_absolute_url())
    return redirect(generering.get_absolute_url())


@koordinator_only
@require_POST
def aarsrapport_generate(request, pk: int):
    """Queue a PDF of the draft as it is now; the coordinator follows it on the progress page."""
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if not aarsrapport.is_draft:
        return redirect("rapportering:pdf", pk=aarsrapport.pk)
    return _request_generation(request, aarsrapport, PdfGenerering.Formaal.UTKAST)


@koordinator_only
def aarsrapport_approve(request, pk: int):
    """Confirm, then queue the approval: the PDF is made in the background and the report frozen when done."""
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if not aarsrapport.is_draft:
        messages.info(request, _("This report is already approved."))
        return redirect(aarsrapport.get_absolute_url())
    if refusal := services.approval_refusal(aarsrapport, request.user):
        messages.error(request, refusal)
        return redirect(aarsrapport.get_absolute_url())
    if request.method == "POST":
        return _request_generation(request, aarsrapport, PdfGenerering.Formaal.GODKJENNING)
    return render(request, "rapportering/aarsrapport_approve.html", {"aarsrapport": aarsrapport})


def _mark_ready(request, report):
    try:
        services.report_mark_ready(report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The draft is marked ready for approval. Another coordinator approves it."))
    return redirect(report.get_absolute_url())


@koordinator_only
@require_POST
def aarsrapport_mark_ready(request, pk: int):
    """The first of two steps when the programme asks for four eyes; another coordinator then approves."""
    return _mark_ready(request, or_404(selectors.aarsrapport_get(pk=pk)))


@koordinator_only
@require_POST
def approval_setting(request, program: str):
    """Turn four eyes on the programme's report approvals on or off."""
    programme = or_404(programme_selectors.programme_get(slug=program))
    form = ApprovalSettingForm(request.POST)
    if form.is_valid():  # a checkbox: any input is valid, absent is off
        required = form.cleaned_data["four_eyes_approval"]
        programme_services.programme_four_eyes_set(programme=programme, user=request.user, required=required)
        if required:
            messages.success(
                request, _("Annual reports and the final evaluation are now approved by two coordinators.")
            )
        else:
            messages.success(request, _("Annual reports and the final evaluation are now approved by one coordinator."))
    return redirect("rapportering:list", program=programme.slug)


@koordinator_only
def pdf_generering_detail(request, pk: int):
    """Progress of one PDF being made; the page polls ``pdf_generering_status`` and reloads when it ends."""
    generering = or_404(selectors.pdf_generering_get(pk=pk))
    if generering.is_evaluation:
        context = {
            "generering": generering,
            "sluttevaluering": generering.sluttevaluering,
            "programme": generering.sluttevaluering.handlingsprogram,
            "progress_text": selectors.pdf_generering_progress_text(generering),
            "Status": PdfGenerering.Status,
        }
        return render(request, "rapportering/sluttevaluering_generering.html", context)
    context = {
        "generering": generering,
        "aarsrapport": generering.aarsrapport,
        "progress_text": selectors.pdf_generering_progress_text(generering),
        "Status": PdfGenerering.Status,
    }
    return render(request, "rapportering/pdf_generering.html", context)


@koordinator_only
def pdf_generering_status(request, pk: int):
    generering = or_404(selectors.pdf_generering_get(pk=pk))
    response = JsonResponse(selectors.pdf_generering_progress(generering))
    response["Cache-Control"] = "no-store"
    return response


@koordinator_only
def pdf_generering_pdf(request, pk: int):
    """The draft PDF a finished generation made (approval PDFs are the report's own, at ``aarsrapport_pdf``)."""
    generering = or_404(selectors.pdf_generering_get(pk=pk))
    if generering.status != PdfGenerering.Status.FERDIG or not generering.pdf:
        raise Http404
    if generering.is_evaluation:
        filename = f"utkast-sluttevaluering-{generering.sluttevaluering.handlingsprogram.slug}.pdf"
    else:
        aarsrapport = generering.aarsrapport
        filename = f"utkast-aarsrapport-{aarsrapport.aar}-v{aarsrapport.versjon}.pdf"
    return private_no_store(
        FileResponse(generering.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
    )


@koordinator_only
def aarsrapport_reopen(request, pk: int):
    aarsrapport = or_404(selectors.aarsrapport_get(pk=pk))
    if aarsrapport.status != aarsrapport.Status.GODKJENT:
        messages.info(request, _("Only an approved report can be reopened."))
        return redirect(aarsrapport.get_absolute_url())
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.aarsrapport_reopen(
                aarsrapport=aarsrapport, user=request.user, reason=form.cleaned_data["reopened_reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("A new draft version was made. The approved version is kept."))
            return redirect("rapportering:edit", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "rapportering/aarsrapport_reopen.html", {"aarsrapport": aarsrapport, "form": form}, status=status
    )


# --- The final evaluation ----------------------------------------------------------------------------------------


def _programme(request, program: str):
    return or_404(programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(request.user)))


def _evaluation_or_deny(request, program: str):
    """The programme and its evaluation if the user may read it; a draft is for staff: anonymous visitors are
    sent to log in, readers get 403. No evaluation is 404."""
    programme = _programme(request, program)
    sluttevaluering = or_404(selectors.sluttevaluering_for(programme=programme))
    return programme, sluttevaluering, _evaluation_denied(request, sluttevaluering)


def _evaluation_denied(request, sluttevaluering):
    if permissions.can_view_evaluation(request.user, sluttevaluering):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@public
def sluttevaluering_detail(request, program: str):
    """The programme's final evaluation; before there is one, coordinators are offered to start it."""
    programme = _programme(request, program)
    sluttevaluering = selectors.sluttevaluering_for(programme=programme)
    can_edit = permissions.can_edit_evaluation(request.user)
    if sluttevaluering is None:
        if not can_edit:
            raise Http404
        return redirect("rapportering:sluttevaluering_create", program=programme.slug)
    if denied := _evaluation_denied(request, sluttevaluering):
        return denied
    context = {"programme": programme, "sluttevaluering": sluttevaluering, "can_edit": can_edit}
    if can_edit:
        context["genereringer"] = selectors.pdf_generering_latest(aarsrapport=sluttevaluering)
        context["approval_refusal"] = sluttevaluering.is_draft and services.approval_refusal(
            sluttevaluering, request.user
        )
    return render(request, "rapportering/sluttevaluering_detail.html", context)


@koordinator_only
def sluttevaluering_create(request, program: str):
    programme = _programme(request, program)
    existing = selectors.sluttevaluering_for(programme=programme)
    if existing is not None:
        return redirect(existing.get_absolute_url())
    error = None
    if request.method == "POST":
        try:
            services.sluttevaluering_create(programme=programme, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("rapportering:sluttevaluering_edit", program=programme.slug)
    context = {
        "programme": programme,
        "may_start": services.evaluation_may_start(programme),
        "error": error,
    }
    return render(request, "rapportering/sluttevaluering_create.html", context, status=400 if error else 200)


@koordinator_only
def sluttevaluering_edit(request, program: str):
    programme = _programme(request, program)
    sluttevaluering = or_404(selectors.sluttevaluering_for(programme=programme))
    if not sluttevaluering.is_draft:
        messages.info(request, _("An approved final evaluation cannot be changed."))
        return redirect(sluttevaluering.get_absolute_url())
    form = SluttevalueringForm(
        request.POST or None,
        omraader=tiltak_selectors.omraader_with_tiltak(programme=programme),
        initial=SluttevalueringForm.initial_for(sluttevaluering),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sluttevaluering_update(
                sluttevaluering=sluttevaluering,
                user=request.user,
                overall_assessment=data["overall_assessment"],
                programme_recommendation=data["programme_recommendation"],
                programme_reasoning=data["programme_reasoning"],
                fu_meeting_date=data["fu_meeting_date"],
                fu_saksnummer=data["fu_saksnummer"],
                omraader=form.omraade_texts(),
                tiltak=form.tiltak_recommendations(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(sluttevaluering.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"programme": programme, "sluttevaluering": sluttevaluering, "form": form}
    return render(request, "rapportering/sluttevaluering_form.html", context, status=status)


@public
def sluttevaluering_preview(request, program: str):
    """The whole evaluation as one web page, from the same template and data as the PDF."""
    _, sluttevaluering, denied = _evaluation_or_deny(request, program)
    if denied:
        return denied
    document = selectors.evaluation_document(sluttevaluering=sluttevaluering)
    response = HttpResponse(evaluation_rendering.render_html(document))
    return response if sluttevaluering.is_public else private_no_store(response)


@public
def sluttevaluering_pdf(request, program: str):
    """The approved evaluation: the stored file, byte for byte. A draft's PDF is made in the background."""
    programme, sluttevaluering, denied = _evaluation_or_deny(request, program)
    if denied:
        return denied
    if not sluttevaluering.is_public:
        messages.info(request, _("A draft has no stored PDF. Use “Make a PDF of the draft” to make one."))
        return redirect(sluttevaluering.get_absolute_url())
    if not sluttevaluering.pdf:
        raise Http404
    filename = f"sluttevaluering-{programme.slug}.pdf"
    return FileResponse(sluttevaluering.pdf.open("rb"), content_type="application/pdf", filename=filename)


def _request_evaluation_generation(request, sluttevaluering, formaal: str):
    try:
        generering = services.pdf_generering_request(
            sluttevaluering=sluttevaluering, user=request.user, formaal=formaal
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(sluttevaluering.get_absolute_url())
    return redirect(generering.get_absolute_url())


@koordinator_only
@require_POST
def sluttevaluering_generate(request, program: str):
    sluttevaluering = or_404(selectors.sluttevaluering_for(programme=_programme(request, program)))
    if not sluttevaluering.is_draft:
        return redirect("rapportering:sluttevaluering_pdf", program=program)
    return _request_evaluation_generation(request, sluttevaluering, PdfGenerering.Formaal.UTKAST)


@koordinator_only
def sluttevaluering_approve(request, program: str):
    """Confirm, then queue the approval: the PDF is made in the background and the evaluation frozen when done."""
    sluttevaluering = or_404(selectors.sluttevaluering_for(programme=_programme(request, program)))
    if not sluttevaluering.is_draft:
        messages.info(request, _("This final evaluation is already approved."))
        return redirect(sluttevaluering.get_absolute_url())
    if refusal := services.approval_refusal(sluttevaluering, request.user):
        messages.error(request, refusal)
        return redirect(sluttevaluering.get_absolute_url())
    if request.method == "POST":
        return _request_evaluation_generation(request, sluttevaluering, PdfGenerering.Formaal.GODKJENNING)
    return render(
        request,
        "rapportering/sluttevaluering_approve.html",
        {"programme": sluttevaluering.handlingsprogram, "sluttevaluering": sluttevaluering},
    )


@koordinator_only
@require_POST
def sluttevaluering_mark_ready(request, program: str):
    """As ``aarsrapport_mark_ready``, for the final evaluation."""
    return _mark_ready(request, or_404(selectors.sluttevaluering_for(programme=_programme(request, program))))
