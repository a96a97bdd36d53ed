"""README's production steps ("Drift"), followed literally on a clean clone of the repository, without make.

The commands are read from the two ``sh`` blocks of the clone's README (step 3: install and update; step 4: the
services), so README and this test cannot drift apart. Each runs as written, in the clone's directory, with the
environment step 2 asks for and nothing else from this checkout. Two liberties, both said where they are taken:
``python3`` in the venv line is the interpreter running the tests (the machine's ``python3`` may be older than
3.12), and ``compilemessages`` is skipped where gettext's ``msgfmt`` is missing (the ``.mo`` files are committed).

The clone is of HEAD: this tests committed state, not uncommitted changes in the checkout."""

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.processes import free_port, stop_process_group

ROOT = Path(__file__).resolve().parents[1]
READY_WITHIN_SECONDS = 120  # a busy CI machine starts gunicorn's workers slowly
STEP_TIMEOUT_SECONDS = 900  # pip on a cold cache

pytestmark = pytest.mark.production


def drift_blocks(readme: str) -> list[list[str]]:
    """The commands of each ``sh`` block in README's "Drift" section, in order, without comments or blank lines."""
    section = re.search(r"^## Drift\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    assert section, 'README has a "## Drift" section followed by another section'
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```", section[1], re.MULTILINE | re.DOTALL)
    return [
        [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]
        for _indent, body in blocks
    ]


def production_environment(tmp: Path, port: int) -> dict[str, str]:
    """Step 2's variables on an otherwise clean environment: nothing of this checkout's settings leaks in
    (``make test`` exports DJANGO_DEBUG=1, for one)."""
    dropped = {"DATABASE_URL", "PORT", "WEB_CONCURRENCY", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_")) and k not in dropped}
    env.update(
        DJANGO_SECRET_KEY="drift-steps-test-" + "d" * 50,
        DATABASE_URL=f"sqlite:///{tmp / 'portal.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        DJANGO_SITE_URL="https://127.0.0.1",
        DJANGO_BEHIND_PROXY="true",
        # Where gunicorn listens (README's table); loopback and a free port instead of 0.0.0.0:8000.
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def run_step(command: str, *, cwd: Path, env: dict[str, str], timings: list[tuple[str, float]]) -> None:
    started = time.monotonic()
    result = subprocess.run(
        command,
        shell=True,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT_SECONDS,
        check=False,
    )
    timings.append((command, time.monotonic() - started))
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-4000:]
        pytest.fail(f"README step failed with {result.returncode}: {command}\n{output}")


def test_readme_drift_steps_give_a_working_server_on_a_clean_clone(tmp_path):
    for tool in ("git", "npm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is needed to follow README's steps")
    clone = tmp_path / "portal"
    subprocess.run(["git", "clone", "--quiet", "--local", str(ROOT), str(clone)], check=True, capture_output=True)
    install, services = drift_blocks((clone / "README.md").read_text())
    assert install[0] == "python3 -m venv .venv", install[0]

    port = free_port()
    env = production_environment(tmp_path, port)
    timings: list[tuple[str, float]] = []
    for command in install:
        if command.startswith("python3 "):
            command = shlex.quote(sys.executable) + command.removeprefix("python3")
        if " compilemessages" in command and shutil.which("msgfmt") is None:
            continue
        run_step(command, cwd=clone, env=env, timings=timings)

    logs = [(tmp_path / f"service-{n}.log").open("w+") for n in range(len(services))]
    processes = [
        subprocess.Popen(
            shlex.split(command), cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        for command, log in zip(services, logs, strict=True)
    ]
    base = f"http://127.0.0.1:{port}"
    # As the proxy in front would send them (DJANGO_BEHIND_PROXY=true): without it the portal redirects to https.
    browser = requests.Session()
    browser.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"})
    try:
        started = time.monotonic()
        while True:
            for command, process, log in zip(services, processes, logs, strict=True):
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"{command} exited with {process.returncode}:\n{log.read()[-4000:]}")
            try:
                # A generous per-request limit: on a busy machine the first answer can take a while, and a slow
                # answer is one more poll, not a failure (the overall limit below decides).
                if browser.get(base + "/readyz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() - started > READY_WITHIN_SECONDS:
                pytest.fail(f"/readyz did not answer 200 within {READY_WITHIN_SECONDS} s")
            time.sleep(0.5)
        timings.append(("until /readyz answers", time.monotonic() - started))

        page = browser.get(base + "/", timeout=60)
        assert page.status_code == 200
        font_css = re.search(r'href="(/static/vendor/inter/inter\.[0-9a-f]{12}\.css)"', page.text)
        assert font_css, "the page links the font's hashed stylesheet"
        css = browser.get(base + font_css[1], timeout=60)
        assert css.status_code == 200
        assert "immutable" in css.headers["Cache-Control"]
        font = re.search(r"inter-latin-400-normal\.[0-9a-f]{12}\.woff2", css.text)
        assert font, css.text[:500]
        woff2 = browser.get(f"{base}/static/vendor/inter/{font[0]}", timeout=60)
        assert woff2.status_code == 200
        assert woff2.content.startswith(b"wOF2")

        # The report's stylesheet, whose font references made collectstatic fail before the npm step was there.
        manifest = (clone / "staticfiles" / "staticfiles.json").read_text()
        report_css = re.search(r'"css/aarsrapport\.css": "(css/aarsrapport\.[0-9a-f]{12}\.css)"', manifest)
        assert report_css, "collectstatic hashed the annual report's stylesheet"
        response = browser.get(f"{base}/static/{report_css[1]}", timeout=60)
        assert response.status_code == 200
        assert re.search(r"vendor/inter/inter-latin-400-normal\.[0-9a-f]{12}\.woff2", response.text)
    finally:
        for process in processes:
            stop_process_group(process)
        for log in logs:
            log.close()
        print("\nREADME Drift steps, seconds:")
        for command, seconds in timings:
            print(f"  {seconds:6.1f}  {command}")
