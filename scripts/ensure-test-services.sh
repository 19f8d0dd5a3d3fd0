#!/usr/bin/env bash
# Install (when missing) and start what the test suite needs: headless Chromium, Node.js
# (to run a second iCalendar parser on the feeds) and a local PostgreSQL server with a
# `gstp` role allowed to create databases. Idempotent; run as root.
set -euo pipefail

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium…"
  apt_install chromium fonts-dejavu-core
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js (the feed tests parse with ical.js)…"
  apt_install nodejs npm
fi

# WeasyPrint (PDF) loads Pango through its C library; fonts so text has glyphs.
if ! ldconfig -p | grep -q "libpangoft2-1.0.so.0"; then
  echo "Installing Pango for WeasyPrint…"
  apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL…"
  apt_install postgresql
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port"

su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname = 'gstp'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc \"CREATE ROLE gstp LOGIN CREATEDB PASSWORD 'gstp'\""
echo "PostgreSQL $version ready on port $port"
