#!/usr/bin/env bash
# Security checks run by `make audit` (and so by `make test`) before the test suite:
# bandit on gstp/ (medium and high severity must be zero), then pip-audit on the installed
# environment against PyPI's vulnerability data. pip-audit needs the network: when its
# services cannot be reached, scripts/pypi_advisories.py checks what PyPI's project pages
# publish (the latest release's advisories) and says what it could not check.
# SKIP_PIP_AUDIT=1 skips it, saying so.
set -uo pipefail
BIN=${BIN:-.venv/bin}

echo "== bandit (gstp/, severity medium and high)"
"$BIN/bandit" -c pyproject.toml -r gstp -q --severity-level medium || {
  echo "bandit: findings above, fix them (or justify a '# nosec BXXX' on the line)." >&2
  exit 1
}
echo "bandit: no issue of medium or high severity."

if [ "${SKIP_PIP_AUDIT:-}" = "1" ]; then
  echo "== pip-audit SKIPPED (SKIP_PIP_AUDIT=1): dependencies were NOT checked for known vulnerabilities." >&2
  exit 0
fi
echo "== pip-audit (installed packages, PyPI vulnerability data)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# --strict: a package whose data could not be fetched fails the audit instead of being skipped.
if "$BIN/pip-audit" --strict --skip-editable --progress-spinner off >"$log" 2>&1; then
  cat "$log"
  exit 0
fi
cat "$log" >&2
if grep -qE "Dependency not found on PyPI|ConnectionError|Max retries|Name or service not known|timed out" "$log"; then
  echo "pip-audit NOT RUN: its vulnerability service could not be reached or did not answer for" >&2
  echo "every package. Falling back to the advisories PyPI publishes with each project." >&2
  "$BIN/python" scripts/pypi_advisories.py
  case $? in
    0) ;;
    1) echo "Known vulnerabilities above; upgrade the packages named." >&2; exit 1 ;;
    *) echo "Some packages could not be checked at all (see above)." >&2 ;;
  esac
  # pip-audit itself did not run: fatal only when it is required.
  [ "${PIP_AUDIT_REQUIRED:-}" = "1" ] && exit 1
  exit 0
else
  echo "pip-audit FAILED: known vulnerabilities above; upgrade the packages named." >&2
fi
exit 1
