# ruff: noqa: S603 -- runs our own scripts, manage.py, locust and deploy/serve.sh with fixed arguments
"""`make loadtest`: the production path under a mixed load, with faults on request (issue 19).

Starts a throwaway PostgreSQL 15 (tests/processes.py's ThrowawayPostgres: initdb, fsync off), fills it with the
2020–2023 programme grown to 10× (bench/pages.py's growth: 450 tiltak with their Ansvar, 8,000 statusmeldinger),
staff, a coordinator, partner API tokens, 400 deltagelser and a draft annual report, then starts the production
path exactly as `make serve` does (deploy/serve.sh: gunicorn with WEB_CONCURRENCY workers and the task worker, DEBUG
off) and drives it with Locust from several processes (bench/locustfile.py): the users start five a second (the
ramp: the staff log in), then every user runs for LOADTEST_SECONDS (default 60), the window the figures cover:

- anonymous visitors: the programme, area and tiltak pages, the API's tiltak and statusmeldinger lists with
  filters, repeated with If-None-Match (conditional GETs);
- partners with API tokens: the same API lists, conditional;
- staff: log in, post statusmeldinger, edit their deltagelser, upload attachments, read "Mine tiltak";
- one coordinator: queues a draft PDF of the annual report and follows its progress page.

Then it measures /healthz on the same server for 10 s (the anchor: what the machine gives a request that does
nothing), and checks every acknowledged write against the database: a statusmelding or an attachment that got a
success answer must be there, each deltagelse must hold the last edit its (only) editor was told was saved, and
each PDF generation that was acknowledged must exist. It prints throughput and p50/p95/p99 per kind of request,
the errors by status, a line for the ramp (its requests, logins and errors, from the requests' log), and ends with
one line, where N, R and P are the window's and E counts the ramp's errors too:

    loadtest: <N> requests, <R> req/s, p95 <P> ms, errors <E>, acknowledged writes lost <L>

FAULT (optional) breaks something a third of the way into the window:
- ``db-restart``: PostgreSQL is stopped (fast shutdown, cutting every connection) and started 3 s later. Requests in
  the outage must get 503 with Retry-After, never 500; /readyz must say 503; /readyz must be 200 again within 5 s
  of the database being back; no acknowledged write may be lost.
- ``worker-kill``: the task worker is killed with SIGKILL while it lays out a PDF, and a new one started (as
  systemd would). The PDF must be made again (attempt 2) and its progress page must say so.
- ``gunicorn-kill``: one gunicorn worker is killed with SIGKILL. At most the request in flight on it may fail
  (synchronous workers: one each); gunicorn starts a new worker.

Exit status 1 when a request answered 500, an acknowledged write was lost, or the fault's check failed.

    make loadtest [FAULT=db-restart|worker-kill|gunicorn-kill] [LOADTEST_SECONDS=60] [LOADTEST_USERS=80]
"""

import csv
import datetime
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PY = str(ROOT / ".venv" / "bin" / "python")
FACTOR = 10
STATUSMELDINGER = 8_000
DELTAGELSER = 400
STAFF_DELTAGELSER = 300  # the first 300 belong to the staff accounts, one editor each (see locustfile)
PASSWORD = "loadtest-password-not-secret"  # noqa: S105 -- a throwaway database on loopback
FAULTS = ("db-restart", "worker-kill", "gunicorn-kill")
ANCHOR_SECONDS = 10


# --- inside Django: fill the database (run as a subprocess with the server's environment) -------------------------


def prepare(plan_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    import pages  # bench/pages.py: grow, add_deltagelser
    from django.core.management import call_command
    from django.db import connection

    from handlingsprogram.models import Enhet, Handlingsprogram, User
    from handlingsprogram.services import api_token_create
    from nettverk.models import Deltagelse
    from rapportering.services import aarsrapport_draft_create
    from tiltak.models import Statusmelding, Tiltak
    from tiltak.permissions import responsible_tiltak_ids

    call_command("migrate", verbosity=0)
    call_command("load_programme", verbosity=0)
    programme = Handlingsprogram.objects.get()
    koordinator = User.objects.create_user(
        username="lt-koordinator", password=PASSWORD, rolle="koordinator", is_staff=True, is_superuser=True
    )
    staff_units = list(Enhet.objects.filter(ansvar__isnull=False).distinct().order_by("pk"))
    staff = [
        User.objects.create_user(username=f"lt-staff-{i}", password=PASSWORD, rolle="saksbehandler", enhet=enhet)
        for i, enhet in enumerate(staff_units)
    ]
    pages.grow(programme, FACTOR, STATUSMELDINGER, {u.enhet_id: u for u in staff}, koordinator)
    pages.add_deltagelser(DELTAGELSER, koordinator)
    deltagelser = list(Deltagelse.objects.order_by("pk").values_list("pk", flat=True))
    owners = []
    upcoming = datetime.date.today() + datetime.timedelta(days=60)
    for i, pk in enumerate(deltagelser[:STAFF_DELTAGELSER]):
        owner = staff[i % len(staff)]
        # A meeting ahead, not yet reported back: what staff edit most (the form's rules for a report-back are
        # the tests' business, not the load's).
        Deltagelse.objects.filter(pk=pk).update(
            created_by=owner, status="planlagt", reported_at=None, referat="", start=upcoming, end=None
        )
        owners.append({"id": pk, "username": owner.username})
    codes = {}
    for user in staff:
        ids = responsible_tiltak_ids(user)
        codes[user.username] = [
            t.kode
            for t in Tiltak.objects.filter(pk__in=ids).select_related("innsatsomraade__omraade").order_by("pk")[:200]
        ]
    tokens = [api_token_create(user=koordinator, navn=f"Lasttest-partner {i}", aktoer=None)[1] for i in range(3)]
    draft = aarsrapport_draft_create(programme=programme, aar=2021, user=koordinator)
    some_tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).select_related(
        "innsatsomraade__omraade"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    plan = {
        "programme": programme.slug,
        "areas": list(programme.omraader.order_by("nummer").values_list("slug", flat=True)),
        "tiltak": [t.kode for t in some_tiltak.order_by("pk")[: 45 * FACTOR : 7]],
        "password": PASSWORD,
        "staff": {u.username: codes[u.username] for u in staff if codes[u.username]},
        "deltagelser": [d for d in owners if codes.get(d["username"])],
        "koordinator": koordinator.username,
        "aarsrapport": draft.pk,
        "tokens": tokens,
        "counts": {
            "tiltak": Tiltak.objects.count(),
            "statusmeldinger": Statusmelding.objects.count(),
            "deltagelser": len(deltagelser),
        },
    }
    plan_path.write_text(json.dumps(plan))


# --- outside: processes, faults, figures ----------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def find(root: int, needle: str) -> list[int]:
    """Descendants of ``root`` whose command line contains ``needle``."""
    result, todo = [], [root]
    while todo:
        for child in children(todo.pop()):
            todo.append(child)
            if needle in cmdline(child):
                result.append(child)
    return result


def get(url: str, timeout: float = 10):
    import requests

    try:
        return requests.get(url, timeout=timeout)
    except requests.RequestException:
        return None


def wait_until(check, limit: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(interval)
    raise SystemExit(f"loadtest: {what} not within {limit:.0f} s")


class Fault:
    """Breaks one thing a third of the way into the load and records what it saw."""

    def __init__(self, name, *, base, serve, postgres, env, tmp, plan, log):
        self.name, self.base, self.serve, self.postgres, self.env, self.tmp = name, base, serve, postgres, env, tmp
        self.plan, self.log = plan, log
        self.notes: list[str] = []
        self.failed: list[str] = []
        self.extra_processes: list[subprocess.Popen] = []
        self.generering_id: int | None = None

    def run(self, delay: float) -> None:
        time.sleep(delay)
        try:
            getattr(self, self.name.replace("-", "_"))()
        except Exception as error:  # noqa: BLE001 -- reported as the fault's failure, not a crash of the harness
            self.failed.append(f"{self.name}: {error!r}")

    def db_restart(self) -> None:
        self.postgres.stop()
        down_at = time.monotonic()
        self.notes.append("PostgreSQL stopped (fast shutdown)")
        time.sleep(0.5)
        readyz = get(self.base + "/readyz")
        api = get(self.base + "/api/v1/tiltak/?page_size=5")
        if readyz is None or readyz.status_code != 503:
            self.failed.append(f"/readyz during the outage: {readyz and readyz.status_code}")
        else:
            self.notes.append("/readyz during the outage: 503")
        if api is None or api.status_code != 503 or not api.headers.get("Retry-After"):
            self.failed.append(f"API during the outage: {api and api.status_code}, Retry-After {api and api.headers}")
        else:
            self.notes.append(f"API during the outage: 503, Retry-After: {api.headers['Retry-After']}")
        time.sleep(max(0.0, 3 - (time.monotonic() - down_at)))
        self.postgres.start()
        up_at = time.monotonic()
        self.notes.append(f"PostgreSQL started again after {up_at - down_at:.1f} s")
        wait_until(
            lambda: (r := get(self.base + "/readyz", timeout=5)) is not None and r.status_code == 200, 60, "/readyz"
        )
        back = time.monotonic() - up_at
        self.notes.append(f"/readyz 200 again {back:.2f} s after the database was back (target ≤ 5 s)")
        if back > 5:
            self.failed.append(f"service back {back:.1f} s after the database, not within 5 s")

    def worker_kill(self) -> None:
        import psycopg2

        url = self.postgres.url

        def generation_in_layout():
            with psycopg2.connect(url) as connection, connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM rapportering_pdfgenerering WHERE status = 'paagaar' AND steg >= 2 "
                    "ORDER BY id DESC LIMIT 1"
                )
                row = cursor.fetchone()
            return row and row[0]

        self.generering_id = wait_until(generation_in_layout, 120, "a PDF being laid out")
        workers = find(self.serve.pid, "db_worker")
        if not workers:
            raise RuntimeError("no db_worker process found under deploy/serve.sh")
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        self.notes.append(
            f"task worker {workers} killed with SIGKILL while laying out PDF generation {self.generering_id}"
        )
        time.sleep(1)
        log = (self.tmp / "worker-2.log").open("w")
        self.extra_processes.append(
            subprocess.Popen(
                [PY, "manage.py", "db_worker"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        self.notes.append("a new task worker started (as systemd would restart it)")

    def worker_kill_check(self) -> None:
        """After the load: the PDF made again, and its progress page saying so."""
        import psycopg2
        import requests

        if self.generering_id is None:
            return

        def finished():
            with psycopg2.connect(self.postgres.url) as connection, connection.cursor() as cursor:
                cursor.execute(
                    "SELECT status, forsoek, sider, feilmelding FROM rapportering_pdfgenerering WHERE id = %s",
                    (self.generering_id,),
                )
                row = cursor.fetchone()
            return row if row[0] in ("ferdig", "feilet") else None

        status, forsoek, sider, feilmelding = wait_until(finished, 300, "the killed PDF made again", interval=1)
        self.notes.append(f"PDF generation {self.generering_id}: {status}, attempt {forsoek}, {sider} pages")
        if status != "ferdig" or forsoek < 2:
            self.failed.append(f"the PDF was not made again: {status}, attempt {forsoek}, {feilmelding!r}")
            return
        session = requests.Session()
        login = session.get(self.base + "/konto/logg-inn/")
        session.post(
            self.base + "/konto/logg-inn/",
            data={
                "username": self.plan["koordinator"],
                "password": self.plan["password"],
                "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
            },
            headers={"Referer": login.url},
        )
        page = session.get(f"{self.base}/pdf-generering/{self.generering_id}/").text
        said = "Den ble laget på nytt etter at arbeideren som lagde den, stoppet." in page
        self.notes.append(f"its progress page says it was made again: {'yes' if said else 'NO'}")
        if not said:
            self.failed.append("the progress page does not say the PDF was made again")

    def gunicorn_kill(self) -> None:
        masters = [pid for pid in find(self.serve.pid, "gunicorn") if "gunicorn" in cmdline(pid)]
        master = min(masters)  # the master starts first; its workers are its children
        workers = [pid for pid in children(master) if "gunicorn" in cmdline(pid)]
        os.kill(workers[0], signal.SIGKILL)
        self.notes.append(f"gunicorn worker {workers[0]} killed with SIGKILL ({len(workers)} workers)")
        wait_until(
            lambda: len([p for p in children(master) if "gunicorn" in cmdline(p)]) >= len(workers),
            60,
            "gunicorn replacing the worker",
        )
        self.notes.append("gunicorn started a new worker")


def read_stats(prefix: Path) -> tuple[list[dict], list[dict]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as f:
        stats = list(csv.DictReader(f))
    with (prefix.parent / f"{prefix.name}_failures.csv").open() as f:
        failures = list(csv.DictReader(f))
    return stats, failures


def error_name(error: str) -> str:
    """A Locust failure as the table names it: "HTTP 503", or the exception when there was no answer."""
    error = re.sub(r"^CatchResponseError\('(.*)'\)$", r"\1", error)
    return re.sub(r"^HTTPError\('(\d{3}) .*$", r"HTTP \1", error)


def percentile(values: list[float], share: float) -> int:
    if not values:
        return 0
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(share * len(ordered)) - 1)])


def read_ramp(acks_dir: Path, ramp: int) -> dict:
    """The requests that ended before every user had started (bench/locustfile.py logs each one, and the moment
    each process had started its users): Locust's own figures begin after them."""
    rows = []
    for path in acks_dir.glob("requests-*.tsv"):
        for line in path.read_text().splitlines():
            ended, name, milliseconds, error = line.split("\t")
            rows.append((float(ended), name, float(milliseconds), error))
    spawned = [float(path.read_text()) for path in acks_dir.glob("spawned-*")]
    start = min((row[0] for row in rows), default=0.0)
    boundary = max(spawned) if spawned else start + ramp
    before = [row for row in rows if row[0] < boundary]
    errors: dict[str, int] = {}
    for row in before:
        if row[3]:
            errors[error_name(row[3])] = errors.get(error_name(row[3]), 0) + 1
    logins = [row[2] for row in before if row[1] == "login: post"]
    times = [row[2] for row in before]
    return {
        "requests": len(before),
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
        "errors": errors,
        "logins": len(logins),
        "login_p50": percentile(logins, 0.5),
        "login_p95": percentile(logins, 0.95),
    }


def check_acks(acks_dir: Path, url: str) -> tuple[int, int, list[str]]:
    """(acknowledged, lost, examples): every write the server said succeeded, looked up in the database."""
    import psycopg2

    records = []
    for path in acks_dir.glob("*.jsonl"):
        records += [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    lost, examples = 0, []
    last_edit: dict[int, dict] = {}
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        for record in records:
            kind = record["kind"]
            if kind == "statusmelding":
                cursor.execute("SELECT count(*) FROM tiltak_statusmelding WHERE gjennomfoert = %s", (record["text"],))
                found = cursor.fetchone()[0] == 1
            elif kind == "vedlegg":
                cursor.execute(
                    "SELECT count(*) FROM nettverk_vedlegg WHERE navn = %s AND deltagelse_id = %s",
                    (record["name"], record["deltagelse"]),
                )
                found = cursor.fetchone()[0] == 1
            elif kind == "pdf":
                cursor.execute("SELECT count(*) FROM rapportering_pdfgenerering WHERE id = %s", (record["id"],))
                found = cursor.fetchone()[0] == 1
            elif kind == "deltagelse":
                previous = last_edit.get(record["deltagelse"])
                if previous is None or record["seq"] > previous["seq"]:
                    last_edit[record["deltagelse"]] = record
                continue
            else:
                raise ValueError(kind)
            if not found:
                lost += 1
                examples.append(json.dumps(record))
        for pk, record in last_edit.items():
            cursor.execute("SELECT sted FROM nettverk_deltagelse WHERE id = %s", (pk,))
            row = cursor.fetchone()
            if row is None or row[0] != record["text"]:
                lost += 1
                examples.append(f"{json.dumps(record)} (database has {row and row[0]!r})")
    acknowledged = len([r for r in records if r["kind"] != "deltagelse"]) + len(last_edit)
    return acknowledged, lost, examples


SPAWN_RATE = 5  # users started a second (the ramp)


def locust(
    *, plan_path, acks_dir, prefix, base, users, seconds, processes, classes=(), spawn_rate=SPAWN_RATE, reset=False
):
    env = dict(os.environ, LOADTEST_PLAN=str(plan_path), LOADTEST_ACKS=str(acks_dir))
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--processes",
        str(processes),
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--stop-timeout",
        "10",
        # The figures from the moment every user has started (the ramp is reported from the requests' log).
        *(["--reset-stats"] if reset else []),
        *classes,
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=(prefix.parent / f"{prefix.name}.log").open("w")
    )


def machine_line() -> str:
    import platform

    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores ({model}), {memory} GiB, Python {platform.python_version()}, "
        f"load average {load[0]:.1f} at the start"
    )


def main() -> int:
    from tests.processes import ThrowawayPostgres, free_port, stop_process_group

    fault = os.environ.get("FAULT", "")
    if fault and fault not in FAULTS:
        print(f"loadtest: FAULT must be one of {', '.join(FAULTS)}, not {fault!r}", file=sys.stderr)
        return 2
    seconds = int(os.environ.get("LOADTEST_SECONDS", "60"))
    users = int(os.environ.get("LOADTEST_USERS", "80"))
    processes = int(os.environ.get("LOADTEST_PROCESSES", "2"))
    concurrency = os.environ.get("WEB_CONCURRENCY", str((os.cpu_count() or 2) * 2 + 1))
    ramp = math.ceil(users / SPAWN_RATE)
    if reason := ThrowawayPostgres.missing_reason():
        print(f"loadtest: {reason}", file=sys.stderr)
        return 2
    print(f"machine: {machine_line()}")
    tmp = Path(tempfile.mkdtemp(prefix="handlingsprogram-loadtest."))
    postgres = ThrowawayPostgres()
    serve = None
    fault_runner = None
    try:
        started = time.monotonic()
        postgres.create()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
        env.update(
            DATABASE_URL=postgres.url,
            PORT=str(port),
            WEB_CONCURRENCY=concurrency,
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="loadtest-" + "k" * 50,
            DJANGO_STATIC_ROOT=str(tmp / "static"),
            DJANGO_MEDIA_ROOT=str(tmp / "media"),
            # Every simulated client comes from 127.0.0.1: one address for the anonymous API limit (60/minute)
            # would answer 429 within a second. The throttles still run on every request.
            DJANGO_API_RATE_ANONYMOUS="1000000/minute",
            DJANGO_API_RATE_PARTNER="1000000/minute",
            DJANGO_API_RATE_USER="1000000/minute",
            DJANGO_PDF_HEARTBEAT_SECONDS="2",
            # The 10× report has about 270 pages; on a shared, busy machine its layout under load can take longer
            # than the production limit of 120 s, which would fail the PDF for a reason this run does not test.
            DJANGO_AARSRAPPORT_RENDER_TIMEOUT="900",
            PYTHONUNBUFFERED="1",
        )
        plan_path = tmp / "plan.json"
        subprocess.run([PY, str(Path(__file__).resolve()), "--prepare", str(plan_path)], cwd=ROOT, env=env, check=True)
        plan = json.loads(plan_path.read_text())
        counts = plan["counts"]
        print(
            f"data: {counts['tiltak']:,} tiltak ({FACTOR}×), {counts['statusmeldinger']:,} statusmeldinger, "
            f"{counts['deltagelser']:,} deltagelser; {len(plan['staff'])} staff accounts, "
            f"{len(plan['tokens'])} partner tokens (PostgreSQL in {tmp}; filled in {time.monotonic() - started:.0f} s)"
        )
        server_log = (tmp / "server.log").open("w")
        serve = subprocess.Popen(
            [str(ROOT / "deploy" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(
            lambda: (r := get(base + "/readyz", timeout=5)) is not None and r.status_code == 200,
            300,
            "deploy/serve.sh answering /readyz",
        )
        print(
            f"server: deploy/serve.sh (gunicorn, WEB_CONCURRENCY={concurrency}, the task worker, DEBUG off) on {base}"
        )
        print(
            f"load: {users} Locust users in {processes} processes, started over {ramp} s, then {seconds} s measured"
            + (f", FAULT={fault}" if fault else "")
        )

        acks_dir = tmp / "acks"
        acks_dir.mkdir()
        if fault:
            fault_runner = Fault(
                fault, base=base, serve=serve, postgres=postgres, env=env, tmp=tmp, plan=plan, log=server_log
            )
            fault_thread = threading.Thread(target=fault_runner.run, args=(ramp + seconds / 3,), daemon=True)
            fault_thread.start()
        mixed = locust(
            plan_path=plan_path,
            acks_dir=acks_dir,
            prefix=tmp / "mixed",
            base=base,
            users=users,
            seconds=ramp + seconds,
            processes=processes,
            classes=("Visitor", "Partner", "Staff", "Coordinator"),
            reset=True,
        )
        mixed.wait()
        anchor = locust(
            plan_path=plan_path,
            acks_dir=tmp,
            prefix=tmp / "anchor",
            base=base,
            users=16,
            seconds=ANCHOR_SECONDS,
            processes=processes,
            classes=("HealthzUser",),
            spawn_rate=16,
        )
        anchor.wait()
        if fault_runner:
            fault_thread.join(timeout=300)
        if fault_runner and fault == "worker-kill":
            fault_runner.worker_kill_check()

        stats, failures = read_stats(tmp / "mixed")
        anchor_stats, _ = read_stats(tmp / "anchor")
        total = next(row for row in stats if row["Name"] == "Aggregated")
        print(f"\n{'kind of request':<44} {'requests':>9} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}")
        for row in sorted(stats, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
            print(
                f"{row['Name'][:44]:<44} {int(row['Request Count']):>9,} {float(row['Requests/s']):>7.1f} "
                f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {int(row['Failure Count']):>6}"
            )
        print("(times in ms)")
        by_status: dict[str, int] = {}
        for failure in failures:
            error = error_name(failure["Error"])
            by_status[error] = by_status.get(error, 0) + int(failure["Occurrences"])
        ramp_figures = read_ramp(acks_dir, ramp)
        for error, count in ramp_figures["errors"].items():
            by_status[error] = by_status.get(error, 0) + count
        print(
            f"ramp: {users} users started over {ramp} s before the window: {ramp_figures['requests']:,} requests, "
            f"p50 {ramp_figures['p50']} ms, p95 {ramp_figures['p95']} ms, errors {sum(ramp_figures['errors'].values())}"
            f"; {ramp_figures['logins']} logins, p50 {ramp_figures['login_p50']} ms, p95 {ramp_figures['login_p95']} ms"
        )
        listed = ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items()))
        print("errors by status (the ramp's included): " + (listed or "none"))
        healthz = next(row for row in anchor_stats if row["Name"] == "Aggregated")
        print(
            f"anchor: /healthz {float(healthz['Requests/s']):,.0f} req/s (16 users, {ANCHOR_SECONDS} s, same server, "
            f"right after the load; p50 {healthz['50%']} ms)"
        )
        acknowledged, lost, examples = check_acks(acks_dir, postgres.url)
        print(f"acknowledged writes checked in the database: {acknowledged:,}; lost: {lost}")
        for example in examples[:10]:
            print(f"  lost: {example}")
        server_errors = sum(v for k, v in by_status.items() if "500" in k)
        verdict = []
        if fault_runner:
            for note in fault_runner.notes:
                print(f"fault {fault}: {note}")
            for failure in fault_runner.failed:
                print(f"fault {fault}: FAILED: {failure}")
            verdict += fault_runner.failed
            if fault == "gunicorn-kill":
                dropped = sum(v for k, v in by_status.items() if not k.startswith("HTTP "))
                print(f"fault {fault}: requests that failed without an answer: {dropped} (at most 1 may)")
                if dropped > 1:
                    verdict.append(f"{dropped} requests failed when one gunicorn worker was killed")
        if server_errors:
            verdict.append(f"{server_errors} answers were 500")
        if lost:
            verdict.append(f"{lost} acknowledged writes lost")
        print(
            f"loadtest: {int(total['Request Count'])} requests, {float(total['Requests/s']):.1f} req/s, "
            f"p95 {total['95%']} ms, errors {int(total['Failure Count']) + sum(ramp_figures['errors'].values())}, "
            f"acknowledged writes lost {lost}"
        )
        return 1 if verdict else 0
    finally:
        if fault_runner:
            for process in fault_runner.extra_processes:
                stop_process_group(process)
        if serve is not None:
            stop_process_group(serve)
        postgres.remove()
        if os.environ.get("LOADTEST_KEEP"):
            print(f"(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(Path(sys.argv[2]))
    else:
        sys.exit(main())
