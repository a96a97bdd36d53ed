"""Indikator values and NOK sums in Norwegian notation."""

from decimal import Decimal

from django import template

from felles.formatting import format_number
from resultater.charts import format_value

register = template.Library()


@register.filter
def indikatorverdi(value, maaleenhet: str) -> str:
    """A value in its unit: «926 000 EUR», «21 %», «35»."""
    return format_value(value, maaleenhet)


@register.filter
def nok(value) -> str:
    """A NOK sum rounded to whole kroner: «9 912 360 NOK»; «–» when there is none (no exchange rate)."""
    if value is None:
        return "–"
    return f"{format_number(Decimal(value).quantize(Decimal(1)))}\u00a0NOK"
