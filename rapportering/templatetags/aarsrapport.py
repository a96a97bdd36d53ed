"""Labels and dates for the report's plain data, which stores values (status keys, ISO dates) and, beside them, the
labels it was built with (``label``: the context's ``labels``, see ``rendering.context``)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template

from felles.charts import NONE_KEY
from felles.formatting import format_number

register = template.Library()

# Indikator.Maaleenhet.PROSENT: a code stored in the frozen content, so fixed like the data itself.
PERCENT = "prosent"


@register.filter
def iso_date(value: str | None) -> str:
    """An ISO date from the report's data as dd.mm.åååå."""
    if not value:
        return ""
    return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")


@register.filter
def label(value: str | None, labels: dict[str, str]) -> str:
    """A coded value's label from the report's ``labels`` (one kind: ``labels.status``, ``labels.nivaa``, …),
    which the context takes from the frozen content. No value is "ingen" (no statusmelding yet); a code with no
    label shows as itself."""
    return labels.get(value or NONE_KEY, value or "")


@register.filter
def indikator_value(value: str | None, maaleenhet: str) -> str:
    """A stored decimal string as «926 000», with « %» for a percentage; «–» for no value."""
    if value is None or value == "":
        return "–"
    formatted = format_number(value)
    return f"{formatted}\u00a0%" if maaleenhet == PERCENT else formatted


@register.filter
def whole_amount(value: str | None) -> str:
    """A stored sum of money as whole units, «5 512 345»; «–» for none (no exchange rate)."""
    if value is None or value == "":
        return "–"
    return format_number(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.filter
def rates_list(missing_rates: list[dict]) -> str:
    """[{"aar": 2021, "valuta": "EUR"}, …] as «EUR 2021, SEK 2021»."""
    return ", ".join(f"{rate['valuta']} {rate['aar']}" for rate in missing_rates)
