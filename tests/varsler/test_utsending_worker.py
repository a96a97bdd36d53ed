"""A real task worker killed mid-send (issue 18, "a crash and a retry never sends twice"): ``manage.py db_worker``
against a file SQLite database sends notification e-mails to a real SMTP server on loopback (aiosmtpd). The server
holds its "250 OK" for the first message until the test has killed the worker with SIGKILL, so the message is
delivered and the worker dies before it can mark the row sent: the worst moment. Then every task is queued again
(a retry, and the same task twice) and a new worker runs them. Each recipient has exactly one e-mail."""

import asyncio
import os
import signal
import sqlite3
import subprocess
import threading
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.processes import free_port, stop_process_group, wait_for

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from django.db import transaction
from handlingsprogram.models import User
from varsler.services import varsler_create
users = [
    User.objects.create_user(username=name, password="x" * 20, rolle="saksbehandler", email=f"{name}@example.com")
    for name in ("kari", "ola", "per")
]
with transaction.atomic():  # the sending tasks are queued when this commits
    varsler_create(users=users, kind="runde_aapnet", text="Rapporteringsrunden er åpnet", link="/mine-tiltak/")
"""

RETRY = """
from varsler.models import Utsending
from varsler.tasks import send_utsending
for pk in Utsending.objects.values_list("pk", flat=True):
    send_utsending.enqueue(pk)
    send_utsending.enqueue(pk)
"""


class Sink:
    """Records every message the moment its DATA is complete, then answers 250; the first answer waits until
    ``release`` is set (the worker is killed meanwhile)."""

    def __init__(self):
        self.received: list = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((tuple(envelope.rcpt_tos), message_from_bytes(envelope.content)))
            first = len(self.received) == 1
        if first:
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"

    def recipients(self) -> list[str]:
        with self.lock:
            return sorted(to for tos, _message in self.received for to in tos)


def rows(database: Path) -> list[dict]:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute("SELECT * FROM varsler_utsending ORDER BY id")]


@pytest.mark.production
def test_a_worker_killed_between_delivery_and_marking_never_sends_twice(tmp_path):
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    database = tmp_path / "portal.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="1",
        DJANGO_TASKS_BACKEND="database",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        PYTHONUNBUFFERED="1",
    )
    manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]

    def run(*args):
        return subprocess.run([*manage, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)

    def worker(name, *extra):
        log = (tmp_path / f"{name}.log").open("w")
        command = [*manage, "db_worker", "--no-startup-delay", "--interval", "0.2", "--no-reload", *extra]
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    try:
        run("migrate", "--noinput")
        run("shell", "-c", SETUP)
        queued = rows(database)
        assert [(r["to_email"], r["status"]) for r in queued] == [
            ("kari@example.com", "ventende"),
            ("ola@example.com", "ventende"),
            ("per@example.com", "ventende"),
        ]
        assert sink.received == [], "nothing is sent before a worker runs the tasks"

        first = worker("first")
        try:
            wait_for(lambda: len(sink.received) == 1, limit=240, what="the first message reaching the SMTP server")
            os.killpg(first.pid, signal.SIGKILL)  # after the server has the message, before the worker saw 250
            first.wait()
        finally:
            stop_process_group(first)
        sink.release.set()
        (delivered,) = sink.recipients()
        left = {r["to_email"]: r for r in rows(database)}
        assert left[delivered]["status"] == "sender", "the dead worker had claimed it and not marked it"
        assert left[delivered]["message_id"] == sink.received[0][1]["Message-ID"], "the claim recorded the ID sent"
        assert sorted(r["status"] for r in left.values()) == ["sender", "ventende", "ventende"]

        run("shell", "-c", RETRY)  # every task queued again, twice: a retry and a duplicate
        second = worker("second", "--batch")
        try:
            second.wait(timeout=600)
        finally:
            stop_process_group(second)
        assert second.returncode == 0, (tmp_path / "second.log").read_text()[-3000:]

        assert sink.recipients() == ["kari@example.com", "ola@example.com", "per@example.com"]
        done = {r["to_email"]: r["status"] for r in rows(database)}
        assert done == {delivered: "sender"} | {to: "sendt" for to in done if to != delivered}
        message_ids = [message["Message-ID"] for _tos, message in sink.received]
        assert len(set(message_ids)) == 3

        # The scheduler's recovery, once the lease has run out, marks the unconfirmed one uncertain, not resent.
        run(
            "shell",
            "-c",
            "import datetime; from django.utils import timezone; from varsler import utsending_services as u; "
            "print(u.utsendinger_recover(now=timezone.now() + u.CLAIM_LEASE + datetime.timedelta(minutes=1)))",
        )
        assert {r["to_email"]: r["status"] for r in rows(database)}[delivered] == "usikker"
        assert len(sink.received) == 3
    finally:
        sink.release.set()
        controller.stop()
