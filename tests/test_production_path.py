"""The production path, end to end: `deploy/serve.sh` (what `make serve` runs) starts gunicorn and the task worker
with production settings on a fresh database; a coordinator logs in over HTTP, has the annual report's PDF made
by the worker, and downloads it. Static files come hashed and compressed from WhiteNoise, health checks answer,
and every request leaves one JSON log line."""

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.processes import free_port, stop_process_group

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-production-test-password"  # noqa: S105 -- a throwaway database

pytestmark = pytest.mark.production


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp / 'portal.sqlite3'}",
        DJANGO_SECRET_KEY="production-path-test-" + "s" * 40,
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    log = (tmp / "server.log").open("w+")
    process = subprocess.Popen(
        ["deploy/serve.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # migrate, collectstatic (brotli) and load_programme on a busy machine
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"deploy/serve.sh exited with {process.returncode}:\n{log.read()[-4000:]}")
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                # Refused while gunicorn binds, or a read timeout while its workers boot on a busy machine: both
                # mean "not ready yet"; only the overall deadline decides that it never came up.
                pass
            if time.monotonic() > deadline:
                pytest.fail("the server did not answer /healthz within 600 s")
            time.sleep(0.5)
        manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]
        subprocess.run(
            [*manage, "createsuperuser", "--noinput", "--username", "drift", "--email", "drift@example.no"],
            cwd=ROOT,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
        )
        yield {"base": base, "log": log, "process": process}
    finally:
        stop_process_group(process)
        log.close()


def test_health_checks_and_static_files(server):
    base = server["base"]
    ready = requests.get(base + "/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "ok"}

    page = requests.get(base + "/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "the page links the hashed stylesheet (ManifestStaticFilesStorage)"
    css = requests.get(base + stylesheet[1], headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    # The page itself goes out compressed too (requests asks for gzip), and the font it preloads is a hashed,
    # immutable static file (issue 17: Lighthouse on this path).
    assert page.headers["Content-Encoding"] == "gzip"
    font = re.search(
        r'<link rel="preload" href="(/static/vendor/inter/inter-latin-400-normal\.[0-9a-f]{12}\.woff2)"', page.text
    )
    assert font, "the page preloads the hashed regular face"
    font_response = requests.get(base + font[1], timeout=10)
    assert font_response.status_code == 200
    assert "immutable" in font_response.headers["Cache-Control"]


def test_coordinator_gets_the_pdf_from_the_worker(server):
    base = server["base"]
    browser = requests.Session()
    login = browser.get(base + "/konto/logg-inn/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)[1]
    response = browser.post(
        base + "/konto/logg-inn/",
        data={"csrfmiddlewaretoken": token, "username": "drift", "password": PASSWORD},
        timeout=10,
    )
    assert response.url == base + "/mine-tiltak/", response.url

    def post(path, data=None):
        return browser.post(
            base + path, data={"csrfmiddlewaretoken": browser.cookies["csrftoken"], **(data or {})}, timeout=30
        )

    response = post("/program/internasjonalt-handlingsprogram-2020-2023/aarsrapporter/ny/", {"aar": "2021"})
    report = re.search(r"/aarsrapport/(\d+)/rediger/$", response.url)
    assert report, response.url
    started = time.monotonic()
    response = post(f"/aarsrapport/{report[1]}/lag-pdf/")
    queued = time.monotonic() - started
    generation = re.search(r"/pdf-generering/(\d+)/$", response.url)
    assert generation, response.url
    assert queued < 5, "the web request only queues the PDF"

    deadline = time.monotonic() + 120
    while True:
        status = browser.get(f"{base}/pdf-generering/{generation[1]}/status/", timeout=10).json()
        if status["finished"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status["status"] == "ferdig", status
    pdf = browser.get(f"{base}/pdf-generering/{generation[1]}/pdf/", timeout=30)
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def log_entries(log) -> list[dict]:
    log.seek(0)
    entries = []
    for line in log.read().splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # gunicorn's own start-up lines
    return entries


def test_every_request_leaves_one_json_log_line(server):
    requests.get(server["base"] + "/program/finnes-ikke/", timeout=10)

    def not_found_logged(entries):
        return any(
            e.get("logger") == "handlingsprogram.requests"
            and e["route"] == "/program/<slug:program>/"
            and e["status"] == 404
            for e in entries
        )

    # Another process writes the line, so it need not be in the file yet when the answer has come: wait for it.
    deadline = time.monotonic() + 30
    while not not_found_logged(entries := log_entries(server["log"])) and time.monotonic() < deadline:
        time.sleep(0.2)
    requests_logged = [e for e in entries if e.get("logger") == "handlingsprogram.requests"]
    assert not_found_logged(entries)
    assert any(e["route"] == "/mine-tiltak/" and isinstance(e["user_id"], int) for e in requests_logged)
    assert all(
        set(e) >= {"time", "level", "method", "route", "view", "status", "duration_ms", "user_id"}
        for e in requests_logged
    )
    assert not any("finnes-ikke" in json.dumps(e) for e in entries), "paths are not logged, only routes"
