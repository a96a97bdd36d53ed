"""The indikator and funding charts are drawn narrow enough to scale down to a 320 px screen with legible text
(issue 17): every coordinate inside the drawing, a long funding label wrapped onto lines that fit, and the
value right of the longest bar inside the drawing too. The browser check of the same is tests/e2e/test_reflow.py."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from resultater import charts
from resultater.models import Indikator

# Scaled into the 288 px a 320 px screen leaves for content, 13px text must stay at least 10 px.
CONTENT_AT_320 = 288


@dataclass
class Row:
    label: str
    sum_nok: Decimal
    antall: int = 1


def test_the_charts_are_narrow_enough_for_legible_text_at_320_px():
    assert 13 * CONTENT_AT_320 / charts.WIDTH >= 10


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("Erasmus+", ("Erasmus+",)),
        ("Interreg – Interreg Nord – delområde Sápmi", ("Interreg – Interreg Nord – delområde", "Sápmi")),
        ("x" * 45, ("x" * 40, "x" * 5)),
        ("", ("",)),
    ],
)
def test_labels_wrap_between_words_and_cut_only_an_overlong_word(label, lines):
    assert charts.wrap_label(label) == lines


def test_a_funding_chart_keeps_labels_bars_and_values_inside_its_drawing():
    rows = [
        Row("Interreg – Interreg Nordsjøprogrammet og Nordlig Periferi og Arktis", Decimal("12345678")),
        Row("Erasmus+", Decimal("926000")),
        Row("EØS-midlene", Decimal(0), antall=0),
    ]
    chart = charts.funding_chart(chart_id="c", title="Tilskudd", rows=rows)
    first, second, third = chart.bars
    assert [line.text for line in first.label_lines] == [
        "Interreg – Interreg Nordsjøprogrammet og",
        "Nordlig Periferi og Arktis",
    ]
    assert all(len(line.text) <= charts.LABEL_CHARS for bar in chart.bars for line in bar.label_lines)
    # Two lines of label push the bar down; the next row starts under it.
    assert first.y > first.label_lines[-1].y and second.label_lines[0].y > first.y + chart.bar_height
    # The longest bar leaves room for its value («12 345 678 NOK», about 8 units a character in 14px).
    assert first.text_x + len(first.value_label) * 8 <= chart.width
    assert third.width == 0 and chart.height > third.y
    assert "Erasmus+: 926 000 NOK" in chart.description.replace("\u00a0", " ")


@dataclass
class Verdi:
    aar: int
    verdi: Decimal


@pytest.mark.parametrize("unit", [Indikator.Maaleenhet.EUR, Indikator.Maaleenhet.PROSENT])
def test_an_indikator_chart_stays_inside_its_drawing(unit):
    indikator = Indikator(
        navn="Erasmus+-midler",
        maaleenhet=unit,
        basis_aar=2019,
        basis_verdi=Decimal(80 if unit == Indikator.Maaleenhet.PROSENT else 926000),
        maal_aar=2023,
        maal_verdi=Decimal(95 if unit == Indikator.Maaleenhet.PROSENT else 1250000),
    )
    scale = Decimal(1) if unit == Indikator.Maaleenhet.PROSENT else Decimal(13900)
    verdier = [Verdi(aar, Decimal(70 + aar % 10) * scale) for aar in range(2019, 2024)]
    chart = charts.indikator_chart(indikator=indikator, verdier=verdier)
    assert chart.view_box == f"0 0 {charts.WIDTH} {charts.PLOT_TOP + charts.PLOT_HEIGHT + charts.AXIS_SPACE}"
    xs = [p.x for p in chart.points] + [t.x for t in chart.year_ticks]
    assert all(chart.plot_left <= x <= chart.plot_right for x in xs)
    # Half a point's label over the last year, and the reference lines' labels right of the plot (in bokmål
    # «Utgangsverdi 2019», 17 characters of about 7 units), fit in the drawing.
    assert chart.plot_right + charts.MIN_PLOT_RIGHT <= chart.width
    assert [line.label for line in chart.lines] == ["Utgangsverdi 2019", "Mål 2023"]
    assert all(chart.plot_right + 8 + len(line.label) * 7 <= chart.width for line in chart.lines)
    # The value axis' widest label («1 250 000», 9 characters of about 7 units) fits left of the plot.
    assert max(len(t.label) for t in chart.value_ticks) * 7 <= chart.plot_left - 8
    assert all(0 <= p.text_y <= chart.height for p in chart.points)
