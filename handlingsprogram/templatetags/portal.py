from decimal import Decimal

from django import template

register = template.Library()

NBSP = "\u00a0"


@register.filter
def amount(value) -> str:
    """Format a number the Norwegian way, 926000 → «926 000», with a non-breaking space between groups."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    formatted = NBSP.join(groups)
    fraction = fraction.rstrip("0")
    return f"{sign}{formatted},{fraction}" if fraction else f"{sign}{formatted}"
