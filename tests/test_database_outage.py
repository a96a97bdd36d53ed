"""The database goes away under the production path (deploy/serve.sh: gunicorn, production settings) and comes
back (issue 19). While it is away, pages, the API and a logged-in staff page answer 503 with Retry-After, never
500, /readyz says 503, and the outage is logged once per process rather than as a traceback per request; once it
is back, requests succeed again without restarting anything.

On PostgreSQL the outage is real: a throwaway server of the test's own is stopped (fast shutdown, which cuts the
open connections, as a restart does) and started again. On SQLite the database file's directory is moved away
and back, with connections opened per request (DJANGO_DB_CONN_MAX_AGE=0): an open SQLite connection keeps
reading a moved file, and file permissions cannot make it unreadable when the tests run as root, as CI does."""

import contextlib
import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.processes import ThrowawayPostgres, free_port, stop_process_group

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-outage-test-password"  # noqa: S105 -- a throwaway database
WORKERS = 2
PAGE = "/"
API_LIST = "/api/v1/tiltak/"
STAFF_PAGE = "/mine-tiltak/"

pytestmark = pytest.mark.production


def wait_until(check, *, limit: float, what: str, interval: float = 0.5):
    """Poll ``check`` until it returns something true; fail after ``limit`` seconds (generous: CI is busy)."""
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except requests.RequestException as error:
            last = error
        time.sleep(interval)
    pytest.fail(f"{what} not within {limit:.0f} s (last: {last!r})")


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def served(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"outage-{request.param}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    postgres = None
    if request.param == "postgresql":
        if reason := ThrowawayPostgres.missing_reason():
            pytest.skip(reason)
        postgres = ThrowawayPostgres()
        postgres.create()
        env["DATABASE_URL"] = postgres.url
        down, up = postgres.stop, postgres.start
    else:
        database_dir, away = tmp / "db", tmp / "db-away"
        database_dir.mkdir()
        env["DATABASE_URL"] = f"sqlite:///{database_dir / 'portal.sqlite3'}"
        env["DJANGO_DB_CONN_MAX_AGE"] = "0"

        def down():
            database_dir.rename(away)

        def up():
            away.rename(database_dir)

    port = free_port()
    env.update(
        PORT=str(port),
        DJANGO_SECRET_KEY="database-outage-test-" + "s" * 40,
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        WEB_CONCURRENCY=str(WORKERS),
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp / "server.log"
    log = log_path.open("w+")
    process = subprocess.Popen(
        ["deploy/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def ready():
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"deploy/serve.sh exited with {process.returncode}:\n{log.read()[-4000:]}")
            return requests.get(base + "/readyz", timeout=10).status_code == 200

        wait_until(ready, limit=300, what="/readyz answering 200 after deploy/serve.sh started")
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "createsuperuser", "--noinput",
             "--username", "drift", "--email", "drift@example.no"],
            cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, check=True, capture_output=True,
        )  # fmt: skip
        yield {"base": base, "log_path": log_path, "down": down, "up": up, "postgres": postgres}
    finally:
        stop_process_group(process)
        log.close()
        if postgres is not None:
            postgres.remove()


def logged_in(base) -> requests.Session:
    browser = requests.Session()
    login = browser.get(base + "/konto/logg-inn/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
    response = browser.post(
        base + "/konto/logg-inn/",
        data={"csrfmiddlewaretoken": token, "username": "drift", "password": PASSWORD},
        timeout=30,
    )
    assert response.url == base + STAFF_PAGE, response.url
    return browser


def log_lines_since(path: Path, offset: int) -> list[dict]:
    entries = []
    with path.open() as log:
        log.seek(offset)
        for line in log:
            if line.startswith("{"):
                with contextlib.suppress(ValueError):  # a line of gunicorn's that happens to start with "{"
                    entries.append(json.loads(line))
    return entries


def everything_answers(base, browser, status: int) -> bool:
    return all(
        session.get(base + path, timeout=30).status_code == status
        for session, path in ((requests, PAGE), (requests, API_LIST), (requests, "/readyz"), (browser, STAFF_PAGE))
    )


def test_outage_answers_503_with_retry_after_and_recovers(served):
    base = served["base"]
    browser = logged_in(base)
    # Every worker holds a connection before the outage (several requests each, whichever worker takes them).
    for _ in range(3 * WORKERS):
        assert everything_answers(base, browser, 200)
    offset = served["log_path"].stat().st_size

    served["down"]()
    try:
        seen = {}
        for _ in range(3 * WORKERS):  # several requests per kind, so each worker meets the outage
            for name, session, path in (
                ("page", requests, PAGE),
                ("api", requests, API_LIST),
                ("readyz", requests, "/readyz"),
                ("staff page", browser, STAFF_PAGE),
            ):
                # Between them, a request that may not touch the database (an anonymous visitor sent to log in),
                # which must not make the log say the database is back.
                assert requests.get(base + STAFF_PAGE, timeout=30, allow_redirects=False).status_code in (302, 503)
                response = session.get(base + path, timeout=30)
                seen.setdefault(name, []).append(response.status_code)
                assert response.status_code == 503, (name, response.status_code, response.text[:500])
                assert response.headers["Retry-After"].isdigit(), name
                assert 1 <= int(response.headers["Retry-After"]) <= 30, name
                if name == "page" or name == "staff page":
                    assert response.headers["Content-Type"].startswith("text/html"), name
                    assert "Midlertidig utilgjengelig" in response.text
                elif name == "api":
                    assert response.json() == {
                        "detail": "Databasen er utilgjengelig for øyeblikket. Prøv igjen om noen sekunder."
                    }
                else:
                    assert response.json()["status"] == "unavailable"
    finally:
        served["up"]()
    back_at = time.monotonic()
    wait_until(lambda: everything_answers(base, browser, 200), limit=120, what="every request answering 200 again")
    recovered_in = time.monotonic() - back_at
    print(f"\nservice back {recovered_in:.1f} s after the database; statuses during the outage: {seen}")

    # Logged once per worker process (plus a line when it is back), never a traceback per request.
    entries = wait_until(
        lambda: [
            e for e in log_lines_since(served["log_path"], offset) if e.get("logger") == "handlingsprogram.database"
        ],
        limit=60,
        what="the outage in the log",
    )
    unavailable = [e for e in entries if e["message"].startswith("database unavailable (")]
    assert 1 <= len(unavailable) <= WORKERS, entries
    assert all(e["level"] == "ERROR" and "exception" not in e for e in unavailable), unavailable
    errors = [
        e
        for e in log_lines_since(served["log_path"], offset)
        if e.get("logger") == "django.request" and e.get("level") == "ERROR"
    ]
    assert errors == []
    statuses = [e.get("status") for e in log_lines_since(served["log_path"], offset) if "status" in e]
    assert 500 not in statuses


def test_restart_between_requests_costs_no_request(served):
    """A database restart that no request saw: the connection each worker kept (CONN_MAX_AGE) is dead, and the
    health check before reuse (CONN_HEALTH_CHECKS) replaces it, so the first requests afterwards succeed."""
    if served["postgres"] is None:
        pytest.skip("SQLite has no server to restart; its connections are opened per request here")
    base = served["base"]
    for _ in range(3 * WORKERS):
        for path in (PAGE, API_LIST):
            assert requests.get(base + path, timeout=30).status_code == 200
    served["postgres"].stop()
    served["postgres"].start()
    for _ in range(3 * WORKERS):
        for path in (PAGE, API_LIST):
            response = requests.get(base + path, timeout=30)
            assert response.status_code == 200, (path, response.status_code)
