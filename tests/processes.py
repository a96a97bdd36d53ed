"""Servers the tests start as subprocesses (gunicorn with its worker, the README's Drift steps): a free port to
put them on, a stop that takes the whole process group down, so no worker outlives its test, and a throwaway
PostgreSQL server that a test can stop and start."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, *, limit: float, what: str, every: float = 0.25):
    """Poll ``check`` until it returns something true (returned), failing the test after ``limit`` seconds with
    the last value: readiness by polling with a generous limit, as CI shares two busy cores."""
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    import pytest  # here: bench/loadtest.py imports this module outside a test run

    pytest.fail(f"{what} not within {limit:.0f} s (last: {last!r})")


def stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM to the group started with start_new_session=True, SIGKILL if it has not gone within 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb, trust authentication, fsync off) that a test can stop and start
    again, as an outage would. initdb and postgres refuse to run as root: as root they run as the ``postgres``
    user, as .ci/run does, in a directory of their own under the system's temporary directory (pytest's own is
    closed to other users)."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="handlingsprogram-test-pg."))
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/portal"

    @staticmethod
    def missing_reason() -> str | None:
        if not (PG_BIN / "initdb").exists():
            return f"no PostgreSQL server binaries in {PG_BIN} (.ci/run installs postgresql-15; PG_BIN picks another)"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "running as root without runuser, and PostgreSQL refuses to run as root"
        return None

    def _run(self, *args: str) -> None:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            log = self.directory / "postgres.log"
            raise RuntimeError(
                f"{' '.join(command)} exited with {result.returncode}:\n{result.stdout}{result.stderr}"
                + (log.read_text()[-2000:] if log.exists() else "")
            )

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"
        )
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "portal")

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.directory} -c fsync=off"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "postgres.log"), "-w", "-t", "120",
                  "-o", options, "start")  # fmt: skip

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as in a restart."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "120", "stop")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")


class ThrowawayRedis:
    """A Redis server of its own on a free loopback port, nothing saved to disk, that a test can stop as an outage
    would. Ready when it answers PING (polled with a generous limit: CI's two cores are busy)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def missing_reason() -> str | None:
        if not Path(REDIS_SERVER).exists():
            return f"no {REDIS_SERVER} (.ci/run installs Debian's redis-server; REDIS_SERVER picks another)"
        return None

    def start(self, ready_within: float = 120) -> None:
        import time

        import redis

        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + ready_within
        client = redis.Redis.from_url(self.url, socket_connect_timeout=5)
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not answer PING (exit {self.process.poll()})")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None:
            stop_process_group(self.process)
            self.process = None
