"""The shared helpers on their own: form fields, messages, the 404 helper and the chart geometry."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.http import Http404
from django.utils import translation

from felles.charts import AreaCounts, Breakdown, Category, stacked_bar_chart
from felles.forms import DateField, NorwegianDecimalField, text_too_long
from felles.views import or_404


class ExampleForm(forms.Form):
    dato = DateField()
    beloep = NorwegianDecimalField()


@pytest.mark.parametrize("typed", ["2021-03-04", "04.03.2021"])
def test_a_date_is_read_from_the_picker_or_as_typed(typed):
    form = ExampleForm({"dato": typed, "beloep": "926 000,50"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"dato": datetime.date(2021, 3, 4), "beloep": Decimal("926000.50")}


def test_the_date_field_renders_the_browser_date_picker_with_an_iso_value():
    html = str(ExampleForm(initial={"dato": datetime.date(2021, 3, 4)})["dato"])
    assert 'type="date"' in html
    assert 'value="2021-03-04"' in html


def test_the_too_long_message_names_the_limit_in_norwegian_notation():
    with translation.override("nb"):
        assert text_too_long(10_000) == "Teksten er for lang (høyst 10\u00a0000 tegn)."
        assert text_too_long(300) == "Teksten er for lang (høyst 300 tegn)."


def test_or_404_passes_what_was_found_and_refuses_nothing():
    assert or_404(0) == 0  # only None means "not found"
    with pytest.raises(Http404):
        or_404(None)


def test_a_stacked_bar_chart_scales_every_bar_to_the_longest():
    categories = (Category("a", "A", "info", None), Category("b", "B", "danger", "cross"))
    breakdown = Breakdown(
        kind="status",
        categories=categories,
        areas=(AreaCounts(1, "Én", (2, 2)), AreaCounts(2, "To", (1, 0))),
    )
    chart = stacked_bar_chart(chart_id="c", title="Title", breakdown=breakdown)
    longest, shorter = chart.bars
    assert sum(segment.width for segment in longest.segments) == pytest.approx(4 * shorter.segments[0].width)
    assert [segment.category.key for segment in shorter.segments] == ["a"]  # an empty segment is not drawn
    assert [name for name, _path in chart.patterns] == ["cross"]
    assert chart.view_box.startswith("0 0 600 ")


def test_a_narrower_stacked_bar_chart_keeps_its_bars_and_legend_inside_its_width():
    categories = tuple(Category(key, f"Kategori {key} med lang tekst", "info", None) for key in "abcde")
    breakdown = Breakdown(
        kind="status",
        categories=categories,
        areas=(AreaCounts(1, "Én", (5, 4, 3, 2, 1)), AreaCounts(2, "To", (1,) * 5)),
    )
    wide = stacked_bar_chart(chart_id="w", title="Title", breakdown=breakdown)
    narrow = stacked_bar_chart(chart_id="n", title="Title", breakdown=breakdown, width=360)
    assert narrow.view_box.startswith("0 0 360 ")
    longest = narrow.bars[0]
    assert longest.total_x + 60 <= 360  # room for «15 tiltak» after the longest bar
    assert sum(s.width for s in longest.segments) == pytest.approx(360 - 100)
    # The legend wraps onto more rows rather than running past the edge.
    assert max(item.x for item in narrow.legend) < 360 / 2
    assert len({item.y for item in narrow.legend}) > len({item.y for item in wide.legend})
    assert narrow.height > wide.height
