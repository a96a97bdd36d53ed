"""Turning a report document (``selectors.report_document``) into HTML and PDF."""

import itertools
import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from felles import charts
from felles.charts import NONE_KEY
from felles.formatting import format_number
from tiltak import selectors as tiltak_selectors

from . import content as report_content

logger = logging.getLogger(__name__)


class RenderError(Exception):
    """The PDF could not be made; the message is for the coordinator."""


def title(document: dict) -> str:
    content = document["content"]
    return _("Annual report %(year)s – %(programme)s") % {
        "year": content["aar"],
        "programme": content["programme"]["navn"],
    }


def _status_counts(content: dict) -> tuple[list[tuple[int, str]], dict]:
    """The report's areas and their status and assessment counts, as ``tiltak.selectors.status_charts`` takes
    them."""
    areas = [(area["nummer"], area["navn"]) for area in content["omraader"]]
    counts = {
        area["nummer"]: {
            kind: {None if key == NONE_KEY else key: n for key, n in area["counts"][kind].items()}
            for kind in ("status", "vurdering")
        }
        for area in content["omraader"]
    }
    return areas, counts


@dataclass(frozen=True)
class _BarLabel:
    label: str


# Right of the longest bar, for «12 345 678 NOK» in the chart's 13px text.
AMOUNT_SPACE = 130


def amount_bar_chart(*, chart_id: str, title: str, rows: list[dict]) -> charts.StackedBarChart | None:
    """Horizontal bars of the NOK sums in ``rows`` (the report's funding rows: label, sum_nok), one per row on a
    common scale, in the same geometry as the status charts so that ``_chart.svg.html`` draws them. None when
    there is nothing to draw."""
    sums = [Decimal(row["sum_nok"] or 0) for row in rows]
    largest = max(sums, default=Decimal(0))
    if largest <= 0:
        return None
    category = charts.Category(key="nok", label="NOK", colour="info", pattern=None)
    scale = (charts.WIDTH - AMOUNT_SPACE) / float(largest)
    bars = []
    parts = [title + "."]
    y = 0.0
    for row, amount in zip(rows, sums, strict=True):
        bar_y = y + charts.LABEL_HEIGHT
        width = round(float(amount) * scale, 2)
        total_label = f"{format_number(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))} NOK"
        label = row["label"]
        if row["uten_kurs"]:
            # Not in the bar, so the bar must not pass for the programme's whole grant.
            label = ngettext(
                "%(label)s (%(count)s project without exchange rate)",
                "%(label)s (%(count)s projects without exchange rate)",
                row["uten_kurs"],
            ) % {"label": label, "count": row["uten_kurs"]}
        bars.append(
            charts.Bar(
                area=_BarLabel(label),
                label_y=bar_y - 6,
                y=bar_y,
                text_y=bar_y + charts.BAR_HEIGHT / 2,
                segments=(charts.Segment(category=category, count=0, x=0, width=width, text_x=0, show_count=False),),
                total_x=round(width + 8, 2),
                total_label=total_label,
            )
        )
        parts.append(f"{label}: {total_label}.")
        y = bar_y + charts.BAR_HEIGHT + charts.ROW_GAP
    return charts.StackedBarChart(
        id=chart_id,
        title=title,
        description=" ".join(parts),
        width=charts.WIDTH,
        height=y,
        bar_height=charts.BAR_HEIGHT,
        swatch=charts.SWATCH,
        bars=tuple(bars),
        legend=(),
    )


def _funding_charts(content: dict) -> dict:
    finansiering = content.get("finansiering")  # absent from reports frozen before schema 3
    if finansiering is None:
        return {}
    year = content["aar"]
    return {
        "funding_programme_chart": amount_bar_chart(
            chart_id="report-funding-programme",
            title=_("Grants in NOK to projects started in %(year)s, per funding programme") % {"year": year},
            rows=finansiering["by_programme"],
        ),
        "funding_area_chart": amount_bar_chart(
            chart_id="report-funding-area",
            title=_("Grants in NOK to projects started in %(year)s, per priority area") % {"year": year},
            rows=finansiering["by_area"],
        ),
    }


def _labels(content: dict) -> tuple[dict, tuple[tuple[charts.Category, ...], tuple[charts.Category, ...]]]:
    """The labels of the content's coded values and the status and assessment chart categories, as frozen with
    it. A report frozen before schema 4 holds none, and gets today's (see ``content``'s docstring)."""
    frozen = content if "labels" in content else report_content.report_labels()
    categories = tuple(
        tuple(charts.Category(**category) for category in frozen["categories"][kind])
        for kind in ("status", "vurdering")
    )
    return frozen["labels"], categories


# Reports frozen before content schema 6 keep the layout and stylesheet they were approved with, byte for byte;
# later ones get the reading layout (cover wordmark, overview of every tiltak, short headings) and its stylesheet.
READING_LAYOUT_SCHEMA = 6
LEGACY_TEMPLATE = "rapportering/aarsrapport_schema5.html"
LEGACY_STYLESHEET = "css/aarsrapport.css"
TEMPLATE = "rapportering/aarsrapport.html"
STYLESHEET = "css/rapport.css"


def _reading_layout(content: dict) -> bool:
    return content.get("schema", 1) >= READING_LAYOUT_SCHEMA


def template_for(content: dict) -> str:
    return TEMPLATE if _reading_layout(content) else LEGACY_TEMPLATE


def tiltak_overview(content: dict) -> dict:
    """The one-page overview of every tiltak, as the partial ``_tiltak_oversikt.html`` takes it: per area its
    tiltak with code, short text, status and assessment (keys; the partial labels them) and whether each differs
    from the basis the content's ``changes`` were measured from. Plain data, so that another report (the final
    evaluation) can fill the same partial from its own content."""
    changes = content["changes"]
    status_changed = {row["kode"]: row["fra"] for row in changes["status_changed"]}
    vurdering_changed = {row["kode"]: row["fra"] for row in changes["vurdering_changed"]}
    added = {row["kode"] for row in changes.get("added", [])}
    return {
        "basis": changes["basis"],
        "since": changes["since"],
        "areas": [
            {
                "nummer": area["nummer"],
                "navn": area["navn"],
                "tiltak": [
                    {
                        "kode": tiltak["kode"],
                        "kort": tiltak["kort"],
                        "status": tiltak["status"],
                        "vurdering": tiltak["vurdering"],
                        "ny": tiltak["kode"] in added,
                        "status_endret": tiltak["kode"] in status_changed and tiltak["kode"] not in added,
                        "vurdering_endret": tiltak["kode"] in vurdering_changed and tiltak["kode"] not in added,
                    }
                    for innsats in area["innsatsomraader"]
                    for tiltak in innsats["tiltak"]
                ],
            }
            for area in content["omraader"]
        ],
    }


def context(document: dict, *, for_pdf: bool) -> dict:
    content, editorial = document["content"], document["editorial"]
    year = content["aar"]
    areas, counts = _status_counts(content)
    labels, categories = _labels(content)
    vurderinger = editorial.get("vurderinger", {})
    stylesheet = STYLESHEET if _reading_layout(content) else LEGACY_STYLESHEET
    return {
        "title": title(document),
        "content": content,
        "editorial": editorial,
        "year": year,
        "is_draft": editorial.get("status") in (None, "utkast"),
        "areas": [area | {"vurdering_tekst": vurderinger.get(str(area["nummer"]), "")} for area in content["omraader"]],
        "labels": labels,
        **tiltak_selectors.status_charts(
            areas=areas, counts=counts, year=year, id_prefix="report", categories=categories
        ),
        **_funding_charts(content),
        **({"overview": tiltak_overview(content)} if _reading_layout(content) else {}),
        "stylesheet_url": stylesheet if for_pdf else static(stylesheet),
        "for_pdf": for_pdf,
    }


@report_content.in_report_language
def render_html(document: dict, *, for_pdf: bool = False) -> str:
    return render_to_string(template_for(document["content"]), context(document, for_pdf=for_pdf))


@dataclass
class Timings:
    html: float = 0.0
    pdf: float = 0.0


@dataclass
class Progress:
    """How far a render has come, in ``PdfGenerering.Steg`` numbering: 1 data, 2 HTML, 3–8 WeasyPrint's steps
    1–6 (7 is the page layout, where ``pages`` counts the pages laid out so far)."""

    step: int = 0
    pages: int = 0


ProgressCallback = Callable[[Progress], None]

# WeasyPrint numbers its steps 1–6 in its progress log; ours come first (see PdfGenerering.Steg).
_WEASYPRINT_STEP_OFFSET = 2
_LAST_WEASYPRINT_STEP = 8  # PdfGenerering.Steg.PDF
_PROGRESS_PATTERN = re.compile(r"Step (\d)\b(?:.* Page (\d+))?")
_POLL_SECONDS = 0.5


class _WeasyPrintProgressHandler(logging.Handler):
    """Feeds WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") into the Progress of the render
    thread that wrote it, so that two renders in one process never mix up their figures."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.watched: dict[str, Progress] = {}
        self.lock = threading.Lock()

    def emit(self, record):
        progress = self.watched.get(record.threadName)
        if progress is None:
            return
        match = _PROGRESS_PATTERN.match(record.getMessage())
        if match is None:
            return
        # WeasyPrint 70 logs a seventh step (PDF metadata), still part of writing the PDF.
        step = min(int(match[1]) + _WEASYPRINT_STEP_OFFSET, _LAST_WEASYPRINT_STEP)
        progress.step = max(progress.step, step)
        if match[2]:
            progress.pages = max(progress.pages, int(match[2]))


_progress_handler = _WeasyPrintProgressHandler()
_render_numbers = itertools.count(1)


def _quiet_weasyprint_logs() -> None:
    """WeasyPrint logs every layout step, and fontTools every font it decodes, at INFO: not news in our logs.
    The progress logger goes only to our handler, which keeps what the progress page needs."""
    progress_logger = logging.getLogger("weasyprint.progress")
    if _progress_handler not in progress_logger.handlers:
        progress_logger.addHandler(_progress_handler)
    progress_logger.setLevel(logging.INFO)
    progress_logger.propagate = False
    logging.getLogger("fontTools").setLevel(logging.WARNING)


@report_content.in_report_language
def render_pdf(
    document: dict,
    *,
    timeout: float | None = None,
    timings: Timings | None = None,
    on_progress: ProgressCallback | None = None,
    to_html: Callable[..., str] | None = None,
    title_of: Callable[[dict], str] | None = None,
) -> bytes:
    """The report as PDF bytes, or RenderError within ``timeout`` seconds (settings.AARSRAPPORT_RENDER_TIMEOUT).

    WeasyPrint cannot be interrupted, so it runs in a worker thread and the caller stops waiting at the limit;
    the abandoned render finishes in the background and its result is dropped. Nothing it does touches the
    database, so that is harmless. While it waits, the calling thread passes the render's progress to
    ``on_progress`` whenever it changes (about twice a second at most), so the callback may use the database.

    ``to_html`` and ``title_of`` make another kind of report (the final evaluation) through the same pipeline;
    the annual report's are the default."""
    to_html = render_html if to_html is None else to_html
    title_of = title if title_of is None else title_of
    timeout = settings.AARSRAPPORT_RENDER_TIMEOUT if timeout is None else timeout
    started = time.perf_counter()
    progress = Progress(step=2)
    if on_progress is not None:
        on_progress(Progress(step=progress.step))
    html = to_html(document, for_pdf=True)
    rendered = time.perf_counter()
    _quiet_weasyprint_logs()
    try:
        from . import pdf  # imports WeasyPrint (and Pango) only now
    except (ImportError, OSError) as error:
        logger.exception("WeasyPrint is not available")
        raise RenderError(_("The PDF renderer is not installed on the server.")) from error
    thread_prefix = f"aarsrapport-pdf-{next(_render_numbers)}"
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=thread_prefix)
    _progress_handler.watched[f"{thread_prefix}_0"] = progress
    future = executor.submit(pdf.write_pdf, html=html, title=title_of(document))
    deadline = rendered + timeout
    reported = (progress.step, progress.pages)
    try:
        while True:
            remaining = deadline - time.perf_counter()
            try:
                result = future.result(timeout=max(0.0, min(_POLL_SECONDS, remaining)))
                break
            except FutureTimeout as error:
                if future.done():  # the render itself raised TimeoutError: a failure, not our limit
                    raise RenderError(_failure_message(error)) from error
                if remaining <= _POLL_SECONDS:
                    raise RenderError(
                        _("Making the PDF took more than %(seconds)s seconds and was stopped. Nothing was changed.")
                        % {"seconds": timeout}
                    ) from error
                current = (progress.step, progress.pages)
                if on_progress is not None and current != reported:
                    reported = current
                    on_progress(Progress(*current))
            except Exception as error:
                logger.exception("Rendering the annual report failed")
                raise RenderError(_failure_message(error)) from error
    finally:
        _progress_handler.watched.pop(f"{thread_prefix}_0", None)
        executor.shutdown(wait=False)
    if on_progress is not None and (progress.step, progress.pages) != reported:
        on_progress(Progress(progress.step, progress.pages))  # the render ended between two polls
    if timings is not None:
        timings.html += rendered - started
        timings.pdf += time.perf_counter() - rendered
    return result


def _failure_message(error: Exception) -> str:
    return _("The PDF could not be made (%(error)s). Nothing was changed.") % {"error": error}
