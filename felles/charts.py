"""The geometry of the portal's server-rendered SVG bar charts, from counts per area to coordinates.

One ``Breakdown`` per chart holds the counts; the chart and the table under it are both drawn from it, so they
cannot disagree. Geometry is plain arithmetic here, so the template only places what is computed and the page
needs no inline styles or scripts (the CSP allows neither). What the categories are (a measure's status or
assessment, say) is the caller's."""

from dataclasses import dataclass, field

from django.utils.translation import ngettext

# Fill patterns, a second cue besides colour for those who cannot tell the colours apart (WCAG 1.4.1).
PATTERNS = {
    "horizontal": "M0 4H8",
    "diagonal": "M-2 2L2 -2M0 8L8 0M6 10L10 6",
    "diagonal-reverse": "M-2 6L2 10M0 0L8 8M6 -2L10 2",
    "cross": "M-2 2L2 -2M0 8L8 0M6 10L10 6M-2 6L2 10M0 0L8 8M6 -2L10 2",
    "dots": None,  # drawn as a circle
}

# The category of what has no value yet (a measure without a status report), last in a breakdown; a key
# rather than None, so that counts frozen as JSON keep it.
NONE_KEY = "ingen"
NONE_STYLE = ("none", "dots")


@dataclass(frozen=True)
class Category:
    key: str  # the value counted (a status, an assessment), or NONE_KEY
    label: str
    colour: str  # CSS modifier: neutral, info, success, warning, danger, none
    pattern: str | None


@dataclass(frozen=True)
class AreaCounts:
    nummer: int
    navn: str
    counts: tuple[int, ...]  # in the order of Breakdown.categories

    @property
    def label(self) -> str:
        return f"{self.nummer}. {self.navn}"

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Breakdown:
    kind: str  # "status" or "vurdering"
    categories: tuple[Category, ...]
    areas: tuple[AreaCounts, ...]

    @property
    def totals(self) -> tuple[int, ...]:
        return tuple(sum(area.counts[i] for area in self.areas) for i in range(len(self.categories)))

    @property
    def total(self) -> int:
        return sum(self.totals)

    def rows(self):
        """(area, [(category, count), …]) for the table."""
        return [(area, list(zip(self.categories, area.counts, strict=True))) for area in self.areas]

    def total_row(self):
        return list(zip(self.categories, self.totals, strict=True))


# Geometry. Units are SVG user units in a viewBox of WIDTH × height; the CSS scales the whole chart.
WIDTH = 600
BAR_HEIGHT = 28
LABEL_HEIGHT = 20  # area name above its bar
ROW_GAP = 18
TOTAL_SPACE = 100  # right of the longest bar, for «13 tiltak»
MIN_WIDTH_FOR_COUNT = 22
LEGEND_ROW = 26
SWATCH = 16
CHAR_WIDTH = 7.5  # a generous average for the legend's 14px text


@dataclass(frozen=True)
class Segment:
    category: Category
    count: int
    x: float
    width: float
    text_x: float
    show_count: bool


@dataclass(frozen=True)
class Bar:
    area: AreaCounts
    label_y: float
    y: float
    text_y: float
    segments: tuple[Segment, ...]
    total_x: float
    total_label: str


@dataclass(frozen=True)
class LegendItem:
    category: Category
    x: float
    y: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class StackedBarChart:
    id: str
    title: str
    description: str
    width: int
    height: float
    bar_height: int
    swatch: int
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    patterns: tuple[tuple[str, str | None], ...] = field(default=())  # (name, path) used in this chart

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {svg_number(self.height)}"


def svg_number(value: float) -> str:
    """A coordinate without trailing zeros, so the markup stays short and stable."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _summary(breakdown: Breakdown, title: str) -> str:
    parts = [title + "."]
    for area, cells in breakdown.rows():
        listed = ", ".join(f"{category.label}: {count}" for category, count in cells if count)
        parts.append(
            ngettext("%(area)s, %(count)s measure", "%(area)s, %(count)s measures", area.total)
            % {"area": area.label, "count": area.total}
            + (f" ({listed})." if listed else ".")
        )
    return " ".join(parts)


def stacked_bar_chart(*, chart_id: str, title: str, breakdown: Breakdown, width: int = WIDTH) -> StackedBarChart:
    """Horizontal stacked bars, one per area, on a common scale (the longest bar is the area with most tiltak),
    with a legend under them. A smaller ``width`` (in user units) draws the same chart for a box that scales down
    to a phone's width, where the text must keep a legible size."""
    largest = max((area.total for area in breakdown.areas), default=0)
    scale = (width - TOTAL_SPACE) / largest if largest else 0
    bars = []
    y = 0.0
    for area in breakdown.areas:
        label_y = y + LABEL_HEIGHT - 6
        bar_y = y + LABEL_HEIGHT
        segments = []
        x = 0.0
        for category, count in zip(breakdown.categories, area.counts, strict=True):
            if not count:
                continue
            length = count * scale
            segments.append(
                Segment(
                    category=category,
                    count=count,
                    x=round(x, 2),
                    width=round(length, 2),
                    text_x=round(x + length / 2, 2),
                    show_count=length >= MIN_WIDTH_FOR_COUNT,
                )
            )
            x += length
        total_label = ngettext("%(count)s measure", "%(count)s measures", area.total) % {"count": area.total}
        bars.append(
            Bar(
                area=area,
                label_y=label_y,
                y=bar_y,
                text_y=bar_y + BAR_HEIGHT / 2,
                segments=tuple(segments),
                total_x=round(x + 8, 2),
                total_label=total_label,
            )
        )
        y = bar_y + BAR_HEIGHT + ROW_GAP

    legend = []
    legend_x = 0.0
    legend_y = y
    for category in breakdown.categories:
        item_width = SWATCH + 8 + len(category.label) * CHAR_WIDTH + 20
        if legend_x and legend_x + item_width > width:
            legend_x = 0.0
            legend_y += LEGEND_ROW
        legend.append(
            LegendItem(
                category=category,
                x=legend_x,
                y=legend_y,
                text_x=legend_x + SWATCH + 8,
                text_y=legend_y + SWATCH / 2,
            )
        )
        legend_x += item_width
    height = legend_y + LEGEND_ROW

    used = []
    for category in breakdown.categories:
        if category.pattern and category.pattern not in used:
            used.append(category.pattern)
    return StackedBarChart(
        id=chart_id,
        title=title,
        description=_summary(breakdown, title),
        width=width,
        height=height,
        bar_height=BAR_HEIGHT,
        swatch=SWATCH,
        bars=tuple(bars),
        legend=tuple(legend),
        patterns=tuple((name, PATTERNS[name]) for name in used),
    )
