"""What the accessibility statement, the privacy statement and the contact page say that changes over time: the
statements' dates and the known accessibility deviations. One place, so a review changes one file (and the pages
and their tests follow).

When the portal is reviewed again: update ACCESSIBILITY_LAST_REVIEWED, remove what has been fixed from
KNOWN_DEVIATIONS and add what was found, with the date it was found."""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The accessibility statement (Digdir's model): when it was first made and when the portal was last reviewed.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 2)
ACCESSIBILITY_LAST_REVIEWED = datetime.date(2026, 12, 2)
# The privacy statement: when it was last changed.
PRIVACY_STATEMENT_DATE = datetime.date(2026, 12, 2)

UUSTATUS_URL = "https://uustatus.no/"
UUTILSYNET_URL = "https://www.uutilsynet.no/"
UUTILSYNET_NAME = "Tilsynet for universell utforming av ikt"  # a Norwegian name in either language
DATATILSYNET_URL = "https://www.datatilsynet.no/"
WCAG_URL = "https://www.w3.org/TR/WCAG21/"


@dataclass(frozen=True)
class Deviation:
    """A known failure to meet a WCAG 2.1 success criterion, where it is, and when it was found."""

    criterion: str  # number and name of the success criterion, e.g. "1.4.10"
    criterion_name: Promise
    description: Promise
    found: datetime.date


# Known from issue 17 (the portal tried as a new user would). Reflow at 320 px and the Ctrl-click multi-selects it
# also found were fixed before this statement was made; tests/e2e/test_reflow.py keeps the first from coming back.
# The administration pages are in bokmål since (tests/portal/test_admin_language.py), all but their scripts' texts.
KNOWN_DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        criterion="3.1.2",
        criterion_name=_("Language of Parts"),
        description=_(
            "In the administration pages (coordinators only), the two-list picker for permissions still shows a few "
            "English words, in pages marked as Norwegian. With the English interface, some Norwegian texts from the "
            "programme (participation texts, network names, area names in charts and tables) are not yet marked as "
            "Norwegian, so a screen reader may read them with English pronunciation."
        ),
        found=datetime.date(2026, 12, 2),
    ),
)
