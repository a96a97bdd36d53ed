"""Benchmark: the staff pages at 1× and 100× the programme.

Fills a scratch database (default: SQLite in a temporary directory; set BENCH_DATABASE_URL for PostgreSQL, whose
role must be allowed to create a database) with the real 2020–2023 programme and 200 deltagelser, copies it and
grows the copy to 100× (4,500 tiltak, 100,000 statusmeldinger, 20,000 deltagelser). Then times Mine tiltak, a
tiltak page, the dashboard, a filtered tiltak list, the network register, a network page and the arenas feed
through Django's test client, one process per size, the two sizes in turns of a few requests each (so that a
shared machine's changing speed falls on both alike). Prints median and p95 per page and size and the p95 ratio
(targets: the dashboard under 3×; Mine tiltak, the filtered list and the dashboard at most 1.5×, issue 19).

    .venv/bin/python bench/pages.py [--runs 40]
"""

import argparse
import datetime
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # no query log kept in memory while timing


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def grow(programme, factor, statusmeldinger_total, author_by_enhet, fallback_author):
    """Copy every tiltak (with its Ansvar) until there are ``factor`` times as many, then add statusmeldinger."""
    from tiltak.models import Ansvar, Statusmelding, Tiltak
    from tiltak.services import current_status_refresh

    originals = list(
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).prefetch_related("ansvar")
    )
    next_number = {}
    for tiltak in originals:
        next_number[tiltak.innsatsomraade_id] = max(next_number.get(tiltak.innsatsomraade_id, 0), tiltak.nummer)
    new_tiltak, ansvar_of = [], []
    for copy in range(1, factor):
        for tiltak in originals:
            next_number[tiltak.innsatsomraade_id] += 1
            new_tiltak.append(
                Tiltak(
                    innsatsomraade_id=tiltak.innsatsomraade_id,
                    nummer=next_number[tiltak.innsatsomraade_id],
                    tekst=f"{tiltak.tekst} (kopi {copy})",
                )
            )
            ansvar_of.append(list(tiltak.ansvar.all()))
    created = Tiltak.objects.bulk_create(new_tiltak, batch_size=1000)
    Ansvar.objects.bulk_create(
        [
            Ansvar(tiltak=t, aktoer_id=a.aktoer_id, enhet_id=a.enhet_id, rolle=a.rolle)
            for t, ansvar in zip(created, ansvar_of, strict=True)
            for a in ansvar
        ],
        batch_size=2000,
    )
    everything = list(
        Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).prefetch_related("ansvar")
    )
    rng = random.Random(100)  # noqa: S311 -- reproducible benchmark data, not security
    statuses = ["ikke_startet", "paagaar", "paagaar", "fullfoert", "utsatt", "avbrutt"]
    rows = []
    for i in range(statusmeldinger_total):
        tiltak = everything[i % len(everything)]
        ansvar = tiltak.ansvar.all()
        author = next((author_by_enhet[a.enhet_id] for a in ansvar if a.enhet_id in author_by_enhet), fallback_author)
        rows.append(
            Statusmelding(
                tiltak=tiltak,
                author=author,
                date=datetime.date(rng.randint(2020, 2023), rng.randint(1, 12), rng.randint(1, 28)),
                status=rng.choice(statuses),
                vurdering=rng.choice(["i_rute", "risiko", "avvik"]),
                gjennomfoert="Benchmark-statusmelding.",
                resultater="Resultat.",
            )
        )
    Statusmelding.objects.bulk_create(rows, batch_size=2000)
    current_status_refresh()  # bulk_create sends no signal: the tiltak's kept current status, as a save would set it


def add_deltagelser(total: int, author) -> None:
    """Bring the number of deltagelser up to ``total``, spread over every network and the programme years, three in
    four reported back (so the feed has as many rows to choose from as it would)."""
    from django.utils import timezone

    from nettverk.models import Deltagelse, Nettverk

    networks = list(Nettverk.objects.order_by("pk"))
    existing = Deltagelse.objects.count()
    now = timezone.now()
    rows = []
    for i in range(existing, total):
        reported = i % 4 != 0
        rows.append(
            Deltagelse(
                nettverk=networks[i % len(networks)],
                tittel=f"Møte {i}",
                start=datetime.date(2020, 1, 1) + datetime.timedelta(days=i % 1460),
                nivaa="politisk" if i % 3 == 0 else "administrativ",
                status="rapportert" if reported else "planlagt",
                reported_at=now - datetime.timedelta(minutes=i) if reported else None,
                formaal="Formål",
                referat="Hva som skjedde og ble vedtatt. " * 8 if reported else "",
                created_by=author,
            )
        )
    Deltagelse.objects.bulk_create(rows, batch_size=2000)


PAGES = {
    "mine tiltak": "/mine-tiltak/",
    "tiltak page": "/program/{slug}/tiltak/2.1.2/",
    "dashboard": "/oversikt/",
    "filtered list": "/tiltak/?omraade=2&status=paagaar&aar=2022",
    "network register": "/nettverk/",
    "network page": "/nettverk/nsc-transport/",
    "arenas feed": "/arenaer/siste/",
}
BLOCK = 5  # requests to one size before the other takes its turn


def fill(database_url: str) -> None:
    """The 1× database: the real programme, the demo users and status reports, 200 deltagelser."""
    setup_django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from handlingsprogram.models import User
    from portal.demo import demo_statusmeldinger_create, demo_users_create
    from portal.loader import programme_file_load

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    demo_statusmeldinger_create()
    add_deltagelser(200, User.objects.get(username="koordinator"))  # about what four programme years give


def grow_to(database_url: str, factor: int) -> None:
    """A copy of the 1× database grown to ``factor``×, with fresh planner statistics (as autovacuum would leave a
    production database in steady state)."""
    setup_django(database_url)
    from django.db import connection

    from handlingsprogram.models import Handlingsprogram, User
    from tiltak.models import Statusmelding

    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}
    start = time.perf_counter()
    grow(Handlingsprogram.objects.get(), factor, 100_000 - Statusmelding.objects.count(), authors, koordinator)
    add_deltagelser(200 * factor, koordinator)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"(filled to {factor}× in {time.perf_counter() - start:.1f} s)", flush=True)


def copy_database(source_url: str, target_url: str) -> None:
    """The grown size starts as a copy of the 1× database: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE``
    on PostgreSQL (the server's role must be allowed to create databases)."""
    if source_url.startswith("sqlite"):
        shutil.copyfile(source_url.removeprefix("sqlite:///"), target_url.removeprefix("sqlite:///"))
        return
    import psycopg2
    from psycopg2 import sql

    source, target = urlsplit(source_url), urlsplit(target_url)
    admin = psycopg2.connect(source._replace(path="/postgres").geturl())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(target.path.lstrip("/"))))
        cursor.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target.path.lstrip("/")), sql.Identifier(source.path.lstrip("/"))
            )
        )
    admin.close()


def serve_timings(database_url: str, pipe) -> None:
    """One size's timer: logs in, warms every page up (template compilation, connection), reports its counts,
    then times ``(page, n)`` requests as the parent asks until it sends None."""
    setup_django(database_url)
    from django.db import connection
    from django.test import Client

    from handlingsprogram.models import Handlingsprogram, User
    from nettverk.models import Deltagelse
    from tiltak.models import Statusmelding, Tiltak

    client = Client()
    client.force_login(User.objects.get(username="koordinator"))
    staff_client = Client()
    staff_client.force_login(User.objects.get(username="saksbehandler-utdanning"))
    slug = Handlingsprogram.objects.get().slug
    pages = {
        name: (staff_client if name == "mine tiltak" else client, url.format(slug=slug)) for name, url in PAGES.items()
    }
    for page_client, url in pages.values():
        page_client.get(url)
    counts = (
        f"{Tiltak.objects.count():,} tiltak, {Statusmelding.objects.count():,} statusmeldinger, "
        f"{Deltagelse.objects.count():,} deltagelser ({connection.vendor})"
    )
    pipe.send(counts)
    while (request := pipe.recv()) is not None:
        name, n = request
        page_client, url = pages[name]
        timings = []
        for _ in range(n):
            start = time.perf_counter()
            response = page_client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        pipe.send(timings)


def in_child(target, *args) -> None:
    """Run ``target`` in a process of its own (each sets Django up on its own database) and wait for it."""
    process = multiprocessing.get_context("fork").Process(target=target, args=args)
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed (exit code {process.exitcode})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40, help="requests per page and size (default 40)")
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    small_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch.name}/small.sqlite3"
    if small_url.startswith("sqlite"):
        large_url = f"sqlite:///{scratch.name}/large.sqlite3"
    else:
        parts = urlsplit(small_url)
        large_url = parts._replace(path=f"{parts.path}_{args.factor}x").geturl()
    in_child(fill, small_url)
    copy_database(small_url, large_url)
    in_child(grow_to, large_url, args.factor)

    # Both sizes are timed in turns, a block of requests each, so that a machine that slows down or speeds up
    # during the run (a shared one does, by up to 2× over minutes) weighs on both sizes alike.
    sizes = {"1×": small_url, f"{args.factor}×": large_url}
    context = multiprocessing.get_context("fork")
    timers = {}
    for label, url in sizes.items():
        parent_end, child_end = context.Pipe()
        process = context.Process(target=serve_timings, args=(url, child_end))
        process.start()
        timers[label] = (parent_end, process)
    for label, (pipe, _process) in timers.items():
        print(f"{label}: {pipe.recv()}")
    results = {label: {name: [] for name in PAGES} for label in sizes}
    rounds = -(-args.runs // BLOCK)
    for round_number in range(rounds):
        order = list(timers) if round_number % 2 == 0 else list(reversed(timers))
        for name in PAGES:
            for label in order:
                pipe, _process = timers[label]
                pipe.send((name, min(BLOCK, args.runs - round_number * BLOCK)))
                results[label][name].extend(pipe.recv())
    for pipe, process in timers.values():
        pipe.send(None)
        process.join()

    small, large = (
        {name: (statistics.median(times), percentile(times, 0.95)) for name, times in results[label].items()}
        for label in sizes
    )
    print(f"\n{'page':<16} {'1× median / p95':>22} {f'{args.factor}× median / p95':>24} {'p95 ratio':>10}")
    for name in PAGES:
        (m1, p1), (m2, p2) = small[name], large[name]
        print(
            f"{name:<16} {m1 * 1000:9.1f} / {p1 * 1000:6.1f} ms {m2 * 1000:11.1f} / {p2 * 1000:6.1f} ms {p2 / p1:10.2f}"
        )
    print(
        f"\n{args.runs} requests per page and size, the sizes in turns of {BLOCK}; "
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )


if __name__ == "__main__":
    main()
