#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL at the same time (`make test`).
#
# Each run mostly keeps one core busy, so on two cores both end about when the longer one
# alone would. Each writes to its own log and its own pytest temporary directory; a log
# is printed whole as soon as its run ends, then one line per run. Fails when either fails.
# Arguments are passed to both pytest runs.
#
# The browser tests (marker `browser`) run once, in the SQLite run: what they check in
# Chromium (layout, scripts, accessibility, the journeys' screens) does not depend on the
# database, and the pages they open are tested on both databases through the Flask client.
# Run in both, they took 9 of the suite's 21 minutes on two cores (BENCHMARKS.md).
# `make test-postgres` runs them on PostgreSQL too.
set -uo pipefail
BIN=${BIN:-.venv/bin}
POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql+psycopg://gstp:gstp@127.0.0.1:5432/postgres}

work=$(mktemp -d)
pids=()
cleanup() {  # an interrupted make test leaves no pytest behind
  for pid in "${pids[@]}"; do
    pkill -TERM -P "$pid" 2>/dev/null
    kill "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_run() {  # name, the GSTP_TEST_DATABASE value, then pytest's arguments
  local name=$1 database=$2
  (
    began=$SECONDS
    # No cache plugin: two runs writing .pytest_cache at once would mix their results.
    GSTP_TEST_DATABASE=$database "$BIN/pytest" -p no:cacheprovider \
      --basetemp="$work/$name-tmp" "${@:3}" >"$work/$name.log" 2>&1
    echo "$? $((SECONDS - began))" >"$work/$name.status.part"
    mv "$work/$name.status.part" "$work/$name.status"
  ) &
  pids+=("$!")
}

began=$SECONDS
echo "== pytest on SQLite and on PostgreSQL at the same time (logs printed as each ends)"
echo "== the browser tests run in the SQLite run only (make test-postgres runs them on PostgreSQL)"
start_run sqlite sqlite "$@"
start_run postgresql "$POSTGRES_URL" -m "not browser" "$@"

declare -A shown=()
summary=()
failed=0
while [ "${#shown[@]}" -lt 2 ]; do
  for name in sqlite postgresql; do
    [ -n "${shown[$name]:-}" ] || [ ! -f "$work/$name.status" ] && continue
    read -r code seconds <"$work/$name.status"
    echo
    echo "==================== pytest on $name: log ===================="
    cat "$work/$name.log"
    line="$name: exit $code, $((seconds / 60)) min $((seconds % 60)) s"
    echo "==================== $line ===================="
    summary+=("$line")
    [ "$code" = 0 ] || failed=1
    shown[$name]=1
  done
  [ "${#shown[@]}" -lt 2 ] && sleep 1
done
wait

echo
elapsed=$((SECONDS - began))
printf '== %s\n' "${summary[@]}" "both suites: $((elapsed / 60)) min $((elapsed % 60)) s"
[ "$failed" = 0 ] || { echo "== FAILED: see the log above." >&2; exit 1; }
