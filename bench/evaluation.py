"""Benchmark: the final evaluation (sluttevaluering) of the programme at 10×, with four years of data.

Fills a scratch database (SQLite in a temporary file; BENCH_DATABASE_URL for PostgreSQL) with the real programme
and the demo data (statusmeldinger over 2020–2023, deltagelser, indicator values and projects), grows the programme
the way ``bench/report.py`` does (``bench.pages.grow``: tiltak and statusmeldinger ×10, spread over the four years)
and adds participation to match, with what was learned. Then renders the evaluation as the worker does and splits
the wall time into data build (selectors), template render (HTML) and WeasyPrint (layout + PDF). Target: our own
work (data + template) under 10 % of the total. Last, makes the PDF the way the portal does: a coordinator's POST
queues it, ``db_worker --batch`` makes it while another connection polls the progress row.

With ``--via-worker`` only the last part runs, and as in production: the PDF is queued through the database task
backend by the coordinator's POST, a separate ``manage.py db_worker`` process makes it (its render limit is
DJANGO_SLUTTEVALUERING_RENDER_TIMEOUT, 900 s unless set), and this process polls the JSON the progress page polls
(``rapportering:generering_status``) once a second, printing each progress state it sees with its time.

    .venv/bin/python bench/evaluation.py [--runs 3] [--factor 10]
    .venv/bin/python bench/evaluation.py --via-worker [--factor 10]
"""

import argparse
import io
import os
import statistics
import subprocess
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


def via_worker(programme, koordinator) -> None:
    """The draft PDF through the real worker: queued by a coordinator's POST into the database queue, made by a
    ``manage.py db_worker`` subprocess, followed through the progress page's own status URL."""
    from django.conf import settings
    from django.db import connections
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
    status_url = reverse("rapportering:generering_status", kwargs={"pk": generering.pk})
    connections.close_all()  # the worker process writes the same database file

    environment = os.environ | {"DJANGO_TASKS_BACKEND": "database", "DATABASE_URL": os.environ["DATABASE_URL"]}
    print(
        f"\nvia the worker: queued by the POST in {queued * 1000:.0f} ms; starting manage.py db_worker "
        f"(render limit {settings.SLUTTEVALUERING_RENDER_TIMEOUT} s; load average {os.getloadavg()[0]:.1f})"
    )
    start = time.perf_counter()
    worker = subprocess.Popen(  # noqa: S603 -- our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
    )
    seen: list[tuple[float, str, object]] = []
    progress = {}
    try:
        while True:
            progress = client.get(status_url).json()
            state = (progress["text"], progress["percent"])
            if not seen or seen[-1][1:] != state:
                seen.append((time.perf_counter() - start, *state))
                print(
                    f"  {seen[-1][0]:7.1f} s  {progress['percent'] if progress['percent'] is not None else '–':>4} %"
                    f"  {progress['text']}"
                )
            if progress["finished"]:
                break
            if worker.poll() is not None:  # the worker left without finishing it: one more look, then report
                time.sleep(1)
                progress = client.get(status_url).json()
                break
            time.sleep(1)
    finally:
        worker.wait()
    total = time.perf_counter() - start
    generering.refresh_from_db()
    ran = (generering.finished_at - generering.started_at).total_seconds() if generering.finished_at else None
    print(
        f"via the worker: {generering.get_status_display()} after {total:.1f} s from the worker's start "
        f"(the render itself {ran:.1f} s), {generering.sider} pages, {len(seen)} progress states seen; "
        f"worker exit code {worker.returncode}; load average now {os.getloadavg()[0]:.1f}"
        if ran is not None
        else f"via the worker: not finished after {total:.1f} s ({progress.get('text')}); exit {worker.returncode}"
    )
    if generering.feilmelding:
        print(f"  error: {generering.feilmelding}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument(
        "--via-worker",
        action="store_true",
        help="only make the PDF through the database queue and a manage.py db_worker subprocess, following its "
        "progress as the progress page does",
    )
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
    if args.via_worker:
        via_worker(programme, koordinator)
    else:
        report(f"evaluation {args.factor}×", measure(sluttevaluering, args.runs))
        background(programme, koordinator)
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}")


if __name__ == "__main__":
    main()
