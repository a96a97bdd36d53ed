"""Number formatting in the page's language, shared by templates, messages and charts; ``per_language`` for the
parts of a long list that every row repeats."""

import functools
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation

NBSP = "\u00a0"


def format_number(value, *, language: str | None = None) -> str:
    """In bokmål 926000 → «926 000» (non-breaking space between groups), 1234.5 → «1 234,5»; in English
    «926,000» and «1,234.5». ``language`` defaults to the active one (a form's field passes bokmål: what it shows
    must read back the same through ``parse_decimal``)."""
    if value is None or value == "":
        return ""
    english = (language or translation.get_language() or "nb").startswith("en")
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    formatted = ("," if english else NBSP).join(groups)
    fraction = fraction.rstrip("0")
    return f"{sign}{formatted}{'.' if english else ','}{fraction}" if fraction else f"{sign}{formatted}"


def parse_decimal(text: str) -> Decimal:
    """What a Norwegian user types for a number: «926 000», «926 000,50», «1.234,5» or «1,234.5» (the last
    separator is the decimal one). Raises ValueError for anything else."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", str(text))
    if "," in cleaned and "." in cleaned:
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def per_language(function):
    """``function`` computed once per active language and arguments, then kept: for a part that every row of a
    long list repeats with one of a few values (a status tag, a cell's label, a date), whose result depends on
    nothing but its hashable arguments and the language (translations are fixed while the process runs)."""
    kept = functools.lru_cache(maxsize=4096)(lambda _language, *args: function(*args))

    @functools.wraps(function)
    def in_active_language(*args):
        return kept(translation.get_language(), *args)

    return in_active_language
