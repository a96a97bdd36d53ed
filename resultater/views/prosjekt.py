"""International projects: the filtered list and its export, one project's page, and the form to register or
change one (coordinators, and staff responsible for a tiltak the project serves)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.exports import FORMATS
from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, public

from .. import exports, permissions, selectors, services
from ..forms import ProsjektFilterForm, ProsjektForm


@public
def prosjekt_list(request):
    programme = or_404(programme_selectors.programme_current())
    form = ProsjektFilterForm(request.GET or None, programme=programme, years=selectors.prosjekt_years())
    prosjekter = list(selectors.prosjekter_filtered(filters=form.to_filter()))
    context = {
        "programme": programme,
        "form": form,
        "prosjekter": prosjekter,
        "query_string": request.GET.urlencode(),
        "can_create": permissions.can_create_prosjekt(request.user),
        "can_import": permissions.can_import_prosjekter(request.user),
        "can_export": permissions.can_read_internal(request.user),
    }
    return render(request, "resultater/prosjekt_list.html", context)


@authenticated
def prosjekt_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    programme = or_404(programme_selectors.programme_current())
    form = ProsjektFilterForm(request.GET or None, programme=programme, years=selectors.prosjekt_years())
    return exports.prosjekt_export(fmt=fmt, prosjekter=selectors.prosjekter_filtered(filters=form.to_filter()))


@public
def prosjekt_detail(request, pk: int):
    prosjekt = or_404(selectors.prosjekt_get(pk=pk))
    context = {
        "prosjekt": prosjekt,
        "can_edit": permissions.can_edit_prosjekt(request.user, prosjekt),
        "history": selectors.prosjekt_history(prosjekt=prosjekt)
        if permissions.can_read_history(request.user)
        else None,
    }
    return render(request, "resultater/prosjekt_detail.html", context)


def _prosjekt_form(request, *, prosjekt=None):
    programme = or_404(programme_selectors.programme_current())
    initial = ProsjektForm.initial_from(prosjekt) if prosjekt else {}
    form = ProsjektForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.prosjekt_save(user=request.user, data=form.prosjekt_data(), prosjekt=prosjekt)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if prosjekt is None:
                message = _("The project «%(name)s» was registered.")
            else:
                message = _("The project «%(name)s» was saved.")
            messages.success(request, message % {"name": saved})
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "resultater/prosjekt_form.html",
        {"programme": programme, "form": form, "prosjekt": prosjekt},
        status=400 if request.method == "POST" else 200,
    )


@authenticated
def prosjekt_create(request):
    if not permissions.can_create_prosjekt(request.user):
        raise PermissionDenied
    return _prosjekt_form(request)


@authenticated
def prosjekt_edit(request, pk: int):
    prosjekt = or_404(selectors.prosjekt_get(pk=pk))
    if not permissions.can_edit_prosjekt(request.user, prosjekt):
        raise PermissionDenied
    return _prosjekt_form(request, prosjekt=prosjekt)
