"""Benchmark: where one partner-API request's time goes, and what each path costs (issue 19).

Needs PostgreSQL: BENCH_DATABASE_URL names a scratch database, which is FLUSHED and filled with the 2020–2023
programme grown to 10× as `make loadtest` fills it (bench/pages.py's growth: 450 tiltak, 8,000 statusmeldinger);
``--keep`` reuses what an earlier run filled (so the tree before a change can be timed on the same data).

Settings as production has them where it matters here: the rate limits counted in the database cache table
(DJANGO_CACHE=database, the default with DEBUG off; rates set out of reach as `make loadtest` does, the throttles
still run), DEBUG off while timing. In-process with Django's test client, anonymous, every middleware included.

For each path: median and p95 over ``--runs`` requests, the queries (and how many touch the cache table), and
then a profile of the full tiltak page split into parts (throttle, authentication, list queries, serialisation,
rendering, ETag, logging, the rest).

    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/api_paths.py [--runs 50] [--keep]
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess  # noqa: S404
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402 -- bench/pages.py: setup_django, percentile, grow

FACTOR = 10
STATUSMELDINGER = 8_000
DEEP_PAGE = 100  # of statusmeldinger, 20 a page: the 2,000th row onwards
DEEP_SIZE = 20

# Profile parts: a function (file suffix, name) whose cumulative time is that part; an indented part is inside
# the one above it.
PARTS = [
    ("throttle (rate-limit counters)", "rest_framework/views.py", "check_throttles"),
    ("authentication", "rest_framework/views.py", "perform_authentication"),
    ("data version (ETag)", "felles/api/common.py", "data_version"),
    ("list queries (count + page)", "rest_framework/pagination.py", "paginate_queryset"),
    ("serialisation incl. relations", "tiltak/api/serializers.py", "to_representation"),
    ("  of which relations queries", "tiltak/selectors.py", "tiltak_relations"),
    ("JSON rendering", "rest_framework/renderers.py", "render"),
    ("request log line", "logging/__init__.py", "info"),
]


def timed(call, runs):
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        call()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times), pages.percentile(times, 0.95)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="reuse the data an earlier run filled")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/api_paths.py needs PostgreSQL: BENCH_DATABASE_URL=postgres://… (a scratch database, flushed)")
    os.environ["DJANGO_CACHE"] = "database"
    for name in ("DJANGO_API_RATE_ANONYMOUS", "DJANGO_API_RATE_PARTNER", "DJANGO_API_RATE_USER"):
        os.environ[name] = "1000000/minute"
    os.environ.setdefault("DJANGO_LOG_FORMAT", "json")  # the request line is written, as in production
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    pages.setup_django(url)

    import logging

    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from felles.api import common
    from handlingsprogram.models import Handlingsprogram, User
    from tiltak.models import Statusmelding, Tiltak

    # The request lines go to a null stream: what is timed is building and writing them, not the terminal.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(open(os.devnull, "w"))  # noqa: SIM115 -- for the process's life

    if not args.keep:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("load_programme", verbosity=0)
        programme = Handlingsprogram.objects.get()
        koordinator = User.objects.create_user(username="bench-koordinator", rolle="koordinator", is_staff=True)
        authors = {
            enhet: User.objects.create_user(username=f"bench-{enhet}", rolle="saksbehandler", enhet_id=enhet)
            for enhet in set(Tiltak.objects.values_list("ansvar__enhet", flat=True)) - {None}
        }
        pages.grow(programme, FACTOR, STATUSMELDINGER, authors, koordinator)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"data: {Tiltak.objects.count():,} tiltak, {Statusmelding.objects.count():,} statusmeldinger")
    tree = subprocess.run(["git", "log", "--oneline", "-1"], cwd=ROOT, capture_output=True, text=True).stdout  # noqa: S607
    print(f"tree: {tree.strip()}; load: {os.getloadavg()}")

    client = Client()
    tiltak_list = "/api/v1/tiltak/?page_size=50"
    meldinger = "/api/v1/statusmeldinger/"
    memory = getattr(common, "VersionedListMixin", None)

    def forget_bodies():
        if memory is not None:
            caches["api_responses"].clear()

    def full_tiltak():
        forget_bodies()
        response = client.get(tiltak_list)
        assert response.status_code == 200, response.status_code
        return response

    etag = full_tiltak()["ETag"]

    def conditional():
        response = client.get(tiltak_list, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, response.status_code

    def repeated():
        assert client.get(tiltak_list).status_code == 200

    def page(number):
        def get():
            forget_bodies()
            response = client.get(meldinger, {"page": number, "page_size": DEEP_SIZE})
            assert response.status_code == 200, response.status_code

        return get

    paths = {
        "tiltak page of 50 (full work)": full_tiltak,
        "tiltak page of 50, If-None-Match matching (304)": conditional,
        "tiltak page of 50, repeated (no If-None-Match)": repeated,
        f"statusmeldinger page 1 of {DEEP_SIZE}": page(1),
        f"statusmeldinger page {DEEP_PAGE} of {DEEP_SIZE} (page=)": page(DEEP_PAGE),
    }
    first = client.get(meldinger, {"page_size": DEEP_SIZE}).json()
    if "next_cursor" in first:
        cursor = first["next_cursor"]
        for _ in range(DEEP_PAGE - 2):
            cursor = client.get(meldinger, {"page_size": DEEP_SIZE, "cursor": cursor}).json()["next_cursor"]
        by_page = client.get(meldinger, {"page_size": DEEP_SIZE, "page": DEEP_PAGE}).json()["results"]
        by_cursor = client.get(meldinger, {"page_size": DEEP_SIZE, "cursor": cursor}).json()["results"]
        assert [r["id"] for r in by_page] == [r["id"] for r in by_cursor], "cursor and page disagree"

        def deep_cursor():
            forget_bodies()
            assert client.get(meldinger, {"page_size": DEEP_SIZE, "cursor": cursor}).status_code == 200

        paths[f"statusmeldinger page {DEEP_PAGE} of {DEEP_SIZE} (cursor=)"] = deep_cursor

    def queries_of(call):
        seen = []

        def record(execute, sql, params, many, context):
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                seen.append((sql, (time.perf_counter() - begin) * 1000))

        with connection.execute_wrapper(record):
            call()
        return seen

    print(f"\n{'path':<58} {'median':>9} {'p95':>9} {'queries':>8} {'in SQL':>9} {'cache-table':>11}")
    slowest = {}
    for name, call in paths.items():
        call()  # warm
        seen = queries_of(call)
        cache_queries = sum("portal_cache" in sql for sql, _ in seen)
        median, p95 = timed(call, args.runs)
        sql_ms = sum(ms for _, ms in seen)
        print(f"{name:<58} {median:7.1f} ms {p95:7.1f} ms {len(seen):>8} {sql_ms:6.1f} ms {cache_queries:>11}")
        slowest[name] = sorted(seen, key=lambda item: -item[1])[:3]
    print("\nslowest statements of one request each:")
    for name, statements in slowest.items():
        for sql, ms in statements:
            print(f"  {name[:40]:<40} {ms:6.1f} ms  {' '.join(sql.split())[:110]}")

    # Where the full tiltak page's time goes.
    profile = cProfile.Profile()
    runs = max(10, args.runs // 2)
    begin = time.perf_counter()
    profile.enable()
    for _ in range(runs):
        full_tiltak()
    profile.disable()
    total = (time.perf_counter() - begin) * 1000 / runs
    stats = pstats.Stats(profile).stats
    parts: dict[str, float] = {}
    for part, suffix, name in PARTS:
        parts.setdefault(part, 0.0)
        for (filename, _, function), (_, _, _, cumulative, _) in stats.items():
            if function == name and filename.endswith(suffix):
                parts[part] += cumulative * 1000 / runs
    print(f"\nprofile of the full tiltak page ({runs} requests under cProfile, {total:.1f} ms each with its overhead):")
    for part, ms in parts.items():
        print(f"  {part:<34} {ms:6.1f} ms")
    outer = sum(ms for part, ms in parts.items() if not part.startswith(" "))
    print(f"  {'everything else':<34} {total - outer:6.1f} ms (middleware, filters, routing, ETag, …)")


if __name__ == "__main__":
    main()
