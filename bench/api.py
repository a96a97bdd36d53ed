"""Benchmark: the partner API's tiltak list against a raw psycopg2 query and json.dumps of the same data.

Needs PostgreSQL: set BENCH_DATABASE_URL to a scratch database, which is FLUSHED. Loads the real 2020–2023
programme and the demo status reports, grows the programme to 25× (1,125 tiltak with their Ansvar, 20,000
statusmeldinger), runs VACUUM ANALYZE, then lists the first 100 and the first 1,000 tiltak of the programme

- through the API, in-process with Django's test client (``GET /api/v1/tiltak/?handlingsprogram=…&page_size=N``,
  anonymous, every middleware, filter, pagination count, serializer, JSON renderer and ETag included), and
- through one psycopg2 connection running hand-written SQL for the same rows (the count, one query for the
  tiltak with their area, focus area, programme and latest valid statusmelding, one query each for Ansvar,
  SDGs, goals and networks), building the same nested dicts in Python and ``json.dumps`` them to bytes.

The two are timed alternately, run after run, so that load from elsewhere on the machine hits both alike.
Before timing, the script checks that both give the same ``count`` and ``results``. Prints median and p95 of
each, and the ratio of the medians (target: API at most 2.5× the raw baseline).

    BENCH_DATABASE_URL=postgres://… DJANGO_DEBUG=1 .venv/bin/python bench/api.py [--runs 30]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 -- bench/pages.py: setup_django, percentile, grow

SIZES = (100, 1000)
TARGET = 2.5

# The latest valid statusmelding by a LATERAL join (what one would write by hand), and the same order as the API.
RAW_TILTAK = """
    SELECT t.id, t.nummer, t.tekst, t.updated_at, i.nummer, i.navn, o.nummer, o.slug, o.navn, h.slug,
           s.status, s.vurdering, s.date
    FROM tiltak_tiltak t
    JOIN handlingsprogram_innsatsomraade i ON i.id = t.innsatsomraade_id
    JOIN handlingsprogram_prioritertomraade o ON o.id = i.omraade_id
    JOIN handlingsprogram_handlingsprogram h ON h.id = o.handlingsprogram_id
    LEFT JOIN LATERAL (
        SELECT m.status, m.vurdering, m.date FROM tiltak_statusmelding m
        WHERE m.tiltak_id = t.id AND m.withdrawn_at IS NULL
        ORDER BY m.date DESC, m.created_at DESC, m.id DESC
        LIMIT 1
    ) s ON true
    WHERE h.slug = %s
    ORDER BY h.start_year, o.handlingsprogram_id, o.nummer, i.nummer, t.nummer
    LIMIT %s
"""
RAW_COUNT = """
    SELECT count(*) FROM tiltak_tiltak t
    JOIN handlingsprogram_innsatsomraade i ON i.id = t.innsatsomraade_id
    JOIN handlingsprogram_prioritertomraade o ON o.id = i.omraade_id
    JOIN handlingsprogram_handlingsprogram h ON h.id = o.handlingsprogram_id
    WHERE h.slug = %s
"""
RAW_ANSVAR = """
    SELECT a.tiltak_id, a.rolle, TRUE, k.slug, k.navn, e.slug, e.navn  -- utledet: every rolle is inferred
    FROM tiltak_ansvar a
    JOIN handlingsprogram_aktoer k ON k.id = a.aktoer_id
    LEFT JOIN handlingsprogram_enhet e ON e.id = a.enhet_id
    WHERE a.tiltak_id = ANY(%s)
    ORDER BY a.tiltak_id, a.rolle, k.navn, e.navn
"""
RAW_SDGS = """
    SELECT tb.tiltak_id, b.nummer FROM tiltak_tiltak_baerekraftsmaal tb
    JOIN handlingsprogram_baerekraftsmaal b ON b.id = tb.baerekraftsmaal_id
    WHERE tb.tiltak_id = ANY(%s) ORDER BY tb.tiltak_id, b.nummer
"""
RAW_GOALS = """
    SELECT tm.tiltak_id, d.slug, m.nummer FROM tiltak_tiltak_maal tm
    JOIN handlingsprogram_maal m ON m.id = tm.maal_id
    JOIN handlingsprogram_styringsdokument d ON d.id = m.styringsdokument_id
    WHERE tm.tiltak_id = ANY(%s) ORDER BY tm.tiltak_id, d.rekkefoelge, m.nummer
"""
RAW_NETWORKS = """
    SELECT nt.tiltak_id, n.slug FROM nettverk_nettverk_tiltak nt
    JOIN nettverk_nettverk n ON n.id = nt.nettverk_id
    WHERE nt.tiltak_id = ANY(%s) ORDER BY nt.tiltak_id, n.navn
"""


def raw_list(cursor, slug: str, size: int, base: str) -> bytes:
    """The API's first page of ``size`` tiltak, by hand: six queries, plain dicts, json.dumps."""
    cursor.execute(RAW_COUNT, (slug,))
    (count,) = cursor.fetchone()
    cursor.execute(RAW_TILTAK, (slug, size))
    rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    ansvar, sdgs, goals, networks = {}, {}, {}, {}
    cursor.execute(RAW_ANSVAR, (ids,))
    for tiltak_id, rolle, utledet, aktoer, aktoer_navn, enhet, enhet_navn in cursor.fetchall():
        ansvar.setdefault(tiltak_id, []).append(
            {
                "rolle": rolle,
                "aktoer": aktoer,
                "aktoer_navn": aktoer_navn,
                "enhet": enhet,
                "enhet_navn": enhet_navn,
                "utledet": utledet,
            }
        )
    cursor.execute(RAW_SDGS, (ids,))
    for tiltak_id, nummer in cursor.fetchall():
        sdgs.setdefault(tiltak_id, []).append(nummer)
    cursor.execute(RAW_GOALS, (ids,))
    for tiltak_id, dokument, nummer in cursor.fetchall():
        goals.setdefault(tiltak_id, []).append(f"{dokument}#{nummer}")
    cursor.execute(RAW_NETWORKS, (ids,))
    for tiltak_id, nettverk in cursor.fetchall():
        networks.setdefault(tiltak_id, []).append(nettverk)
    results = []
    for tid, nummer, tekst, updated_at, i_nummer, i_navn, o_nummer, o_slug, o_navn, program, status, vurd, dato in rows:
        innsats = f"{o_nummer}.{i_nummer}"
        kode = f"{innsats}.{nummer}"
        results.append(
            {
                "handlingsprogram": program,
                "kode": kode,
                "tekst": tekst,
                "omraade": {"nummer": o_nummer, "slug": o_slug, "navn": o_navn},
                "innsatsomraade": {"kode": innsats, "navn": i_navn},
                "status": status,
                "vurdering": vurd,
                "siste_statusmelding": dato.isoformat() if dato else None,
                "ansvar": ansvar.get(tid, []),
                "baerekraftsmaal": sdgs.get(tid, []),
                "maal": goals.get(tid, []),
                "nettverk": networks.get(tid, []),
                "url": f"{base}/api/v1/tiltak/{program}/{kode}/",
                "portal_url": f"{base}/program/{program}/tiltak/{kode}/",
                "statusmeldinger_url": f"{base}/api/v1/statusmeldinger/?handlingsprogram={program}&tiltak={kode}",
                "updated_at": updated_at.isoformat(),  # the session's time zone is the portal's, as DRF renders
            }
        )
    next_page = f"{base}/api/v1/tiltak/?handlingsprogram={slug}&page=2&page_size={size}" if count > size else None
    document = {"count": count, "next": next_page, "previous": None, "results": results}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def machine(cursor) -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cursor.execute("SHOW server_version")
    (server,) = cursor.fetchone()
    import django

    return (
        f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {server.split()[0]}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each, per size (default 30)")
    parser.add_argument("--factor", type=int, default=25, help="grow the 45-tiltak programme to this many times")
    parser.add_argument("--statusmeldinger", type=int, default=20_000)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/api.py needs PostgreSQL: set BENCH_DATABASE_URL=postgres://… to a scratch database (flushed!).")
    # The anonymous client's rate limit (60/minute) would answer 429 within the first page of runs; the
    # throttles still run on every request, with limits the benchmark cannot reach.
    for name in ("DJANGO_API_RATE_ANONYMOUS", "DJANGO_API_RATE_PARTNER", "DJANGO_API_RATE_USER"):
        os.environ[name] = "1000000/s"
    # WhiteNoise looks for collected static files, which the benchmark does not need (as in pyproject's pytest).
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    pages.setup_django(url)

    import psycopg2
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from felles.api.common import PortalPagination
    from handlingsprogram.models import Handlingsprogram, User
    from portal.demo import demo_statusmeldinger_create, demo_users_create
    from portal.loader import programme_file_load
    from tiltak.models import Statusmelding, Tiltak

    call_command("migrate", verbosity=0)  # first, so that a new, empty database works too
    call_command("flush", interactive=False, verbosity=0)
    start = time.perf_counter()
    programme_file_load(path=ROOT / "fixtures" / "handlingsprogram-2020-2023.toml")
    demo_users_create()
    demo_statusmeldinger_create()
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.get(username="koordinator")
    authors = {u.enhet_id: u for u in User.objects.filter(rolle="saksbehandler")}
    pages.grow(programme, args.factor, args.statusmeldinger - Statusmelding.objects.count(), authors, koordinator)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    tiltak, meldinger = Tiltak.objects.count(), Statusmelding.objects.count()
    print(
        f"data: {tiltak:,} tiltak, {meldinger:,} statusmeldinger ({args.factor}×, filled in "
        f"{time.perf_counter() - start:.1f} s, then VACUUM ANALYZE)"
    )
    if tiltak < max(SIZES):
        sys.exit(f"only {tiltak} tiltak: raise --factor")

    # 1,000 tiltak as one page (one request) rather than two pages of 500: lifted in this process only.
    default_max = PortalPagination.max_page_size
    PortalPagination.max_page_size = max(SIZES)
    print(
        f"pagination: PortalPagination.max_page_size raised {default_max} → {max(SIZES)} in this process, "
        f"so each size is one request (page 1, page_size=N; the API's COUNT included)"
    )
    print("throttles: on, rates set to 1000000/s; client: anonymous django.test.Client, JSON")
    print(
        "raw: psycopg2, 6 queries (COUNT; tiltak+area+focus area+programme+latest statusmelding via LATERAL; "
        "Ansvar; SDGs; goals; networks) + dicts + json.dumps, same document as the API"
    )

    raw = psycopg2.connect(url)
    raw.autocommit = True
    cursor = raw.cursor()
    cursor.execute("SET TIME ZONE %s", (settings.TIME_ZONE,))
    client = Client()
    base = "http://testserver"

    def api_list(size):
        response = client.get("/api/v1/tiltak/", {"handlingsprogram": programme.slug, "page_size": size})
        assert response.status_code == 200, (size, response.status_code)
        return response.content

    results = {}
    for size in SIZES:
        from_api, from_raw = json.loads(api_list(size)), json.loads(raw_list(cursor, programme.slug, size, base))
        for key in ("count", "results"):
            assert from_api[key] == from_raw[key], f"the API and the raw baseline differ in {key!r} for {size}"
        assert len(from_api["results"]) == size
        for _ in range(2):  # warm-up
            api_list(size)
            raw_list(cursor, programme.slug, size, base)
        api_times, raw_times = [], []
        for _ in range(args.runs):
            begin = time.perf_counter()
            api_list(size)
            api_times.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            raw_list(cursor, programme.slug, size, base)
            raw_times.append(time.perf_counter() - begin)
        results[size] = (
            (statistics.median(api_times), pages.percentile(api_times, 0.95)),
            (statistics.median(raw_times), pages.percentile(raw_times, 0.95)),
        )

    print(f"\n{'tiltak':>7}  {'API median':>10}  {'API p95':>9}  {'raw median':>10}  {'raw p95':>9}  ratio (medians)")
    for size, ((api_median, api_p95), (raw_median, raw_p95)) in results.items():
        ratio = api_median / raw_median
        verdict = "ok" if ratio <= TARGET else "ABOVE TARGET"
        print(
            f"{size:>7,}  {api_median * 1000:7.1f} ms  {api_p95 * 1000:6.1f} ms  {raw_median * 1000:7.1f} ms  "
            f"{raw_p95 * 1000:6.1f} ms  {ratio:5.2f}× (target ≤ {TARGET}×: {verdict})"
        )
    print(f"\n{args.runs} runs each, alternating API and raw; machine: {machine(cursor)}")
    raw.close()


if __name__ == "__main__":
    main()
