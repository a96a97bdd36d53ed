"""Benchmark: the staff pages at 1× and 100× the programme.

Fills a scratch database (default: SQLite in a temporary file; set BENCH_DATABASE_URL for PostgreSQL) with the
real 2020–2023 programme and 200 deltagelser, times Mine tiltak, a tiltak page, the dashboard, a filtered tiltak
list, the network register, a network page and the arenas feed through Django's test client, then grows the
programme to 100× (4,500 tiltak, 100,000 statusmeldinger, 20,000 deltagelser) and times them again.
Prints median and p95 per page and size, and the dashboard's p95 ratio (target: under 3×).

    .venv/bin/python bench/pages.py [--runs 20]
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

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


def time_pages(client, pages, runs):
    results = {}
    for name, url in pages.items():
        client.get(url)  # warm-up: template compilation, connection
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = (statistics.median(timings), percentile(timings, 0.95))
    return results


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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    setup_django(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{scratch.name}/bench.sqlite3")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from handlingsprogram.models import Handlingsprogram, User
    from portal.demo import demo_statusmeldinger_create, demo_users_create
    from portal.loader import programme_file_load
    from tiltak.models import Statusmelding, Tiltak

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    demo_statusmeldinger_create()
    programme = Handlingsprogram.objects.get()
    saksbehandler = User.objects.get(username="saksbehandler-utdanning")
    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}

    client = Client()
    client.force_login(koordinator)
    staff_client = Client()
    staff_client.force_login(saksbehandler)
    tiltak_url = f"/program/{programme.slug}/tiltak/2.1.2/"
    pages = {
        "mine tiltak": "/mine-tiltak/",
        "tiltak page": tiltak_url,
        "dashboard": "/oversikt/",
        "filtered list": "/tiltak/?omraade=2&status=paagaar&aar=2022",
        "network register": "/nettverk/",
        "network page": "/nettverk/nsc-transport/",
        "arenas feed": "/arenaer/siste/",
    }

    def measure(label):
        tiltak = Tiltak.objects.count()
        meldinger = Statusmelding.objects.count()
        from nettverk.models import Deltagelse

        deltagelser = Deltagelse.objects.count()
        counts = f"{tiltak:,} tiltak, {meldinger:,} statusmeldinger, {deltagelser:,} deltagelser"
        print(f"\n{label}: {counts} ({connection.vendor})")
        results = {}
        for name, url in pages.items():
            results.update(time_pages(staff_client if name == "mine tiltak" else client, {name: url}, args.runs))
            median, p95 = results[name]
            print(f"  {name:<16} median {median * 1000:8.1f} ms   p95 {p95 * 1000:8.1f} ms")
        return results

    add_deltagelser(200, koordinator)  # about what four programme years give
    small = measure("1×")
    start = time.perf_counter()
    grow(programme, args.factor, 100_000 - Statusmelding.objects.count(), authors, koordinator)
    add_deltagelser(200 * args.factor, koordinator)
    # Fresh statistics and visibility map, as autovacuum would leave a production database in steady state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"\n(filled to {args.factor}× in {time.perf_counter() - start:.1f} s)")
    large = measure(f"{args.factor}×")

    ratio = large["dashboard"][1] / small["dashboard"][1]
    print(f"\ndashboard p95 {args.factor}× / 1× = {ratio:.2f} (target < 3)")
    for name in pages:
        print(f"  {name:<16} p95 ratio {large[name][1] / small[name][1]:.2f}")
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {connection.vendor}")


if __name__ == "__main__":
    main()
