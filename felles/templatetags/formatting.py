"""Numbers in the page's language in templates: ``{% load formatting %}``, then ``{{ value|amount }}``."""

from django import template

from felles.formatting import format_number

register = template.Library()


@register.filter
def amount(value) -> str:
    """926000 → «926 000» in bokmål, «926,000» in English."""
    return format_number(value)
