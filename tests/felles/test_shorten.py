"""``{{ text|shorten:n }}`` (felles/templatetags/formatting.py) gives what Django's ``truncatechars`` gives."""

import pytest
from django.template.defaultfilters import truncatechars

from felles.templatetags.formatting import shorten


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Kort tekst.",
        "x" * 20,  # exactly the length: kept whole
        "x" * 21,
        "Å styrke internasjonalt samarbeid om utdanning og forskning i Trøndelag",
        "e\u0301" * 5,  # short, and normalised to NFC as truncatechars does
        "e\u0301" * 25,  # combining accents count for nothing, so 25 visible characters over 50 code points
        "<b>Fet</b> & mer tekst enn tjue tegn",
    ],
)
def test_shorten_gives_what_truncatechars_gives(text):
    assert shorten(text, 20) == truncatechars(text, 20)
    assert len(shorten("x" * 21, 20)) == 20
