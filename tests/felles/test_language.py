"""The programme's own names marked as Norwegian (felles.language, felles.widgets.NorwegianChoicesSelect), and
numbers in the page's language (felles.formatting)."""

from decimal import Decimal

from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from felles.formatting import format_number, parse_decimal
from felles.language import nb
from felles.widgets import NorwegianChoicesSelect


def test_nb_marks_and_escapes():
    assert nb("Utdanning & kompetanse") == '<span lang="nb">Utdanning &amp; kompetanse</span>'
    assert nb("") == "" and nb(None) == ""


class AreaForm(forms.Form):
    area = forms.ChoiceField(
        label="Area", required=False, choices=[("", "All"), ("1", "1. Klima")], widget=NorwegianChoicesSelect
    )


def test_a_select_of_the_programmes_names_marks_each_option_but_the_empty_one():
    html = render_to_string("_form_field.html", {"field": AreaForm(data={"area": "1"})["area"]})
    assert '<select name="area" id="id_area" class="ds-input"' in html  # drawn as a select like any other
    assert '<option value="" lang="nb">' not in html and '<option value="">All</option>' in html
    assert '<option value="1" selected lang="nb">1. Klima</option>' in html


def test_numbers_follow_the_language():
    with translation.override("nb"):
        assert format_number(Decimal("926000.5")) == "926\u00a0000,5"
    with translation.override("en"):
        assert format_number(Decimal("926000.5")) == "926,000.5"
        assert format_number(Decimal("-1234")) == "-1,234"
        # What a form shows reads back the same, whatever the language.
        shown = format_number(Decimal("926000.5"), language="nb").replace("\u00a0", " ")
        assert parse_decimal(shown) == Decimal("926000.5")
