"""Norwegian number formatting in templates: ``{% load formatting %}``, then ``{{ value|amount }}``."""

from django import template

from felles.formatting import format_number

register = template.Library()


@register.filter
def amount(value) -> str:
    """Format a number the Norwegian way: 926000 → «926 000»."""
    return format_number(value)
