from django import template

from handlingsprogram.formatting import format_number

register = template.Library()


@register.filter
def amount(value) -> str:
    """Format a number the Norwegian way: 926000 → «926 000»."""
    return format_number(value)
