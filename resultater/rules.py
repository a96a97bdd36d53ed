"""The rules a result must follow (an indikator's value, a project), as functions that only check: the services,
the forms and the spreadsheet import apply the same rules with the same words. Nothing here writes, and nothing here
imports the services, so the import (``prosjekt_import``) can plan from these rules while the services save its
plans."""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from felles.formatting import format_number
from felles.forms import text_too_long
from handlingsprogram.models import Finansieringsprogram

from .models import Indikator, Prosjekt
from .models.prosjekt import Valuta

# Sane bounds per unit, so a typo (an extra zero, a percentage of 2 100) is caught when it is typed.
MAX_AMOUNT = Decimal("1000000000000")  # 1 000 milliarder in any currency
MAX_COUNT = Decimal("1000000000")
PROJECT_YEAR_RANGE = (1990, 2050)


def value_error(maaleenhet: str, verdi: Decimal) -> str | None:
    """Why ``verdi`` is not a sane value in ``maaleenhet``, or None."""
    if not verdi.is_finite():
        return _("Enter a number.")
    if verdi < 0:
        return _("The value cannot be negative.")
    if maaleenhet == Indikator.Maaleenhet.PROSENT and verdi > 100:
        return _("A percentage must be between 0 and 100.")
    if maaleenhet == Indikator.Maaleenhet.ANTALL:
        if verdi != verdi.to_integral_value():
            return _("A number of something must be a whole number.")
        if verdi > MAX_COUNT:
            return _("The number is too large (at most %(max)s).") % {"max": format_number(MAX_COUNT)}
    if maaleenhet in (Indikator.Maaleenhet.EUR, Indikator.Maaleenhet.NOK) and verdi > MAX_AMOUNT:
        return _("The amount is too large (at most %(max)s).") % {"max": format_number(MAX_AMOUNT)}
    if verdi != verdi.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP):
        return _("Use at most two decimals.")
    return None


@dataclass
class ProsjektData:
    """A project's fields as typed in the form or read from a spreadsheet row, before validation."""

    ekstern_id: str
    navn: str
    finansieringsprogram: Finansieringsprogram | None
    rolle: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    status: str
    totalbudsjett: Decimal | None
    innvilget_trondelag: Decimal | None
    valuta: str
    akronym: str = ""
    utlysning: str = ""
    aktoerer: list = dataclasses.field(default_factory=list)
    tiltak: list = dataclasses.field(default_factory=list)

    SCALAR_FIELDS = (
        "ekstern_id",
        "navn",
        "akronym",
        "finansieringsprogram",
        "utlysning",
        "rolle",
        "start_date",
        "end_date",
        "status",
        "totalbudsjett",
        "innvilget_trondelag",
        "valuta",
    )

    def differs_from(self, prosjekt: Prosjekt, *, aktoer_ids: set[int], tiltak_ids: set[int]) -> bool:
        for name in self.SCALAR_FIELDS:
            if name == "finansieringsprogram":
                if self.finansieringsprogram.pk != prosjekt.finansieringsprogram_id:
                    return True
            elif getattr(self, name) != getattr(prosjekt, name):
                return True
        return {a.pk for a in self.aktoerer} != aktoer_ids or {t.pk for t in self.tiltak} != tiltak_ids


_TEXT_LIMITS = {"ekstern_id": 100, "navn": 300, "akronym": 50, "utlysning": 200}


def prosjekt_errors(data: ProsjektData) -> dict[str, str]:
    """Every problem with ``data`` as {field: message}; empty when it can be saved. The form and the
    spreadsheet import both use it, so a row and a form fail for the same reasons with the same words."""
    errors = {}
    if not data.ekstern_id:
        errors["ekstern_id"] = _("Enter the project number.")
    if not data.navn:
        errors["navn"] = _("Enter the project's name.")
    for name, limit in _TEXT_LIMITS.items():
        if name not in errors and len(getattr(data, name)) > limit:
            errors[name] = text_too_long(limit)
    if data.finansieringsprogram is None:
        errors["finansieringsprogram"] = _("Choose a funding programme from the list.")
    if data.rolle not in Prosjekt.Rolle.values:
        errors["rolle"] = _("Choose Trøndelag's role from the list.")
    if data.status not in Prosjekt.Status.values:
        errors["status"] = _("Choose a status from the list.")
    if data.valuta not in Valuta.values:
        errors["valuta"] = _("Choose a currency from the list (%(list)s).") % {"list": ", ".join(Valuta.values)}
    first, last = PROJECT_YEAR_RANGE
    for name in ("start_date", "end_date"):
        dato = getattr(data, name)
        if dato is None:
            errors[name] = _("Enter a date.")
        elif not first <= dato.year <= last:
            errors[name] = _("The year must be between %(first)s and %(last)s.") % {"first": first, "last": last}
    if "start_date" not in errors and "end_date" not in errors and data.end_date < data.start_date:
        errors["end_date"] = _("The project cannot end before it starts.")
    for name in ("totalbudsjett", "innvilget_trondelag"):
        amount = getattr(data, name)
        if amount is None:
            errors[name] = _("Enter an amount.")
        elif message := value_error(Indikator.Maaleenhet.EUR, amount):
            errors[name] = message
    amounts_valid = "totalbudsjett" not in errors and "innvilget_trondelag" not in errors
    if amounts_valid and data.innvilget_trondelag > data.totalbudsjett:
        errors["innvilget_trondelag"] = _("The amount granted to Trøndelag cannot exceed the total budget.")
    return errors
