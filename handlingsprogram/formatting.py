"""Norwegian number formatting, shared by templates, messages and exports."""

from decimal import Decimal

NBSP = "\u00a0"


def format_number(value) -> str:
    """926000 → «926 000» (non-breaking space between groups), 1234.5 → «1 234,5»."""
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
