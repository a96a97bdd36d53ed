"""Numbers in the page's language, and text shortened for a table row, in templates: ``{% load formatting %}``, then
``{{ value|amount }}`` or ``{{ tiltak.tekst|shorten:220 }}``."""

import unicodedata

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.text import Truncator

from felles.formatting import format_number

register = template.Library()


@register.filter
def amount(value) -> str:
    """926000 → «926 000» in bokmål, «926,000» in English."""
    return format_number(value)


@register.filter(is_safe=True)
@stringfilter
def shorten(value: str, length: int) -> str:
    """Django's ``truncatechars``, same result, for the rows of a long list: text no longer than ``length`` code
    points (most tiltak texts) comes back whole without Truncator's pass over every character, which cost more
    than the rest of a tiltak list row's cells together (bench/pages.py); longer text is cut by Truncator itself.
    (Normalised to NFC first, as Truncator does; a combining mark counts for nothing there, so text that fits in
    code points fits.)"""
    text = unicodedata.normalize("NFC", value)
    if len(text) <= length:
        return text
    return Truncator(text).chars(length)
