# Two entry points: `make run` (demo app on http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TEST_POSTGRES_URL ?= postgresql+psycopg://gstp:gstp@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres install translations services lint bench audit ical-client

# pip and setuptools upgraded: the ones bundled with venv are old and have known advisories.
$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

translations: install
	$(BIN)/pybabel compile -f -d gstp/translations >/dev/null

# GSTP_DEMO=1: local demo over plain HTTP, allowed with the default SECRET_KEY.
run: install translations
	GSTP_DEMO=1 $(FLASK) gstp init
	GSTP_DEMO=1 $(FLASK) gstp demo
	GSTP_DEMO=1 $(FLASK) gstp import-officials --builtin
	GSTP_DEMO=1 $(FLASK) gstp import-metrics --builtin
	@echo "Courriels de la démonstration (aucun envoi) / demo e-mails (not sent): http://127.0.0.1:5000/equipe/courriels/"
	GSTP_DEMO=1 $(FLASK) run --host 127.0.0.1 --port 5000

services:
	scripts/ensure-test-services.sh

# bandit + pip-audit (needs the network; SKIP_PIP_AUDIT=1 skips it and says so).
audit: install
	SKIP_PIP_AUDIT=$(SKIP_PIP_AUDIT) BIN=$(BIN) scripts/audit.sh

# ical.js (npm), a second iCalendar parser the feed tests run through Node.
ical-client:
	npm ci --prefix tests/ical_client --no-audit --no-fund --loglevel=error

# SQLite and PostgreSQL at the same time, each run's log printed when it ends.
test: install translations services lint audit ical-client
	BIN=$(BIN) TEST_POSTGRES_URL=$(TEST_POSTGRES_URL) scripts/test-suites.sh

test-sqlite: install translations ical-client
	$(BIN)/pytest

test-postgres: install translations services ical-client
	GSTP_TEST_DATABASE=$(TEST_POSTGRES_URL) $(BIN)/pytest

# ONLY=load (or load,stats) runs some benches; wrk and nginx come from apt-get when missing.
bench: install translations services
	ONLY="$(ONLY)" $(BIN)/python -m bench

# ruff, then the layers and the no-cycle rule of pyproject.toml (import-linter).
lint: install
	$(BIN)/ruff check gstp tests bench scripts
	$(BIN)/lint-imports
