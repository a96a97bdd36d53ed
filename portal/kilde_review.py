"""The coordinators' review list of inferred facts ("Utledet – til kontroll"): where each fact is shown and how
to name it. Portal draws on every app, so it is the one place that knows how each kind of row is named and
linked; the reading and the writing themselves are generic (handlingsprogram's selectors and services)."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from felles.language import nb
from handlingsprogram.models import Innsatsomraade, Maal, PrioritertOmraade
from handlingsprogram.selectors import InferredFact
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar, Tiltak

TILTAK_PATH = "innsatsomraade__omraade__handlingsprogram"

# The relations each kind of row is loaded with: what its name and its page's address are made of.
RELATED = {
    Ansvar: (f"tiltak__{TILTAK_PATH}", "aktoer", "enhet__aktoer"),
    Tiltak: (TILTAK_PATH,),
    PrioritertOmraade: ("handlingsprogram",),
    Innsatsomraade: ("omraade__handlingsprogram",),
    Medlemskap: ("nettverk", "aktoer", "enhet"),
    Maal: ("styringsdokument",),
}


@dataclass
class ReviewRow:
    fact: InferredFact
    place: str  # where the fact belongs, e.g. «Tiltak 2.1.2 · Ansvar (Trøndelag fylkeskommune)»; safe HTML, the
    # programme's names in it marked as Norwegian
    url: str  # the page that shows it

    @property
    def kilde(self):
        return self.fact.kilde


def _label(message: str, *, code: str = "", **names) -> SafeString:
    """The message (the portal's own words, from the catalogue) with the programme's names in it marked (a
    measure's code is neither language)."""
    return mark_safe(message % ({"code": escape(code)} | {key: nb(value) for key, value in names.items()}))  # noqa: S308 - the names are escaped by nb()


def _place(fact) -> tuple[str, str]:
    if isinstance(fact, Ansvar):
        tiltak = fact.tiltak
        label = _label(_("Measure %(code)s · Responsibility (%(actor)s)"), code=tiltak.kode, actor=fact.aktoer.navn)
        return label, tiltak.get_absolute_url()
    if isinstance(fact, Tiltak):
        return _("Measure %(code)s") % {"code": fact.kode}, fact.get_absolute_url()
    if isinstance(fact, PrioritertOmraade):
        return _label(_("Priority area %(name)s"), name=str(fact)), fact.get_absolute_url()
    if isinstance(fact, Innsatsomraade):
        return _label(_("Focus area %(name)s"), name=str(fact)), fact.omraade.get_absolute_url()
    if isinstance(fact, Medlemskap):
        label = _label(
            _("Network %(network)s · Membership (%(actor)s)"), network=fact.nettverk.navn, actor=fact.aktoer.navn
        )
        return label, fact.nettverk.get_absolute_url()
    if isinstance(fact, Nettverk):
        return _label(_("Network %(name)s"), name=fact.navn), fact.get_absolute_url()
    if isinstance(fact, Maal):
        return nb(str(fact)), reverse("handlingsprogram:styringsdokumenter_current")
    try:
        url = fact.get_absolute_url() if hasattr(fact, "get_absolute_url") else ""
    except NoReverseMatch:
        url = ""
    return format_html("{} {}", str(fact._meta.verbose_name).capitalize(), nb(str(fact))), url


def review_row(fact: InferredFact) -> ReviewRow:
    place, url = _place(fact.fact)
    return ReviewRow(fact=fact, place=place, url=url)


def review_groups(facts: list[InferredFact]) -> list[tuple[str, list[ReviewRow]]]:
    """The facts grouped by kind (ansvar · enhet, område · bærekraftsmål …), kinds and rows in name order."""
    groups: dict[str, list[ReviewRow]] = {}
    for fact in facts:
        groups.setdefault(fact.kind, []).append(review_row(fact))
    return [(kind, sorted(rows, key=lambda r: (r.place, r.fact.value))) for kind, rows in sorted(groups.items())]
