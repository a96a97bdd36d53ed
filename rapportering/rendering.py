"""Turning a report document (``selectors.report_document``) into HTML and PDF."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _

from tiltak import charts

logger = logging.getLogger(__name__)


class RenderError(Exception):
    """The PDF could not be made; the message is for the coordinator."""


def title(document: dict) -> str:
    content = document["content"]
    return _("Annual report %(year)s – %(programme)s") % {
        "year": content["aar"],
        "programme": content["programme"]["navn"],
    }


def _breakdowns(content: dict):
    areas = [(area["nummer"], area["navn"]) for area in content["omraader"]]
    counts = {
        area["nummer"]: {
            kind: {None if key == charts.NONE_KEY else key: n for key, n in area["counts"][kind].items()}
            for kind in ("status", "vurdering")
        }
        for area in content["omraader"]
    }
    return charts.breakdowns(areas=areas, counts=counts)


def context(document: dict, *, for_pdf: bool) -> dict:
    content, editorial = document["content"], document["editorial"]
    year = content["aar"]
    status, vurdering = _breakdowns(content)
    vurderinger = editorial.get("vurderinger", {})
    return {
        "title": title(document),
        "content": content,
        "editorial": editorial,
        "year": year,
        "is_draft": editorial.get("status") in (None, "utkast"),
        "areas": [area | {"vurdering_tekst": vurderinger.get(str(area["nummer"]), "")} for area in content["omraader"]],
        "status": status,
        "vurdering": vurdering,
        "status_chart": charts.stacked_bar_chart(
            chart_id="report-status",
            title=_("Status of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=status,
        ),
        "vurdering_chart": charts.stacked_bar_chart(
            chart_id="report-vurdering",
            title=_("Assessment of the measures at the end of %(year)s, per priority area") % {"year": year},
            breakdown=vurdering,
        ),
        "stylesheet_url": ("css/aarsrapport.css" if for_pdf else static("css/aarsrapport.css")),
        "for_pdf": for_pdf,
    }


def render_html(document: dict, *, for_pdf: bool = False) -> str:
    return render_to_string("rapportering/aarsrapport.html", context(document, for_pdf=for_pdf))


@dataclass
class Timings:
    html: float = 0.0
    pdf: float = 0.0


def render_pdf(document: dict, *, timeout: float | None = None, timings: Timings | None = None) -> bytes:
    """The report as PDF bytes, or RenderError within ``timeout`` seconds (settings.AARSRAPPORT_RENDER_TIMEOUT).

    WeasyPrint cannot be interrupted, so it runs in a worker thread and the caller stops waiting at the limit;
    the abandoned render finishes in the background and its result is dropped. Nothing it does touches the
    database, so that is harmless."""
    timeout = settings.AARSRAPPORT_RENDER_TIMEOUT if timeout is None else timeout
    started = time.perf_counter()
    html = render_html(document, for_pdf=True)
    rendered = time.perf_counter()
    # WeasyPrint logs every layout step and fontTools every font it decodes at INFO; a report is not news.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    try:
        from . import pdf  # imports WeasyPrint (and Pango) only now
    except (ImportError, OSError) as error:
        logger.exception("WeasyPrint is not available")
        raise RenderError(_("The PDF renderer is not installed on the server.")) from error
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aarsrapport-pdf")
    future = executor.submit(pdf.write_pdf, html=html, title=title(document))
    try:
        result = future.result(timeout=timeout)
    except FutureTimeout as error:
        raise RenderError(
            _("Making the PDF took more than %(seconds)s seconds and was stopped. Nothing was changed.")
            % {"seconds": timeout}
        ) from error
    except Exception as error:
        logger.exception("Rendering the annual report failed")
        message = _("The PDF could not be made (%(error)s). Nothing was changed.") % {"error": error}
        raise RenderError(message) from error
    finally:
        executor.shutdown(wait=False)
    if timings is not None:
        timings.html += rendered - started
        timings.pdf += time.perf_counter() - rendered
    return result
