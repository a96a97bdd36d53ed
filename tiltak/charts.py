"""A tiltak's status and assessment as chart categories, and the counts per area as breakdowns of them, for the
dashboard and the annual report (``selectors.status_charts``). The geometry is ``felles.charts``."""

from django.utils.translation import gettext as _

from felles.charts import NONE_KEY, NONE_STYLE, AreaCounts, Breakdown, Category

from .models import Statusmelding

# Colour follows the tags elsewhere in the portal; the pattern is a second cue for those who cannot tell the
# colours apart (WCAG 1.4.1), and each segment also carries its number.
STATUS_STYLE = {
    Statusmelding.Status.IKKE_STARTET: ("neutral", "horizontal"),
    Statusmelding.Status.PAAGAAR: ("info", "diagonal"),
    Statusmelding.Status.FULLFOERT: ("success", None),
    Statusmelding.Status.UTSATT: ("warning", "diagonal-reverse"),
    Statusmelding.Status.AVBRUTT: ("danger", "cross"),
}
VURDERING_STYLE = {
    Statusmelding.Vurdering.I_RUTE: ("success", None),
    Statusmelding.Vurdering.RISIKO: ("warning", "diagonal"),
    Statusmelding.Vurdering.AVVIK: ("danger", "cross"),
}


def status_categories() -> tuple[Category, ...]:
    categories = [Category(value, str(label), *STATUS_STYLE[value]) for value, label in Statusmelding.Status.choices]
    return (*categories, Category(NONE_KEY, _("No status report yet"), *NONE_STYLE))


def vurdering_categories() -> tuple[Category, ...]:
    categories = [
        Category(value, str(label), *VURDERING_STYLE[value]) for value, label in Statusmelding.Vurdering.choices
    ]
    return (*categories, Category(NONE_KEY, _("No status report yet"), *NONE_STYLE))


def breakdowns(
    *,
    areas: list[tuple[int, str]],
    counts: dict[int, dict[str, dict[str | None, int]]],
    categories: tuple[tuple[Category, ...], tuple[Category, ...]] | None = None,
) -> tuple[Breakdown, Breakdown]:
    """The status and the assessment breakdowns from ``tiltak.selectors.status_counts``; ``areas`` is the
    programme's (nummer, navn), so an area without tiltak still gets its (empty) row. ``categories`` (status,
    assessment) replaces today's, as an approved annual report does with the ones frozen with it."""
    if categories is None:
        categories = (status_categories(), vurdering_categories())
    result = []
    for kind, kind_categories in zip(("status", "vurdering"), categories, strict=True):
        rows = []
        for nummer, navn in areas:
            by_value = counts.get(nummer, {}).get(kind, {})
            rows.append(
                AreaCounts(
                    nummer=nummer,
                    navn=navn,
                    counts=tuple(by_value.get(None if c.key == NONE_KEY else c.key, 0) for c in kind_categories),
                )
            )
        result.append(Breakdown(kind=kind, categories=kind_categories, areas=tuple(rows)))
    return result[0], result[1]
