"""Funding: what the projects bring to Trøndelag in NOK, per funding programme, per year and per priority area;
and the exchange rates (per year, entered by coordinators) that the NOK sums use."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from felles.forms import add_service_errors
from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import koordinator_only, public

from .. import charts, permissions, selectors, services
from ..forms import FundingYearForm, ValutakursForm


@public
def finansiering(request):
    programme = programme_selectors.programme_current()
    if programme is None:
        return render(request, "resultater/finansiering.html", {"programme": None})
    form = FundingYearForm(request.GET or None, years=selectors.prosjekt_years())
    year = form.year
    summary = selectors.funding_summary(programme=programme, year=year)
    suffix = f" ({year})" if year else ""
    context = {
        "programme": programme,
        "form": form,
        "year": year,
        "summary": summary,
        "programme_chart": charts.funding_chart(
            chart_id="chart-finansieringsprogram",
            title=_("Granted to Trøndelag partners in NOK, per funding programme") + suffix,
            rows=summary.by_programme,
        ),
        "year_chart": charts.funding_chart(
            chart_id="chart-aar",
            title=_("Granted to Trøndelag partners in NOK, per start year"),
            rows=summary.by_year,
        ),
        "area_chart": charts.funding_chart(
            chart_id="chart-omraade",
            title=_("Granted to Trøndelag partners in NOK, per priority area") + suffix,
            rows=summary.by_area,
        ),
        "can_edit_rates": permissions.can_edit_valutakurs(request.user),
    }
    return render(request, "resultater/finansiering.html", context)


@koordinator_only
def valutakurs_list(request):
    form = ValutakursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rate, created = services.valutakurs_save(
                user=request.user, aar=data["aar"], valuta=data["valuta"], kurs=data["kurs"], kilde=data["kilde"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The rate for %(currency)s in %(year)s was saved.")
            messages.success(request, message % {"currency": rate.valuta, "year": rate.aar})
            return redirect("resultater:valutakurser")
    return render(
        request,
        "resultater/valutakurs_list.html",
        {"form": form, "valutakurser": list(selectors.valutakurser())},
        status=400 if request.method == "POST" else 200,
    )
