"""Benchmark: the final evaluation (sluttevaluering) of the programme at 10×, with four years of data.

Fills a scratch database (SQLite in a temporary file; BENCH_DATABASE_URL for PostgreSQL) with the real programme
and the demo data (statusmeldinger over 2020–2023, deltagelser, indicator values and projects), grows the programme
the way ``bench/report.py`` does (``bench.pages.grow``: tiltak and statusmeldinger ×10, spread over the four years)
and adds participation to match, with what was learned. Then renders the evaluation as the worker does and splits
the wall time into data build (selectors), template render (HTML) and WeasyPrint (layout + PDF). Target: our own
work (data + template) under 10 % of the total. Last, makes the PDF the way the portal does: a coordinator's POST
queues it, ``db_worker --batch`` makes it while another connection polls the progress row.

    .venv/bin/python bench/evaluation.py [--runs 3] [--factor 10]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import add_deltagelser, grow, setup_django  # noqa: E402
from bench.report import report  # noqa: E402


def measure(sluttevaluering, runs: int) -> dict:
    from pypdf import PdfReader

    from rapportering import evaluation_rendering, pdf, selectors

    data, html_times, weasy = [], [], []
    pages = 0
    for _ in range(runs + 1):  # the first run warms up templates, fonts and WeasyPrint's caches
        start = time.perf_counter()
        document = selectors.evaluation_live_document(sluttevaluering=sluttevaluering)
        built = time.perf_counter()
        html = evaluation_rendering.render_html(document, for_pdf=True)
        rendered = time.perf_counter()
        result = pdf.write_pdf(html=html, title=evaluation_rendering.title(document))
        done = time.perf_counter()
        data.append(built - start)
        html_times.append(rendered - built)
        weasy.append(done - rendered)
        pages = len(PdfReader(io.BytesIO(result)).pages)
    data, html_times, weasy = (statistics.median(values[1:]) for values in (data, html_times, weasy))
    return {"data": data, "html": html_times, "pdf": weasy, "pages": pages, "bytes": len(result)}


def background(programme, koordinator) -> None:
    """The evaluation's draft PDF as the portal makes it: queued by a coordinator's POST, made by db_worker."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from rapportering.models import PdfGenerering

    client = Client()
    client.force_login(koordinator)
    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=queue):
        start = time.perf_counter()
        response = client.post(reverse("rapportering:sluttevaluering_generate", kwargs={"program": programme.slug}))
        queued = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        generering = PdfGenerering.objects.get(sluttevaluering__handlingsprogram=programme)

        seen: list[tuple[int, int]] = []
        stop = threading.Event()

        def poll():
            while not stop.is_set():
                seen.append(PdfGenerering.objects.values_list("steg", "sider").get(pk=generering.pk))
                stop.wait(0.5)
            connection.close()

        poller = threading.Thread(target=poll)
        start = time.perf_counter()
        poller.start()
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
        worked = time.perf_counter() - start
        stop.set()
        poller.join()
    generering.refresh_from_db()
    distinct = sorted(set(seen))
    print(
        f"\nin the background ({generering.sider} pages): the web request queued it in {queued * 1000:.1f} ms; "
        f"db_worker made it in {worked:.1f} s ({generering.get_status_display()}); a poll every 0.5 s saw "
        f"{len(distinct)} different progress states, the last at page {max(p for _, p in distinct)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    setup_django(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch.name}/bench.sqlite3")
    import logging

    from django.core.management import call_command
    from django.db import connection

    from handlingsprogram.models import Handlingsprogram, User
    from nettverk.models import Deltagelse
    from portal.demo import (
        demo_deltagelser_create,
        demo_resultater_create,
        demo_statusmeldinger_create,
        demo_users_create,
    )
    from portal.loader import programme_file_load
    from rapportering import selectors, services
    from resultater.models import Prosjekt
    from tiltak.models import Statusmelding, Tiltak

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    demo_statusmeldinger_create()
    demo_deltagelser_create()
    demo_resultater_create()
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}

    grow(programme, args.factor, Statusmelding.objects.count() * (args.factor - 1), authors, koordinator)
    add_deltagelser(Deltagelse.objects.count() * args.factor, koordinator)
    Deltagelse.objects.filter(status="rapportert", laering="").update(
        laering="Hva vi lærte, og hva vi gjør annerledes neste gang. " * 3
    )
    services.sluttevaluering_create(programme=programme, user=koordinator)
    sluttevaluering = selectors.sluttevaluering_for(programme=programme)
    tiltak = list(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme))
    services.sluttevaluering_update(
        sluttevaluering=sluttevaluering,
        user=koordinator,
        overall_assessment="Samlet vurdering. " * 40,
        programme_recommendation="rulleres",
        programme_reasoning="Begrunnelse. " * 20,
        fu_meeting_date=None,
        fu_saksnummer="23/12345",
        omraader={o.pk: "Vurdering av området. " * 20 for o in programme.omraader.all()},
        tiltak={t.pk: ("viderefoeres", "Kommentar.") for t in tiltak},
    )
    sluttevaluering = selectors.sluttevaluering_for(programme=programme)
    print(
        f"{args.factor}×: {len(tiltak):,} tiltak, {Statusmelding.objects.count():,} statusmeldinger over "
        f"{programme.start_year}–{programme.end_year}, {Deltagelse.objects.count():,} deltagelser, "
        f"{Prosjekt.objects.count():,} prosjekter"
    )
    report(f"evaluation {args.factor}×", measure(sluttevaluering, args.runs))
    background(programme, koordinator)
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}")


if __name__ == "__main__":
    main()
