"""Importing projects from a spreadsheet: upload, then a preview that shows row by row what would happen and
every error, then (only if the whole file is valid) the import. Coordinators only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.forms import add_service_errors
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import koordinator_only

from .. import selectors, services
from ..forms import ProsjektImportForm
from ..prosjekt_import import Action, plan_upload


@koordinator_only
def prosjekt_import(request):
    form = ProsjektImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        try:
            saved = services.prosjekt_import_upload(user=request.user, filename=upload.name, content=upload.read())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "resultater/prosjekt_import.html",
        {"form": form, "recent": selectors.prosjekt_imports_recent(user=request.user)},
        status=400 if request.method == "POST" else 200,
    )


@koordinator_only
def prosjekt_import_preview(request, pk: int):
    upload = or_404(selectors.prosjekt_import_get(pk=pk, user=request.user))
    programme = programme_selectors.programme_current()
    status = 200
    if request.method == "POST" and upload.imported_at is None:
        try:
            upload = services.prosjekt_import_apply(user=request.user, upload=upload, programme=programme)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(
                request,
                _("The file was imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": upload.antall_opprettet,
                    "updated": upload.antall_oppdatert,
                    "unchanged": upload.antall_uendret,
                },
            )
            return redirect(upload.get_absolute_url())
    plan = None if upload.imported_at else plan_upload(upload, programme=programme)
    context = {"upload": upload, "plan": plan, "Action": Action}
    if plan is not None:
        context["error_rows"] = plan.error_rows
        context["counts"] = plan.counts
    return render(request, "resultater/prosjekt_import_preview.html", context, status=status)
