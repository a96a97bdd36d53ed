# ruff: noqa: S603, S607 -- runs gunicorn and wrk with fixed arguments
"""Benchmark: the partner API under wrk, on gunicorn and PostgreSQL, with /healthz as the anchor (issue 19).

Serves this tree with gunicorn (production settings, DEBUG off, WEB_CONCURRENCY workers as README recommends:
2 × cores + 1, the rate limits in the database cache with rates out of reach as `make loadtest` sets them) against
BENCH_DATABASE_URL, which must already hold the 10× data (``bench/api_paths.py`` fills it), and runs wrk
(``apt-get install wrk``) against each path for ``--seconds``: /healthz, the tiltak page of 50 (the same URL
again and again, as a polling partner; a conditional GET with the ETag; and every request a different URL, so
no validator or remembered body helps: the full work), statusmeldinger page 100 of 20 by ``page=`` and, where
this tree has it, by ``cursor=``. Prints requests/s and latency percentiles per path, and the load average.

    BENCH_DATABASE_URL=postgres://… .venv/bin/python bench/api_wrk.py [--seconds 15] [--connections 8]
"""

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = Path(sys.executable)

# Every request a URL of its own (an updated_since second that changes nothing in what is listed).
UNIQUE_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local n = counter + math.random(0, 2000000) * 100000
  local t = string.format("%04d-01-01T%02d:%02d:%02d", 1000 + math.floor(n / 86400) % 999,
    math.floor(n / 3600) % 24, math.floor(n / 60) % 60, n % 60)
  return wrk.format(nil, "/api/v1/tiltak/?page_size=50&updated_since=" .. t .. "Z")
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 -- loopback
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 -- loopback
        return response.status, dict(response.headers), response.read()


def wrk(url, seconds, connections, extra=()):
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latencies = dict(re.findall(r"^\s+(50|90|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if not rate or "Socket errors" in out:
        print(out, file=sys.stderr)
    return rate, latencies, int(errors.group(1)) if errors else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        sys.exit("bench/api_wrk.py needs BENCH_DATABASE_URL (filled by bench/api_paths.py)")
    tmp = Path(tempfile.mkdtemp(prefix="api-wrk."))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workers = str((os.cpu_count() or 2) * 2 + 1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=url,
        WEB_CONCURRENCY=workers,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="bench-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        DJANGO_API_RATE_ANONYMOUS="1000000/minute",
        DJANGO_API_RATE_PARTNER="1000000/minute",
        DJANGO_API_RATE_USER="1000000/minute",
    )
    subprocess.run([str(PY), "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True)
    log = (tmp / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(PY.parent / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "portal.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(600):
            try:
                if get(base + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        tree = subprocess.run(["git", "log", "--oneline", "-1"], cwd=ROOT, capture_output=True, text=True).stdout
        print(f"tree: {tree.strip()}\ngunicorn: {workers} workers on {base}; wrk -t2 -c{args.connections}")
        lua = tmp / "unique.lua"
        lua.write_text(UNIQUE_LUA)
        tiltak = base + "/api/v1/tiltak/?page_size=50"
        _, headers, _ = get(tiltak)
        meldinger = base + "/api/v1/statusmeldinger/?page_size=20"
        runs = {
            "/healthz (anchor)": (base + "/healthz", ()),
            "tiltak page of 50, same URL": (tiltak, ()),
            "tiltak page of 50, If-None-Match (304)": (tiltak, ("-H", f"If-None-Match: {headers['ETag']}")),
            "tiltak page of 50, every URL new (full work)": (base, ("-s", str(lua))),
            "statusmeldinger page 100 of 20 (page=)": (meldinger + "&page=100", ()),
        }
        first = json.loads(get(meldinger)[2])
        if "next_cursor" in first:
            cursor = first["next_cursor"]
            for _ in range(98):
                cursor = json.loads(get(f"{meldinger}&cursor={cursor}")[2])["next_cursor"]
            runs["statusmeldinger page 100 of 20 (cursor=)"] = (f"{meldinger}&cursor={cursor}", ())
        print(f"{'path':<48} {'req/s':>8} {'p50':>9} {'p90':>9} {'p99':>9} {'non-2xx/3xx':>11}  load")
        for name, (target, extra) in runs.items():
            rate, latencies, errors = wrk(target, args.seconds, args.connections, extra)
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(
                f"{name:<48} {rate:8.1f} {latencies.get('50', '-'):>9} {latencies.get('90', '-'):>9} "
                f"{latencies.get('99', '-'):>9} {errors:>11}  {load}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
