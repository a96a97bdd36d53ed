"""Labels and dates for the report's plain data, which stores values (status keys, ISO dates), not labels."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template

from felles.charts import NONE_KEY
from felles.formatting import format_number
from nettverk.models import Medlemskap, Nettverk
from tiltak import charts
from tiltak.models import Indikator, Prosjekt

register = template.Library()


@register.filter
def iso_date(value: str | None) -> str:
    """An ISO date from the report's data as dd.mm.åååå."""
    if not value:
        return ""
    return datetime.date.fromisoformat(value).strftime("%d.%m.%Y")


def _labels(categories) -> dict[str, str]:
    return {category.key: category.label for category in categories}


@register.filter
def status_label(value: str | None) -> str:
    return _labels(charts.status_categories()).get(value or NONE_KEY, value or "")


@register.filter
def vurdering_label(value: str | None) -> str:
    return _labels(charts.vurdering_categories()).get(value or NONE_KEY, value or "")


@register.filter
def rolle_label(value: str) -> str:
    return dict(Medlemskap.Rolle.choices).get(value, value)


@register.filter
def nivaa_label(value: str) -> str:
    return dict(Medlemskap.Nivaa.choices).get(value, value)


@register.filter
def nettverk_type_label(value: str) -> str:
    return dict(Nettverk.Type.choices).get(value, value)


@register.filter
def maaleenhet_label(value: str) -> str:
    return dict(Indikator.Maaleenhet.choices).get(value, value)


@register.filter
def retning_label(value: str) -> str:
    return dict(Indikator.Retning.choices).get(value, value)


@register.filter
def prosjekt_rolle_label(value: str) -> str:
    return dict(Prosjekt.Rolle.choices).get(value, value)


@register.filter
def indikator_value(value: str | None, maaleenhet: str) -> str:
    """A stored decimal string as «926 000», with « %» for a percentage; «–» for no value."""
    if value is None or value == "":
        return "–"
    formatted = format_number(value)
    return f"{formatted}\u00a0%" if maaleenhet == Indikator.Maaleenhet.PROSENT else formatted


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
