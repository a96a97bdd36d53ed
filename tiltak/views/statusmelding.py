from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.forms import add_service_errors
from felles.vedlegg import download_response
from felles.views import or_404
from handlingsprogram.permissions import authenticated, koordinator_only

from .. import permissions, selectors, services
from ..forms import StatusmeldingForm, WithdrawForm
from .tiltak import programme_and_tiltak_or_404


@authenticated
def statusmelding_create(request, program: str, kode: str):
    programme, tiltak = programme_and_tiltak_or_404(program, kode, request.user, light=True)
    if not permissions.can_log_on(request.user, tiltak):
        raise PermissionDenied
    correcting = None
    if "korrigerer" in request.GET:
        correcting = selectors.correctable_statusmelding(tiltak=tiltak, pk=request.GET["korrigerer"])
        if correcting is None and request.method == "GET":
            messages.warning(
                request,
                _("That status report cannot be corrected: it has been withdrawn or corrected already."),
            )
    form = StatusmeldingForm(
        request.POST or None, request.FILES or None, tiltak=tiltak, initial=initial_values(tiltak, correcting)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.statusmelding_create(
                tiltak=tiltak,
                user=request.user,
                date=data["date"],
                status=data["status"],
                vurdering=data["vurdering"],
                gjennomfoert=data["gjennomfoert"],
                resultater=data["resultater"],
                neste_steg=data["neste_steg"],
                intern_merknad=data["intern_merknad"],
                korrigerer=data["korrigerer"],
                correction_reason=data["correction_reason"],
                vedlegg=data["vedlegg"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status report for measure %(code)s was saved.") % {"code": tiltak.kode})
            return redirect(tiltak.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tiltak/statusmelding_form.html",
        {"programme": programme, "tiltak": tiltak, "form": form, "correcting": correcting},
        status=status,
    )


def initial_values(tiltak, correcting) -> dict:
    """A correction starts as a copy of what it corrects, so only what was wrong is retyped; a new statusmelding
    starts from the measure's current status and assessment, with every text empty."""
    if correcting is not None:
        fields = ["date", "status", "vurdering", "gjennomfoert", "resultater", "neste_steg", "intern_merknad"]
        return {name: getattr(correcting, name) for name in fields} | {"korrigerer": correcting.pk}
    initial = {"date": services.default_report_date(tiltak)}
    if current := selectors.current_statusmelding(tiltak=tiltak):
        initial |= {"status": current.status, "vurdering": current.vurdering}
    return initial


@authenticated
def statusmelding_vedlegg_download(request, pk: int):
    """Internal: logged-in users only, like a deltagelse's documents; always a download (``felles.vedlegg``)."""
    if not permissions.can_read_internal(request.user):
        raise PermissionDenied
    vedlegg = or_404(selectors.statusmelding_vedlegg_get(pk=pk))
    return download_response(vedlegg.fil, name=vedlegg.navn, kind=vedlegg.type)


@koordinator_only
def statusmelding_withdraw(request, pk: int):
    statusmelding = or_404(selectors.statusmelding_get(pk=pk))
    tiltak = statusmelding.tiltak
    if statusmelding.is_withdrawn:
        messages.info(request, _("That status report has already been withdrawn."))
        return redirect(tiltak.get_absolute_url())
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.statusmelding_withdraw(
                statusmelding=statusmelding, user=request.user, begrunnelse=form.cleaned_data["begrunnelse"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status report was withdrawn."))
            return redirect(tiltak.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tiltak/statusmelding_withdraw.html",
        {"statusmelding": statusmelding, "tiltak": tiltak, "form": form},
        status=status,
    )
