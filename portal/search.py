"""The header's search: one query string over the programme's measures, status reports, networks, participations,
projects, indicators and governing documents, grouped by type.

It reads from every app, so it lives here, in the highest layer; each app offers its own ``*_search(query=, user=)``
selector, which decides what the user may see (``felles.search`` does the matching on PostgreSQL or SQLite). A
group costs a fixed number of queries (a count and one page of hits with their relations), however many hits it
has."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from felles.pagination import page_get
from felles.search import SearchText, marked
from handlingsprogram import selectors as programme_selectors
from nettverk import selectors as nettverk_selectors
from resultater import selectors as resultater_selectors
from tiltak import selectors as tiltak_selectors

# Hits shown per group on the results page; "show all" opens the group alone, paginated.
PER_GROUP = 5
PER_PAGE = 20


@dataclass(frozen=True)
class Hit:
    title: SafeString
    url: str
    snippet: SafeString
    meta: str = ""  # escaped; the programme's names in it are marked lang="nb"
    demo: bool = False
    # The title and snippet are the programme's or staff's own text, Norwegian in any language (lang="nb"); a
    # title the portal words itself (a status report's) is in the page's language.
    title_lang: str = "nb"


@dataclass(frozen=True)
class SearchType:
    key: str  # the ?type= value and the id of the group's heading
    label: object  # lazy: the group's heading
    search: Callable[..., QuerySet]  # selector(*, query, user)
    hit: Callable[[object, SearchText], Hit]


def _title_and_snippet(row, query: SearchText) -> tuple[SafeString, SafeString]:
    return marked(row.search_title, query), marked(row.search_body, query, snippet=True)


def _tiltak_hit(tiltak, query):
    title, snippet = _title_and_snippet(tiltak, query)
    programme = tiltak.innsatsomraade.omraade.handlingsprogram
    meta = format_html('{} · <span lang="nb">{}</span>', _("Measure %(code)s") % {"code": tiltak.kode}, programme.navn)
    return Hit(title=title, url=tiltak.get_absolute_url(), snippet=snippet, meta=meta)


def _statusmelding_hit(melding, query):
    tiltak = melding.tiltak
    _title, snippet = _title_and_snippet(melding, query)
    title = _("Status report of %(date)s on measure %(code)s") % {
        "date": date_format(melding.date, "SHORT_DATE_FORMAT"),
        "code": tiltak.kode,
    }
    state = ""
    if melding.is_withdrawn:
        state = " · " + _("withdrawn")
    elif melding.is_superseded:
        state = " · " + _("corrected")
    return Hit(
        title=escape(title),
        url=f"{tiltak.get_absolute_url()}#statusmelding-{melding.pk}",
        snippet=snippet,
        meta=melding.get_status_display() + state,
        demo=melding.demo,
        title_lang="",
    )


def _nettverk_hit(nettverk, query):
    title, snippet = _title_and_snippet(nettverk, query)
    return Hit(title=title, url=nettverk.get_absolute_url(), snippet=snippet, meta=nettverk.get_type_display())


def _deltagelse_hit(deltagelse, query):
    title, snippet = _title_and_snippet(deltagelse, query)
    meta = format_html(
        '<span lang="nb">{}</span> · {}', deltagelse.nettverk.navn, date_format(deltagelse.start, "SHORT_DATE_FORMAT")
    )
    return Hit(title=title, url=deltagelse.get_absolute_url(), snippet=snippet, meta=meta, demo=deltagelse.demo)


def _prosjekt_hit(prosjekt, query):
    title, snippet = _title_and_snippet(prosjekt, query)
    meta = format_html(
        '<span lang="nb">{}</span> · {}', prosjekt.finansieringsprogram.navn, prosjekt.get_status_display()
    )
    return Hit(title=title, url=prosjekt.get_absolute_url(), snippet=snippet, meta=meta, demo=prosjekt.demo)


def _indikator_hit(indikator, query):
    title, snippet = _title_and_snippet(indikator, query)
    return Hit(title=title, url=indikator.get_absolute_url(), snippet=snippet, meta=_indikator_owner(indikator))


def _indikator_owner(indikator) -> str:
    """«Measure 2.3.3», or «Priority area» and the area's name marked as Norwegian."""
    if indikator.tiltak_id:
        return str(indikator.eier_label)
    return format_html('{} <span lang="nb">{}</span>', _("Priority area"), indikator.omraade)


def _styringsdokumenter_url(slug: str, programme_slug: str) -> str:
    page = reverse("handlingsprogram:styringsdokumenter", kwargs={"program": programme_slug})
    return f"{page}#styringsdokument-{slug}"


def _styringsdokument_hit(dokument, query):
    title, snippet = _title_and_snippet(dokument, query)
    url = _styringsdokumenter_url(dokument.slug, dokument.programme_slug)
    return Hit(title=title, url=url, snippet=snippet, meta=dokument.get_type_display())


def _maal_hit(maal, query):
    title, snippet = _title_and_snippet(maal, query)
    url = _styringsdokumenter_url(maal.styringsdokument.slug, maal.programme_slug)
    return Hit(title=title, url=url, snippet=snippet, meta=maal.get_type_display())


TYPES = (
    SearchType("tiltak", gettext_lazy("Measures"), tiltak_selectors.tiltak_search, _tiltak_hit),
    SearchType(
        "statusmeldinger", gettext_lazy("Status reports"), tiltak_selectors.statusmelding_search, _statusmelding_hit
    ),
    SearchType("nettverk", gettext_lazy("Networks"), nettverk_selectors.nettverk_search, _nettverk_hit),
    SearchType("deltagelser", gettext_lazy("Participations"), nettverk_selectors.deltagelse_search, _deltagelse_hit),
    SearchType("prosjekter", gettext_lazy("Projects"), resultater_selectors.prosjekt_search, _prosjekt_hit),
    SearchType("indikatorer", gettext_lazy("Indicators"), resultater_selectors.indikator_search, _indikator_hit),
    SearchType(
        "styringsdokumenter",
        gettext_lazy("Governing documents"),
        programme_selectors.styringsdokument_search,
        _styringsdokument_hit,
    ),
    SearchType("maal", gettext_lazy("Goals"), programme_selectors.maal_search, _maal_hit),
)
TYPE_KEYS = [search_type.key for search_type in TYPES]


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    count: int
    hits: list[Hit]
    page: Page | None = None  # when the group is shown alone, paginated


def search_groups(*, query: SearchText, user) -> list[Group]:
    """Every type's count and first hits (two queries per type)."""
    groups = []
    for search_type in TYPES:
        rows = search_type.search(query=query, user=user)
        count = rows.count()
        hits = [search_type.hit(row, query) for row in rows[:PER_GROUP]] if count else []
        groups.append(Group(key=search_type.key, label=str(search_type.label), count=count, hits=hits))
    return groups


def search_group_page(request, *, key: str, query: SearchText, user) -> Group:
    """One type's hits, a page of ``PER_PAGE`` at a time (``?side=``; a count and the page: two queries)."""
    search_type = TYPES[TYPE_KEYS.index(key)]
    page = page_get(request, search_type.search(query=query, user=user), per_page=PER_PAGE)
    hits = [search_type.hit(row, query) for row in page.object_list]
    return Group(key=key, label=str(search_type.label), count=page.paginator.count, hits=hits, page=page)
