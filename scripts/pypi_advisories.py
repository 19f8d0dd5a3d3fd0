"""Known vulnerabilities of the installed packages, from PyPI's project JSON.

The fallback of scripts/audit.sh when pip-audit's services cannot be reached (some networks
let the package index through but not its per-version JSON nor OSV). PyPI's project
endpoint lists the advisories of the project's latest release only, so a package at its
latest release is checked for real and a package behind it is reported as not checked.
Exit status: 1 when a vulnerability is found, else 2 when some package could not be read
from PyPI, else 0.
"""
import json
import os
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import distributions

PROJECT_URL = os.environ.get("PYPI_PROJECT_URL", "https://pypi.org/pypi/{name}/json")


def _installed() -> dict[str, str]:
    """Name → version of every installed distribution except the project itself."""
    return {dist.metadata["Name"].lower(): dist.version for dist in distributions()
            if dist.metadata["Name"] and dist.metadata["Name"].lower() != "gstp"}


def _project(name: str) -> dict | None:
    """PyPI's JSON for a project, or None when it cannot be read."""
    url = PROJECT_URL.format(name=name)
    if not url.startswith(("https://", "http://127.0.0.1:")):
        raise ValueError(f"refusing to read {url}: https, or the local test server only")
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - scheme checked
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def main() -> int:
    installed = _installed()
    with ThreadPoolExecutor(max_workers=8) as pool:
        projects = dict(zip(installed, pool.map(_project, installed), strict=True))
    unreadable = sorted(name for name, data in projects.items() if data is None)
    behind, found = [], []
    for name, data in sorted(projects.items()):
        if data is None:
            continue
        latest = data["info"]["version"]
        if latest != installed[name]:
            behind.append(f"{name} {installed[name]} (latest {latest})")
            continue
        for advisory in data.get("vulnerabilities") or []:
            if not advisory.get("withdrawn"):
                fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
                found.append(f"{name} {installed[name]}: {advisory['id']} (fixed in {fixed})")
    checked = len(installed) - len(unreadable) - len(behind)
    print(f"PyPI advisories: {checked} of {len(installed)} packages checked "
          "(installed at their latest release).")
    if behind:
        print("Not checked (PyPI lists advisories of the latest release only): "
              + "; ".join(behind))
    for line in found:
        print(f"VULNERABLE: {line}", file=sys.stderr)
    if unreadable:
        print("Could not read from PyPI: " + ", ".join(unreadable), file=sys.stderr)
    if found:
        return 1
    return 2 if unreadable else 0


if __name__ == "__main__":
    sys.exit(main())
