"""Pages that draw on several apps: the status dashboard (tiltak's progress and nettverk's overdue report-backs).

The programme is always the current one; the year comes from ``?aar=`` (the reporting year by default). Bad
input never fails the page: the form reports it and the page shows a sensible default."""

from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from handlingsprogram import selectors as programme_selectors
from handlingsprogram.permissions import authenticated, public
from nettverk import selectors as nettverk_selectors
from tiltak import selectors as tiltak_selectors
from tiltak.forms_oversikt import YearForm

LATEST_COUNT = 10


@authenticated
def dashboard(request):
    programme = programme_selectors.programme_current()
    if programme is None:
        return render(request, "portal/dashboard.html", {"programme": None})
    form = YearForm(request.GET, programme=programme)
    year = form.year
    areas = list(programme.omraader.order_by("nummer").values_list("nummer", "navn"))
    overview = tiltak_selectors.status_overview(programme=programme, year=year)
    context = {
        "programme": programme,
        "form": form,
        "year": year,
        **tiltak_selectors.status_charts(areas=areas, counts=overview.counts, year=year, id_prefix="chart"),
        "unreported": overview.unreported,
        "latest": list(tiltak_selectors.latest_statusmeldinger(programme=programme, limit=LATEST_COUNT)),
        # Participation in international arenas shares the dashboard: meetings still without a report-back.
        "overdue_deltagelser": nettverk_selectors.deltagelser_overdue(today=timezone.localdate()),
        "overdue_days": nettverk_selectors.OVERDUE_DAYS,
    }
    return render(request, "portal/dashboard.html", context)


@public
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links to (the API's JSON, a PDF, an old
    bookmark): send them to the SVG icon base.html links, rather than log a 404 for every visit. Not permanent,
    since the static file's name changes with its content."""
    return redirect(static("favicon.svg"))
