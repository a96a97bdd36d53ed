"""Benchmark: the annual report for 2021 at 1× and 10× the programme.

Fills a scratch database (SQLite in a temporary file; BENCH_DATABASE_URL for PostgreSQL) with the real programme
and the demo statusmeldinger, renders the 2021 report and splits the wall time into data build (selectors),
template render (HTML) and WeasyPrint (layout + PDF); then grows the programme to 10× (tiltak and
statusmeldinger) and does it again. Targets: our own work (data + template) under 10 % of the total, and at least
5 pages per second overall.

    .venv/bin/python bench/report.py [--runs 3] [--factor 10]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import grow, setup_django  # noqa: E402

YEAR = 2021


def measure(programme, runs: int) -> dict:
    from pypdf import PdfReader

    from rapportering import pdf, rendering, selectors

    data, html_times, weasy = [], [], []
    pages = 0
    for _ in range(runs + 1):  # the first run warms up templates, fonts and WeasyPrint's caches
        start = time.perf_counter()
        document = selectors.live_document(programme=programme, year=YEAR)
        built = time.perf_counter()
        html = rendering.render_html(document, for_pdf=True)
        rendered = time.perf_counter()
        result = pdf.write_pdf(html=html, title=rendering.title(document))
        done = time.perf_counter()
        data.append(built - start)
        html_times.append(rendered - built)
        weasy.append(done - rendered)
        pages = len(PdfReader(io.BytesIO(result)).pages)
    data, html_times, weasy = (statistics.median(values[1:]) for values in (data, html_times, weasy))
    return {"data": data, "html": html_times, "pdf": weasy, "pages": pages, "bytes": len(result)}


def report(label: str, result: dict) -> None:
    total = result["data"] + result["html"] + result["pdf"]
    own = result["data"] + result["html"]
    print(
        f"{label}: {result['pages']} pages, {result['bytes'] / 1024:.0f} KiB\n"
        f"  data build   {result['data'] * 1000:8.1f} ms\n"
        f"  template     {result['html'] * 1000:8.1f} ms\n"
        f"  WeasyPrint   {result['pdf'] * 1000:8.1f} ms\n"
        f"  total        {total * 1000:8.1f} ms   our share {own / total:.1%} (target < 10 %)   "
        f"{result['pages'] / total:.1f} pages/s (target >= 5)"
    )


def background(programme, koordinator) -> None:
    """The 10× report's PDF the way the portal makes it: a coordinator's POST queues it in the database (the web
    request's time is what a web worker spends), then ``db_worker --batch`` makes it while the progress row is
    polled from another connection, as the progress page does."""
    import threading

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from rapportering import services
    from rapportering.models import PdfGenerering

    draft = services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)
    client = Client()
    client.force_login(koordinator)
    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=queue):
        start = time.perf_counter()
        response = client.post(reverse("rapportering:generate", kwargs={"pk": draft.pk}))
        queued = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        generering = PdfGenerering.objects.get(aarsrapport=draft)

        seen: list[tuple[float, int, int]] = []
        stop = threading.Event()

        def poll():
            while not stop.is_set():
                row = PdfGenerering.objects.values_list("steg", "sider").get(pk=generering.pk)
                seen.append((time.perf_counter(), *row))
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
    distinct = sorted({(step, pages) for _, step, pages in seen})
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
    from portal.demo import demo_statusmeldinger_create, demo_users_create
    from portal.loader import programme_file_load
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
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}

    print(f"1×: {Tiltak.objects.count():,} tiltak, {Statusmelding.objects.count():,} statusmeldinger")
    report("1×", measure(programme, args.runs))
    grow(programme, args.factor, Statusmelding.objects.count() * (args.factor - 1), authors, koordinator)
    print(f"\n{args.factor}×: {Tiltak.objects.count():,} tiltak, {Statusmelding.objects.count():,} statusmeldinger")
    report(f"{args.factor}×", measure(programme, args.runs))
    background(programme, koordinator)
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}")


if __name__ == "__main__":
    main()
