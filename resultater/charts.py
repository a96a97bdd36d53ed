"""Server-rendered SVG charts for results: an indikator's values against its baseline and target, and funding
sums as horizontal bars. As in felles/charts.py, the geometry is computed here and the templates only place it
(the CSP allows no inline styles or scripts), and every chart has a text alternative and a table beside it."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from felles.charts import svg_number
from felles.formatting import format_number

from .models import Indikator

# The charts are drawn narrow (as the public progress charts, tiltak.progress_selectors.PUBLIC_CHART_WIDTH) and
# scale with the page instead of scrolling: scaled down to a 320 px screen (288 px of content) their 13–14px text
# is still about 10–11 px, and on a wide screen they grow to at most 30rem (charts.css, .chart-figure--fluid).
WIDTH = 360
PLOT_LEFT = 72  # room for the value axis labels («1 250 000» in 13px)
# Right of the plot: the baseline's and target's labels («Utgangsverdi 2019» is about 118 units in 13px), at
# least room for half a point's label over the last year.
REFERENCE_CHAR_WIDTH = 7
MIN_PLOT_RIGHT = 44
PLOT_TOP = 30  # room for the unit over the value axis
PLOT_HEIGHT = 220
AXIS_SPACE = 34  # year labels under the plot
LABEL_WIDTH = 80  # a point's label at its widest («1 390 000» in 13px bold)


def format_value(value: Decimal | None, maaleenhet: str) -> str:
    """926000 EUR → «926 000 EUR», 21 per cent → «21 %», a count → «35»."""
    if value is None:
        return "–"
    number = format_number(value)
    if maaleenhet == Indikator.Maaleenhet.PROSENT:
        return f"{number}\u00a0%"
    if maaleenhet in (Indikator.Maaleenhet.EUR, Indikator.Maaleenhet.NOK):
        return f"{number}\u00a0{maaleenhet}"
    return number


@dataclass(frozen=True)
class Point:
    aar: int
    label: str
    x: float
    y: float
    text_y: float


@dataclass(frozen=True)
class Line:
    kind: str  # "basis" or "maal"
    label: str
    y: float
    text_y: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class IndikatorChart:
    id: str
    title: str
    description: str
    width: int
    height: float
    unit_label: str
    plot_left: int
    plot_right: float
    plot_bottom: float
    points: tuple[Point, ...]
    lines: tuple[Line, ...]
    year_ticks: tuple[Tick, ...]
    value_ticks: tuple[Tick, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {svg_number(self.height)}"

    @property
    def polyline(self) -> str:
        return " ".join(f"{svg_number(p.x)},{svg_number(p.y)}" for p in self.points)


def _nice_max(value: Decimal) -> Decimal:
    """A round upper bound for the value axis: 926 000 → 1 000 000, 45 → 50, 21 → 25."""
    if value <= 0:
        return Decimal(1)
    exponent = len(str(int(value))) - 1
    step = Decimal(10) ** exponent
    for factor in (Decimal(1), Decimal("1.25"), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if value <= step * factor:
            return step * factor
    return step * 10


def indikator_chart(*, indikator: Indikator, verdier, chart_id: str = "chart-indikator") -> IndikatorChart:
    """Values per year as a line with points, the baseline and the target as labelled horizontal lines."""
    unit = indikator.maaleenhet
    years = sorted(
        {indikator.basis_aar, *(v.aar for v in verdier), *([indikator.maal_aar] if indikator.maal_aar else [])}
    )
    first, last = years[0], years[-1]
    top = _nice_max(
        max(
            [
                indikator.basis_verdi,
                *(v.verdi for v in verdier),
                *([indikator.maal_verdi] if indikator.maal_verdi is not None else []),
            ]
        )
    )
    if unit == Indikator.Maaleenhet.PROSENT:
        top = min(top, Decimal(100))
    basis_label = _("Baseline %(year)s") % {"year": indikator.basis_aar}
    maal_label = _("Target %(year)s") % {"year": indikator.maal_aar} if indikator.maal_verdi is not None else ""
    longest = max(len(basis_label), len(maal_label))
    plot_right = WIDTH - max(MIN_PLOT_RIGHT, 8 + longest * REFERENCE_CHAR_WIDTH + 4)
    plot_bottom = PLOT_TOP + PLOT_HEIGHT
    span = max(last - first, 1)

    def x_of(aar: int) -> float:
        if last == first:
            return PLOT_LEFT + (plot_right - PLOT_LEFT) / 2
        return PLOT_LEFT + (aar - first) * (plot_right - PLOT_LEFT) / span

    def y_of(value: Decimal) -> float:
        return plot_bottom - float(value / top) * PLOT_HEIGHT

    # Labels such as «1 390 000» are wider than a year's step on a long axis: then every other label goes
    # under its point, so neighbours never overlap.
    alternate = (plot_right - PLOT_LEFT) / span < LABEL_WIDTH
    points = tuple(
        Point(
            aar=v.aar,
            # The unit is over the value axis; a per cent sign is short enough to stay.
            label=format_value(v.verdi, unit) if unit == Indikator.Maaleenhet.PROSENT else format_number(v.verdi),
            x=round(x_of(v.aar), 2),
            y=round(y_of(v.verdi), 2),
            text_y=round(y_of(v.verdi) + (20 if alternate and index % 2 else -10), 2),
        )
        for index, v in enumerate(sorted(verdier, key=lambda v: v.aar))
    )
    lines = [
        Line(
            kind="basis",
            label=basis_label,
            y=round(y_of(indikator.basis_verdi), 2),
            text_y=round(y_of(indikator.basis_verdi), 2),
        )
    ]
    if indikator.maal_verdi is not None:
        maal_y = round(y_of(indikator.maal_verdi), 2)
        # Keep the two labels apart when the lines are close.
        text_y = maal_y - 14 if abs(maal_y - lines[0].y) < 16 else maal_y
        lines.append(Line(kind="maal", label=maal_label, y=maal_y, text_y=text_y))
    year_ticks = tuple(
        Tick(label=str(aar), x=round(x_of(aar), 2), y=plot_bottom + 22) for aar in range(first, last + 1)
    )
    value_ticks = tuple(
        Tick(label=format_number(top * i / 4), x=PLOT_LEFT - 8, y=round(y_of(top * i / 4), 2)) for i in range(5)
    )

    title = _("%(name)s: values per year against the baseline and the target") % {"name": indikator.navn}
    parts = [
        _("Baseline %(year)s: %(value)s.")
        % {"year": indikator.basis_aar, "value": format_value(indikator.basis_verdi, unit)}
    ]
    if indikator.maal_verdi is not None:
        parts.append(
            _("Target %(year)s: %(value)s.")
            % {"year": indikator.maal_aar, "value": format_value(indikator.maal_verdi, unit)}
        )
    if points:
        parts.append(_("Recorded values: %(values)s.") % {"values": "; ".join(f"{p.aar}: {p.label}" for p in points)})
    else:
        parts.append(_("No values recorded yet."))
    return IndikatorChart(
        id=chart_id,
        title=title,
        description=" ".join(parts),
        width=WIDTH,
        height=plot_bottom + AXIS_SPACE,
        unit_label=str(indikator.get_maaleenhet_display()),
        plot_left=PLOT_LEFT,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        points=points,
        lines=tuple(lines),
        year_ticks=year_ticks,
        value_ticks=value_ticks,
    )


# Funding bars ----------------------------------------------------------------------------------------------------

BAR_HEIGHT = 24
LABEL_LINE_HEIGHT = 18  # a bar's label over it, in as many lines as it needs
ROW_GAP = 14
VALUE_SPACE = 124  # right of the longest bar, for «12 345 678 NOK» in 14px
LABEL_CHARS = 40  # per line of a bar's label: 40 characters of 14px semibold fit in the chart's width


def wrap_label(label: str, width: int = LABEL_CHARS) -> tuple[str, ...]:
    """A label in lines of at most ``width`` characters, broken between words (a word longer than a line is cut)."""
    lines: list[str] = []
    current = ""
    for word in label.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    return tuple(lines)


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: float


@dataclass(frozen=True)
class FundingBar:
    label: str
    label_lines: tuple[LabelLine, ...]
    value_label: str
    y: float
    width: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class FundingChart:
    id: str
    title: str
    description: str
    width: int
    height: float
    bar_height: int
    bars: tuple[FundingBar, ...]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {svg_number(self.height)}"


def funding_chart(*, chart_id: str, title: str, rows) -> FundingChart:
    """One horizontal bar per FundingRow (``tiltak.selectors.funding_summary``), on a common NOK scale."""
    largest = max((row.sum_nok for row in rows), default=Decimal(0))
    scale = (WIDTH - VALUE_SPACE) / float(largest) if largest else 0
    bars = []
    y = 0.0
    for row in rows:
        width = round(float(row.sum_nok) * scale, 2)
        lines = wrap_label(row.label)
        bar_y = y + LABEL_LINE_HEIGHT * len(lines) + 2
        bars.append(
            FundingBar(
                label=row.label,
                label_lines=tuple(
                    LabelLine(text=line, y=y + LABEL_LINE_HEIGHT * (number + 1) - 4)
                    for number, line in enumerate(lines)
                ),
                value_label=f"{format_number(row.sum_nok.quantize(Decimal(1)))}\u00a0NOK",
                y=bar_y,
                width=max(width, 1.0) if row.sum_nok else 0,
                text_x=round(width + 8, 2),
                text_y=bar_y + BAR_HEIGHT / 2,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP
    description = " ".join(
        [title + "."]
        + [
            f"{row.label}: {format_number(row.sum_nok.quantize(Decimal(1)))} NOK ("
            + ngettext("%(count)s project", "%(count)s projects", row.antall) % {"count": row.antall}
            + ")."
            for row in rows
        ]
    )
    return FundingChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=max(y, 1),
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )
