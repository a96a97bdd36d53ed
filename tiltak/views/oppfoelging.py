"""Reporting rounds (coordinators open and close them; staff see what they owe) and requests for an update on
one tiltak (coordinators ask, the responsible unit answers)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, koordinator_only

from .. import oppfoelging_selectors as selectors
from .. import oppfoelging_services as services
from .. import permissions
from ..forms_oppfoelging import ForespoerselForm, RundeForm, SvarForm
from .tiltak import programme_and_tiltak_or_404


@authenticated
def runde_list(request):
    programme = programme_selectors.programme_current()
    runder = list(selectors.runder_for(programme=programme)) if programme else []
    return render(
        request,
        "tiltak/runde_list.html",
        {"programme": programme, "runder": runder, "can_manage": permissions.can_manage_runder(request.user)},
    )


@koordinator_only
def runde_create(request):
    programme = programme_selectors.programme_current()
    if programme is None:
        messages.error(request, _("No action programme has been loaded yet."))
        return redirect("tiltak:runde_list")
    form = RundeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            runde = services.runde_open(
                user=request.user, handlingsprogram=programme, navn=data["navn"], aar=data["aar"], frist=data["frist"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The reporting round «%(name)s» is open.") % {"name": runde.navn})
            return redirect("tiltak:runde_detail", pk=runde.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tiltak/runde_form.html", {"programme": programme, "form": form}, status=status)


@authenticated
def runde_detail(request, pk: int):
    """The round's dashboard: each unit's completion and each tiltak's state in the round."""
    runde = or_404(selectors.runde_get(pk=pk))
    context = {
        "runde": runde,
        "units": selectors.runde_units(runde=runde),
        "tiltak_list": list(selectors.runde_tiltak(runde=runde)),
        "today": timezone.localdate(),
        "can_manage": permissions.can_manage_runder(request.user),
    }
    return render(request, "tiltak/runde_detail.html", context)


@koordinator_only
@require_POST
def runde_close(request, pk: int):
    runde = or_404(selectors.runde_get(pk=pk))
    try:
        services.runde_close(runde=runde, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The reporting round «%(name)s» is closed.") % {"name": runde.navn})
    return redirect("tiltak:runde_detail", pk=runde.pk)


@koordinator_only
def forespoersel_create(request, program: str, kode: str):
    """Ask the responsible unit for an update on the tiltak, or (``?statusmelding=``) to clarify one entry."""
    programme, tiltak = programme_and_tiltak_or_404(program, kode, request.user)
    statusmelding = None
    raw = request.POST.get("statusmelding") or request.GET.get("statusmelding")
    if raw:
        # Not one of this tiltak's (or withdrawn, or not a number): nothing to ask about here.
        statusmelding = or_404(selectors.askable_statusmelding(tiltak=tiltak, pk=raw))
    form = ForespoerselForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.forespoersel_create(
                tiltak=tiltak, user=request.user, melding=form.cleaned_data["melding"], statusmelding=statusmelding
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The request was sent to the units responsible for measure %(code)s.") % {"code": tiltak.kode},
            )
            return redirect(f"{tiltak.get_absolute_url()}#forespoersler-heading")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tiltak/forespoersel_form.html",
        {"programme": programme, "tiltak": tiltak, "statusmelding": statusmelding, "form": form},
        status=status,
    )


@authenticated
def forespoersel_answer(request, pk: int):
    forespoersel = or_404(selectors.forespoersel_get(pk=pk))
    tiltak = forespoersel.tiltak
    if forespoersel.is_answered:
        messages.info(request, _("The request has already been answered."))
        return redirect(f"{tiltak.get_absolute_url()}#forespoersel-{forespoersel.pk}")
    if not permissions.can_answer(request.user, forespoersel):
        raise PermissionDenied
    form = SvarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.forespoersel_answer(forespoersel=forespoersel, user=request.user, svar=form.cleaned_data["svar"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reply was saved."))
            return redirect(f"{tiltak.get_absolute_url()}#forespoersel-{forespoersel.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tiltak/forespoersel_answer.html",
        {"forespoersel": forespoersel, "tiltak": tiltak, "form": form},
        status=status,
    )
