"""A worker killed while it makes a PDF (issue 19, "Faults"): the generation it left "in progress" is queued
again once its heartbeat has gone quiet, the next worker makes the PDF, and the progress page says it was made
again. The first tests run the recovery in-process; the last kills a real ``manage.py db_worker`` with SIGKILL."""

import datetime
import json
import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from rapportering import selectors, services
from rapportering.models import PdfGenerering
from tests.processes import stop_process_group, wait_for

from .conftest import YEAR

ROOT = Path(__file__).resolve().parents[2]
QUEUE_ONLY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def draft(programme, koordinator):
    return services.aarsrapport_draft_create(programme=programme, aar=YEAR, user=koordinator)


def left_by_a_dead_worker(draft, koordinator, *, silent_for: float, forsoek: int = 1) -> PdfGenerering:
    """A generation as a killed worker leaves it: in progress, mid-layout, its last heartbeat ``silent_for`` ago."""
    then = timezone.now() - datetime.timedelta(seconds=silent_for)
    return PdfGenerering.objects.create(
        aarsrapport=draft,
        formaal=PdfGenerering.Formaal.UTKAST,
        requested_by=koordinator,
        status=PdfGenerering.Status.PAAGAAR,
        steg=PdfGenerering.Steg.SIDER,
        sider=7,
        started_at=then,
        heartbeat_at=then,
        forsoek=forsoek,
    )


@pytest.mark.django_db
def test_a_generation_whose_worker_went_quiet_is_made_again_and_the_page_says_so(client, settings, koordinator, draft):
    settings.PDF_HEARTBEAT_SECONDS = 5
    alive = left_by_a_dead_worker(draft, koordinator, silent_for=10)  # two beats missed: maybe just busy
    dead = left_by_a_dead_worker(draft, koordinator, silent_for=31)  # six beats missed

    settings.TASKS = QUEUE_ONLY  # what a coordinator sees before a worker takes it again
    assert services.pdf_generering_recover_stalled() == [dead.pk]
    assert services.pdf_generering_recover_stalled() == [], "taken over once, not once per caller"
    alive.refresh_from_db()
    dead.refresh_from_db()
    assert alive.status == PdfGenerering.Status.PAAGAAR
    assert (dead.status, dead.forsoek, dead.steg, dead.sider, dead.task_id != "") == ("venter", 2, 0, 0, True)
    client.force_login(koordinator)
    status = json.loads(client.get(reverse("rapportering:generering_status", kwargs={"pk": dead.pk})).content)
    assert status["text"] == (
        "Arbeideren som lagde PDF-en, stoppet, så den lages på nytt (forsøk 2). I kø: venter på en ledig arbeider."
    )

    services.pdf_generering_run(generering_id=dead.pk)  # the next worker
    dead.refresh_from_db()
    assert dead.status == PdfGenerering.Status.FERDIG, dead.feilmelding
    assert dead.pdf
    page = client.get(dead.get_absolute_url()).content.decode()
    assert "Den ble laget på nytt etter at arbeideren som lagde den, stoppet." in page


@pytest.mark.django_db
def test_a_pdf_that_killed_its_worker_three_times_is_given_up_with_a_message(settings, koordinator, draft):
    settings.PDF_HEARTBEAT_SECONDS = 5
    settings.TASKS = QUEUE_ONLY
    generering = left_by_a_dead_worker(draft, koordinator, silent_for=60, forsoek=services.PDF_MAX_ATTEMPTS)
    assert services.pdf_generering_recover_stalled() == []
    generering.refresh_from_db()
    assert generering.status == PdfGenerering.Status.FEILET
    assert generering.feilmelding == "PDF-en ble ikke ferdig: arbeideren som lagde den, stoppet 3 ganger. Prøv igjen."
    assert selectors.pdf_generering_progress_text(generering) == "Feilet."


@pytest.mark.django_db
def test_a_running_generation_with_a_fresh_heartbeat_is_left_alone(settings, koordinator, draft):
    settings.PDF_HEARTBEAT_SECONDS = 5
    generering = left_by_a_dead_worker(draft, koordinator, silent_for=1)
    generering.started_at = timezone.now() - datetime.timedelta(hours=1)  # long, but still beating
    generering.save()
    assert services.pdf_generering_recover_stalled() == []
    generering.refresh_from_db()
    assert (generering.status, generering.forsoek) == ("paagaar", 1)


# --- a real worker, killed -----------------------------------------------------------------------------------------

SETUP = """
from handlingsprogram.models import Handlingsprogram, User
from rapportering import services
programme = Handlingsprogram.objects.get()
user = User.objects.create_user(username="koordinator", password="x" * 20, rolle="koordinator")
draft = services.aarsrapport_draft_create(programme=programme, aar=2021, user=user)
print(services.pdf_generering_request(aarsrapport=draft, user=user, formaal="utkast").pk)
"""


def row(database: Path, pk: int) -> dict:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        found = connection.execute("SELECT * FROM rapportering_pdfgenerering WHERE id = ?", (pk,)).fetchone()
    return dict(found)


@pytest.mark.production
def test_a_worker_killed_mid_pdf_is_replaced_and_the_pdf_made_again(tmp_path):
    """SIGKILL leaves no chance to clean up: the row stays "in progress" with the dead worker's task. The worker
    started next finds it silent, queues it again and makes the PDF."""
    database = tmp_path / "portal.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="1",
        DJANGO_TASKS_BACKEND="database",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_PDF_HEARTBEAT_SECONDS="0.5",  # taken for dead after 3 s of silence
        PYTHONUNBUFFERED="1",
    )
    manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]

    def run(*args):
        return subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)

    run("migrate", "--noinput")
    run("load_programme")
    pk = int(run("shell", "-c", SETUP).stdout.strip().splitlines()[-1])
    assert row(database, pk)["status"] == "venter"

    def worker(name):
        log = (tmp_path / f"{name}.log").open("w")
        command = [*manage, "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload"]
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    first = worker("first")
    try:
        wait_for(
            lambda: row(database, pk)["steg"] >= PdfGenerering.Steg.HTML,
            limit=180,
            what="the first worker starting the layout",
        )
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        stop_process_group(first)
    left = row(database, pk)
    assert (left["status"], left["forsoek"]) == ("paagaar", 1), "a killed worker cleans nothing up"

    second = worker("second")
    try:
        done = wait_for(
            lambda: (r := row(database, pk))["status"] in ("ferdig", "feilet") and r,
            limit=240,
            what="the PDF made again by the next worker",
        )
    finally:
        stop_process_group(second)
    assert done["status"] == "ferdig", done["feilmelding"]
    assert done["forsoek"] == 2
    assert done["sider"] > 0
    assert (tmp_path / "media" / done["pdf"]).read_bytes().startswith(b"%PDF-")
    assert "queued again" in (tmp_path / "second.log").read_text()
