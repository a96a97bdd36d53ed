# ruff: noqa: S603, S607 -- runs npm (from PATH), deploy/serve.sh and Lighthouse with fixed arguments
"""Benchmark: Lighthouse on the production path for five public pages.

Installs the Lighthouse version pinned in bench/lighthouse/package-lock.json into bench/lighthouse/node_modules
(`npm ci`, skipped while the lock file is unchanged; the portal's own package.json is not touched), starts the
production path exactly as `make serve` does (deploy/serve.sh: migrate, collectstatic with WhiteNoise's compressed
and hashed files, load_programme, gunicorn with DEBUG off) on a throwaway SQLite database (BENCH_DATABASE_URL picks
another, e.g. a PostgreSQL you started), and runs Lighthouse with its default mobile emulation and simulated slow
4G against Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), anonymously, on

    the front page, an area page, a tiltak page, the network list and the report list.

Lighthouse's simulated throttling scales with how busy the CPU is, so each page is run RUNS times (default 3) and
the median of each figure is printed: the four category scores and FCP, LCP, CLS, TBT. Audits that kept a
category below 100 are listed under the table.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--keep-reports DIR] [--page 'front page' ...]
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HERE = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
STAMP = HERE / "node_modules" / ".installed-package-lock.json"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = (
    ("FCP", "first-contentful-paint", 1000, "s"),
    ("LCP", "largest-contentful-paint", 1000, "s"),
    ("CLS", "cumulative-layout-shift", 1, ""),
    ("TBT", "total-blocking-time", 1, "ms"),
)


def install_lighthouse() -> None:
    """`npm ci` in bench/lighthouse, unless what is installed came from the same lock file."""
    lock = HERE / "package-lock.json"
    if LIGHTHOUSE.exists() and STAMP.exists() and STAMP.read_bytes() == lock.read_bytes():
        return
    print("==> npm ci (bench/lighthouse)", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)
    shutil.copyfile(lock, STAMP)


def fetch(url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- our own loopback server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def wait_until(check, limit: float, what: str) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    raise SystemExit(f"lighthouse: {what} not within {limit:.0f} s")


def first_link(html: str, pattern: str) -> str:
    match = re.search(r'href="(' + pattern + r')"', html)
    if not match:
        raise SystemExit(f"lighthouse: no link matching {pattern} found")
    return match.group(1)


def pages(base: str) -> dict[str, str]:
    """The five pages, found by following the links an anonymous visitor sees (no slugs guessed)."""
    _, front = fetch(base + "/")
    area = first_link(front, r"/program/[^/\"]+/omraade/[^/\"]+/")
    _, area_html = fetch(base + area)
    tiltak = first_link(area_html, r"/program/[^/\"]+/tiltak/[^/\"]+/")
    return {
        "front page": "/",
        "area page": area,
        "tiltak page": tiltak,
        "network list": "/nettverk/",
        "report list": "/aarsrapporter/",
    }


def run_lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        # Root in a container has no user namespaces for Chromium's sandbox.
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    from tests.processes import stop_process_group

    env = {**os.environ, "CHROME_PATH": CHROME}
    # A group of its own, so that an interrupted run takes its Chromium down with it.
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        if process.wait(timeout=600) != 0:
            raise SystemExit(f"lighthouse: Lighthouse exited with {process.returncode} on {url}")
    finally:
        stop_process_group(process)
    return json.loads(report.read_text())


def summarise(result: dict) -> dict:
    figures = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    for name, audit, scale, _ in METRICS:
        figures[name] = result["audits"][audit]["numericValue"] / scale
    failing = set()
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1 and category != "performance":
                failing.add(f"{category}: {ref['id']}")
            if category == "performance" and audit["score"] is not None and audit["score"] < 0.9 and ref["weight"]:
                failing.add(f"{category}: {ref['id']} ({audit.get('displayValue', '')})")
    console = result["audits"].get("errors-in-console", {}).get("details", {}).get("items", [])
    for item in console:
        failing.add(f"console: {item.get('description', '')[:120]}")
    figures["failing"] = failing
    return figures


def machine_line() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    load = os.getloadavg()
    return f"{os.cpu_count()} cores ({model}), load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"


def main() -> int:
    from tests.processes import free_port, stop_process_group

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep-reports", type=Path, help="keep Lighthouse's JSON reports in this directory")
    parser.add_argument("--page", action="append", help="only this page (its name, e.g. 'front page'); repeatable")
    args = parser.parse_args()
    if not Path(CHROME).exists():
        print(f"lighthouse: no Chromium at {CHROME} (apt-get install chromium, or set CHROME_PATH)", file=sys.stderr)
        return 2
    install_lighthouse()
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, check=True).stdout
    chrome_version = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"machine at the start: {machine_line()}")
    print(f"Lighthouse {version.strip()}, {chrome_version}, default mobile emulation, {args.runs} runs per page")

    tmp = Path(tempfile.mkdtemp(prefix="handlingsprogram-lighthouse."))
    reports = args.keep_reports or tmp / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{tmp / 'db.sqlite3'}"),
        PORT=str(port),
        WEB_CONCURRENCY="2",
        DJANGO_SECRET_KEY="lighthouse-" + "k" * 50,
        DJANGO_STATIC_ROOT=str(tmp / "static"),
        DJANGO_MEDIA_ROOT=str(tmp / "media"),
        PYTHONUNBUFFERED="1",
    )
    serve = None
    try:
        log = (tmp / "server.log").open("w")
        serve = subprocess.Popen(
            [str(ROOT / "deploy" / "serve.sh")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        wait_until(lambda: fetch(base + "/readyz", timeout=5)[0] == 200, 900, "deploy/serve.sh answering /readyz")
        print(f"server: deploy/serve.sh (gunicorn, 2 workers, DEBUG off) on {base}; log in {tmp / 'server.log'}")
        targets = pages(base)
        if args.page:
            unknown = set(args.page) - set(targets)
            if unknown:
                raise SystemExit(f"lighthouse: no page {', '.join(sorted(unknown))}; the pages: {', '.join(targets)}")
            targets = {name: path for name, path in targets.items() if name in args.page}
        for path in targets.values():  # warm up: templates compiled, connections open
            status, _ = fetch(base + path)
            if status != 200:
                raise SystemExit(f"lighthouse: {path} answered {status}")

        rows = []
        for name, path in targets.items():
            runs = []
            for number in range(1, args.runs + 1):
                slug = re.sub(r"\W+", "-", name)
                runs.append(summarise(run_lighthouse(base + path, reports / f"{slug}-{number}.json")))
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "failing"}
            median["failing"] = set().union(*(run["failing"] for run in runs))
            median["perf range"] = (min(r["performance"] for r in runs), max(r["performance"] for r in runs))
            rows.append((name, path, median))
            print(f"  {name}: done ({args.runs} runs)", flush=True)

        print(f"machine at the end: {machine_line()}")
        print()
        print("| page | performance | accessibility | best practices | SEO | FCP | LCP | CLS | TBT |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, path, m in rows:
            low, high = m["perf range"]
            perf = f"{m['performance']:.0f}" + (f" ({low}–{high})" if low != high else "")
            print(
                f"| {name} (`{path}`) | {perf} | {m['accessibility']:.0f} | {m['best-practices']:.0f} | "
                f"{m['seo']:.0f} | {m['FCP']:.1f} s | {m['LCP']:.1f} s | {m['CLS']:.3f} | {m['TBT']:.0f} ms |"
            )
        print()
        for name, _, m in rows:
            if m["failing"]:
                print(f"{name}: " + "; ".join(sorted(m["failing"])))
        return 0
    except BaseException:
        print("--- server log (last 3000 characters) ---\n" + (tmp / "server.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        if serve is not None:
            stop_process_group(serve)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
