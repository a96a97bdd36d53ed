"""Internal overviews for every logged-in user: the filtered tiltak list and its export (the status dashboard,
which draws on nettverk too, is in portal/views.py).

The programme is always the current one; the year comes from ``?aar=`` (the reporting year by default). Bad
input never fails the page: the form reports it and the page shows a sensible default."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from felles.exports import FORMATS
from felles.pagination import PAGE_PARAMETER, page_get
from felles.views import or_404
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated

from .. import exports, selectors
from ..forms_oversikt import TiltakFilterForm


@authenticated
def tiltak_list(request):
    programme = programme_selectors.programme_current()
    if programme is None:
        return render(request, "tiltak/tiltak_list.html", {"programme": None})
    form = TiltakFilterForm(request.GET, programme=programme)
    year = form.year
    tiltak = selectors.tiltak_filtered(programme=programme, year=year, filters=form.to_filter())
    rows = tiltak.only(*selectors.LIST_ROW_FIELDS).prefetch_related(selectors.ansvar_list_prefetch())
    page = page_get(request, rows, keys_first=True)
    # The downloads cover every row that matches, not just this page.
    export_query = request.GET.copy()
    export_query.pop(PAGE_PARAMETER, None)
    context = {
        "programme": programme,
        "form": form,
        "year": year,
        "page": page,
        "tiltak_list": page.object_list,
        "query_string": export_query.urlencode(),
    }
    return render(request, "tiltak/tiltak_list.html", context)


@authenticated
def tiltak_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    programme = or_404(programme_selectors.programme_current())
    form = TiltakFilterForm(request.GET, programme=programme)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[name].label}: {' '.join(messages)}" if name in form.fields else " ".join(messages)
            for name, messages in form.errors.items()
        )
        return HttpResponse(
            _("The filter is not valid, so nothing was exported. %(errors)s") % {"errors": errors},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    year = form.year
    tiltak = selectors.tiltak_filtered(programme=programme, year=year, filters=form.to_filter()).prefetch_related(
        selectors.ansvar_prefetch()
    )
    return exports.tiltak_export(fmt=fmt, tiltak_list=tiltak, year=year)
