"""Indikatorer: the programme's list, one indikator's page with its chart, the definition form (coordinators)
and the value form (responsible staff and coordinators)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.exports import FORMATS
from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, koordinator_only, public, user_may_see_drafts

from .. import charts, exports, permissions, selectors, services
from ..forms import IndikatorForm, IndikatorverdiForm


@public
def indikator_list_current(request):
    """The menu's «Indikatorer»: the current programme's list."""
    return _indikator_list(request, or_404(programme_selectors.programme_current()))


@public
def indikator_list(request, program: str):
    # A draft successor's indikatorer (copied at the roll-over) are staff's to see, like the draft itself.
    programme = programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(request.user))
    return _indikator_list(request, or_404(programme))


def _indikator_or_404(request, pk: int):
    """The indikator; one of a draft programme only for staff (anyone else gets 404, as for the draft)."""
    indikator = or_404(selectors.indikator_get(pk=pk, include_drafts=True))
    if indikator.handlingsprogram.is_draft and not user_may_see_drafts(request.user):
        raise Http404
    return indikator


def _indikator_list(request, programme):
    context = {
        "programme": programme,
        "indikatorer": list(selectors.indikatorer_for_programme(programme=programme)),
        "can_define": permissions.can_define_indikator(request.user),
        "can_export": permissions.can_read_internal(request.user),
    }
    return render(request, "resultater/indikator_list.html", context)


@public
def indikator_detail(request, pk: int):
    indikator = _indikator_or_404(request, pk)
    verdier = selectors.indikatorverdier(indikator=indikator)
    context = {
        "programme": indikator.handlingsprogram,
        "indikator": indikator,
        "verdier": verdier,
        "chart": charts.indikator_chart(indikator=indikator, verdier=verdier),
        "can_record": permissions.can_record_value(request.user, indikator),
        "can_define": permissions.can_define_indikator(request.user),
        "history": selectors.indikator_history(indikator=indikator)
        if permissions.can_read_history(request.user)
        else None,
    }
    return render(request, "resultater/indikator_detail.html", context)


def _definition(form) -> dict:
    """The definition as the service's arguments, named one by one: a field added to the form reaches the service
    only when it is added here."""
    data = form.cleaned_data
    return {
        "navn": data["navn"],
        "beskrivelse": data["beskrivelse"],
        "maaleenhet": data["maaleenhet"],
        "retning": data["retning"],
        "basis_verdi": data["basis_verdi"],
        "basis_aar": data["basis_aar"],
        "basis_kilde": data["basis_kilde"],
        "maal_verdi": data["maal_verdi"],
        "maal_aar": data["maal_aar"],
    }


@koordinator_only
def indikator_create(request, program: str):
    programme = or_404(programme_selectors.programme_get(slug=program, include_drafts=True))
    initial = {"maaler": request.GET.get("maaler", ""), "basis_aar": programme.start_year}
    form = IndikatorForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        maaler = form.cleaned_data["maaler"]
        try:
            indikator = services.indikator_save(
                user=request.user, tiltak=maaler.get("tiltak"), omraade=maaler.get("omraade"), **_definition(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator «%(name)s» was created.") % {"name": indikator.navn})
            return redirect(indikator.get_absolute_url())
    return render(
        request,
        "resultater/indikator_form.html",
        {"programme": programme, "form": form, "indikator": None},
        status=400 if request.method == "POST" else 200,
    )


@koordinator_only
def indikator_edit(request, pk: int):
    indikator = or_404(selectors.indikator_get(pk=pk, include_drafts=user_may_see_drafts(request.user)))
    initial = {
        name: getattr(indikator, name)
        for name in (
            "navn",
            "beskrivelse",
            "maaleenhet",
            "retning",
            "basis_verdi",
            "basis_aar",
            "basis_kilde",
            "maal_verdi",
            "maal_aar",
        )
    }
    form = IndikatorForm(request.POST or None, indikator=indikator, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.indikator_save(user=request.user, indikator=indikator, **_definition(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator «%(name)s» was saved.") % {"name": indikator.navn})
            return redirect(indikator.get_absolute_url())
    return render(
        request,
        "resultater/indikator_form.html",
        {"programme": indikator.handlingsprogram, "form": form, "indikator": indikator},
        status=400 if request.method == "POST" else 200,
    )


@authenticated
def indikatorverdi_save(request, pk: int):
    """Record a year's value, or correct it (the form is prefilled with what is recorded for ``?aar=``)."""
    indikator = _indikator_or_404(request, pk)
    if not permissions.can_record_value(request.user, indikator):
        raise PermissionDenied
    first, last = services.value_year_range(indikator)
    years = list(range(first, last + 1))
    recorded = {verdi.aar: verdi for verdi in selectors.indikatorverdier(indikator=indikator)}
    initial = {"aar": last}
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    if request.GET.get("aar", "").isdecimal() and int(request.GET["aar"]) in years:
        initial["aar"] = int(request.GET["aar"])
    if existing := recorded.get(initial["aar"]):
        initial |= {"verdi": existing.verdi, "kilde": existing.kilde, "kommentar": existing.kommentar}
    form = IndikatorverdiForm(request.POST or None, years=years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verdi, created = services.indikatorverdi_save(
                indikator=indikator,
                user=request.user,
                aar=data["aar"],
                verdi=data["verdi"],
                kilde=data["kilde"],
                kommentar=data["kommentar"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = (
                _("The value for %(year)s was recorded.") if created else _("The value for %(year)s was corrected.")
            )
            messages.success(request, message % {"year": verdi.aar})
            return redirect(indikator.get_absolute_url())
    return render(
        request,
        "resultater/indikatorverdi_form.html",
        {"programme": indikator.handlingsprogram, "indikator": indikator, "form": form, "recorded": recorded},
        status=400 if request.method == "POST" else 200,
    )


@authenticated
def indikatorverdi_export(request, program: str, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    programme = or_404(
        programme_selectors.programme_get(slug=program, include_drafts=user_may_see_drafts(request.user))
    )
    return exports.indikatorverdi_export(fmt=fmt, verdier=selectors.indikatorverdier_for_export(programme=programme))
