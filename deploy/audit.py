"""`make audit`: the installed Python packages (what pyproject.toml pins, and what those pull in) checked for
known vulnerabilities with pip-audit, against the advisory data PyPI publishes for each release.

Exit status 1 when any package has a known vulnerability. When the advisory data cannot be reached (a machine
without access to PyPI's JSON API), nothing can be checked: that is said loudly, and it fails too if
AUDIT_REQUIRE_SERVICE=1 (set it where the service is reachable, so a broken network never passes silently)."""

import json
import os
import subprocess
import sys
import tempfile


def main() -> int:
    freeze = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True, check=True
    )
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as requirements:
        requirements.write(freeze.stdout)
        requirements.flush()
        result = subprocess.run(  # noqa: S603 -- our own interpreter and fixed arguments
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--requirement",
                requirements.name,
                "--no-deps",  # the freeze already lists every installed package
                "--disable-pip",
                "--format",
                "json",
                "--progress-spinner",
                "off",
            ],
            capture_output=True,
            text=True,
        )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        print(result.stdout + result.stderr, file=sys.stderr)
        print("pip-audit failed to run (output above)", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    checked = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in: {fixed})")
    print(f"pip-audit: {checked} of {len(dependencies)} packages checked, {len(vulnerable)} with known vulnerabilities")
    if vulnerable:
        return 1
    if skipped:
        print(
            f"WARNING: {len(skipped)} packages could not be checked; first reason: {skipped[0]['skip_reason']}",
            file=sys.stderr,
        )
        if checked == 0:
            print(
                "WARNING: PyPI's advisory data was not reachable from this machine: nothing was checked.",
                file=sys.stderr,
            )
            if os.environ.get("AUDIT_REQUIRE_SERVICE") == "1":
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
