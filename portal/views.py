"""Pages that draw on several apps: the status dashboard (tiltak's progress and nettverk's overdue report-backs).

The programme is always the current one; the year comes from ``?aar=`` (the reporting year by default). Bad
input never fails the page: the form reports it and the page shows a sensible default."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from felles.pagination import page_get
from felles.search import is_full_text
from handlingsprogram import selectors as programme_selectors
from handlingsprogram import services as programme_services
from handlingsprogram.permissions import authenticated, koordinator_only, public, user_may_review_kilder
from nettverk import selectors as nettverk_selectors
from tiltak import oppfoelging_selectors
from tiltak import selectors as tiltak_selectors
from tiltak.forms_oversikt import YearForm
from tiltak.progress_selectors import PUBLIC_CHART_WIDTH

from . import kilde_review as review
from . import search
from .forms import KildeFieldForm, KildeLinkForm, SokForm
from .programme_export import programme_export_toml

LATEST_COUNT = 10
UNREPORTED_PAGE = "side_urapportert"  # the "Not reported" list's page; the meetings without a report-back use ?side=


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
        # Drawn narrow, so the chart scales down to a phone's width instead of scrolling (as on the public pages).
        **tiltak_selectors.status_charts(
            areas=areas, counts=overview.counts, year=year, id_prefix="chart", width=PUBLIC_CHART_WIDTH
        ),
        # Paged by its own parameter, so that each of the page's two lists keeps its place when the other moves.
        "unreported_page": page_get(
            request, tiltak_selectors.tiltak_rows_with_ansvar(), keys=overview.unreported_ids, parameter=UNREPORTED_PAGE
        ),
        "latest": list(tiltak_selectors.latest_statusmeldinger(programme=programme, limit=LATEST_COUNT)),
        # Participation in international arenas shares the dashboard: meetings still without a report-back.
        # Paged (?side=) rather than cut off, so the page says how many there are in all.
        "overdue_page": page_get(request, nettverk_selectors.deltagelser_overdue_all(today=timezone.localdate())),
        "overdue_days": nettverk_selectors.OVERDUE_DAYS,
        # The open reporting rounds, each unit's completion in each (a query for the rounds, one per open round).
        "runder": [
            (runde, oppfoelging_selectors.runde_units(runde=runde))
            for runde in oppfoelging_selectors.runder_open(programme=programme)
        ],
        "today": timezone.localdate(),
        # Coordinators see how many inferred facts are still to be checked.
        "inferred_count": programme_selectors.inferred_count() if user_may_review_kilder(request.user) else None,
    }
    return render(request, "portal/dashboard.html", context)


# --- "Utledet – til kontroll": the coordinators' review of inferred facts ------------------------------------------


@koordinator_only
def programme_export_download(request, program: str):
    """The programme (a draft too) in the programme file format, for loading elsewhere (manage.py load_programme)."""
    programme = programme_selectors.programme_get(slug=program, include_drafts=True)
    if programme is None:
        raise Http404
    response = HttpResponse(programme_export_toml(programme=programme), content_type="application/toml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{programme.slug}.toml"'
    return response


@koordinator_only
def kilde_review(request):
    facts = programme_selectors.inferred_facts(related=review.RELATED)
    return render(request, "portal/kilde_review.html", {"groups": review.review_groups(facts), "count": len(facts)})


def _stale(request):
    messages.error(
        request, _("This inferred fact has already been confirmed, corrected or removed. Nothing was changed.")
    )
    return redirect("portal:kilde_review")


@koordinator_only
@require_POST
def kilde_confirm(request, pk: int):
    try:
        programme_services.kilde_confirm(kilde_id=pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed. The fact is now recorded as entered by you."))
    return redirect("portal:kilde_review")


@koordinator_only
def kilde_correct(request, pk: int):
    found = programme_selectors.inferred_facts(related=review.RELATED, kilde_ids=[pk])
    if not found:
        return _stale(request)
    fact = found[0]
    if fact.field is None:
        messages.error(request, _("This fact cannot be corrected here; confirm it or change it in the administration."))
        return redirect("portal:kilde_review")
    data = request.POST if request.method == "POST" else None
    if fact.is_link:
        form = KildeLinkForm(data, field=fact.field, current_id=fact.kilde.related_id)
    else:
        form = KildeFieldForm(data, fact=fact.fact, field=fact.field)
    if data is not None and form.is_valid():
        try:
            if fact.is_link:
                target = form.cleaned_data["target"] if form.cleaned_data["action"] == KildeLinkForm.REPLACE else None
                programme_services.kilde_correct_link(kilde_id=pk, user=request.user, target=target)
            else:
                programme_services.kilde_correct_field(kilde_id=pk, user=request.user, value=form.cleaned_data["value"])
        except programme_services.KildeStale:
            return _stale(request)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Corrected. The fact is now recorded as entered by you."))
            return redirect("portal:kilde_review")
    context = {"row": review.review_row(fact), "form": form}
    return render(request, "portal/kilde_correct.html", context, status=400 if form.errors else 200)


@public
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links to (the API's JSON, a PDF, an old
    bookmark): send them to the SVG icon base.html links, rather than log a 404 for every visit. Not permanent,
    since the static file's name changes with its content."""
    return redirect(static("favicon.svg"))


@public
def sok(request):
    """The search results (``?q=``): every type's count and first hits, or one type's hits page by page
    (``&type=``). Public: each app's search selector shows only what the user may read. A query the search cannot
    take (empty, too long, control characters, only common words) gets the form's message and no search."""
    form = SokForm(request.GET if "q" in request.GET else None, types=search.TYPE_KEYS)
    context = {
        "query": None,
        "groups": [],
        "group": None,
        "full_text": is_full_text(),
        "typed": request.GET.get("q", "")[:200],
        "errors": [],
    }
    if form.is_bound and form.is_valid():
        query = form.cleaned_data["q"]
        context["query"] = query
        if key := form.cleaned_data["type"]:
            context["group"] = search.search_group_page(request, key=key, query=query, user=request.user)
        else:
            context["groups"] = search.search_groups(query=query, user=request.user)
            context["total"] = sum(group.count for group in context["groups"])
    elif form.is_bound:
        context["errors"] = form.errors.get("q") or form.errors.get("type")
    return render(request, "portal/sok.html", context)


@public
@require_POST
def set_language(request):
    """The language switch in the header: Django's ``set_language`` (``language`` and ``next`` posted; the choice
    is kept in a cookie, see portal/language.py). An unknown language changes nothing; an unsafe ``next`` is
    not followed."""
    if request.POST.get("language") not in dict(settings.LANGUAGES):
        # Django's view would keep any language it has a catalogue for; the portal offers only its two.
        request.POST = request.POST.copy()
        request.POST.pop("language", None)
    return i18n.set_language(request)
