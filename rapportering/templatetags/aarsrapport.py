"""Labels and dates for the report's plain data, which stores values (status keys, ISO dates), not labels."""

import datetime

from django import template

from nettverk.models import Medlemskap, Nettverk
from tiltak import charts

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
    return _labels(charts.status_categories()).get(value or charts.NONE_KEY, value or "")


@register.filter
def vurdering_label(value: str | None) -> str:
    return _labels(charts.vurdering_categories()).get(value or charts.NONE_KEY, value or "")


@register.filter
def rolle_label(value: str) -> str:
    return dict(Medlemskap.Rolle.choices).get(value, value)


@register.filter
def nivaa_label(value: str) -> str:
    return dict(Medlemskap.Nivaa.choices).get(value, value)


@register.filter
def nettverk_type_label(value: str) -> str:
    return dict(Nettverk.Type.choices).get(value, value)
