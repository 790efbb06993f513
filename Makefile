# Coachloop: two commands from a fresh clone.
#   make demo   install everything, build the demo database and serve it on 127.0.0.1:8000
#   make test   install everything and run the whole suite (browser tests included)

SHELL := /bin/bash
PYTHON ?= python3
# uv: the one on PATH, else ~/.local/bin/uv, else our own copy in .tools/uv, installed with pip
# into a throwaway venv (no system pip needed, root or not: Debian's pip refuses --user installs).
UV_PIN := uv==0.13.9
UV_BOOTSTRAP := .tools/uv
UV ?= $(or $(shell command -v uv 2>/dev/null),$(wildcard $(HOME)/.local/bin/uv),$(CURDIR)/$(UV_BOOTSTRAP)/bin/uv)
VENV := .venv
MANAGE := $(VENV)/bin/python manage.py
CHROMIUM ?= /usr/bin/chromium
DEMO_ADDRESS ?= 127.0.0.1:8000

.PHONY: demo test bench bench-roster bench-pdf bench-pages install install-python install-assets install-browser lint check serve clean check-system install-system install-uv install-server release

# The demo serves as a server would, with debugging off: an address that leads nowhere shows
# Coachloop's own "Page not found", not Django's debug page, and WhiteNoise serves the static
# files collected into staticfiles/ (tests/install/test_demo_serving.py runs this line).
DEMO_ENV := COACHLOOP_DEBUG=0

demo: install
	rm -f coachloop.sqlite3
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --replace
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Serving the demo on http://$(DEMO_ADDRESS)/ with a task worker beside it (Ctrl+C to stop both)"
	$(DEMO_ENV) $(MANAGE) db_worker --no-reload --worker-id demo-worker & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(MANAGE) runserver $(DEMO_ADDRESS)

test: install install-browser
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The dashboard benchmark on a throwaway PostgreSQL 15 (or DATABASE_URL): rewrites its section
# of benchmarks/RESULTS.md and its part of results.json. A quick run: make bench BENCH_ARGS="--scale 0.1"
bench: install
	BENCH_COMMAND="make bench$(if $(BENCH_ARGS), BENCH_ARGS='$(BENCH_ARGS)')" benchmarks/run $(BENCH_ARGS)

# Importing 10,000 staff from a OneRoster export, on a throwaway PostgreSQL 15 (or
# DATABASE_URL) and then on SQLite: rewrites its section of benchmarks/RESULTS.md and its key of
# results.json. A quick run: make bench-roster BENCH_ARGS="--staff 1000 --students 10000"
bench-roster: install
	BENCH_MODULE=benchmarks.roster_import \
	BENCH_COMMAND="make bench-roster$(if $(BENCH_ARGS), BENCH_ARGS='$(BENCH_ARGS)')" \
	benchmarks/run $(BENCH_ARGS)

# How soon the demo teacher sees their record's PDF page, and how long the worker takes to
# make the PDF, on SQLite in a temporary folder: rewrites its section of benchmarks/RESULTS.md.
bench-pdf: install
	BENCH_COMMAND="make bench-pdf" $(VENV)/bin/python -m benchmarks.record_pdf $(BENCH_ARGS)

# Each role's main pages against the sign-in page, served by gunicorn (production settings,
# 2 workers) and loaded with wrk (apt-get install wrk), at the demo's size and 10x, on a
# throwaway PostgreSQL 15 (or DATABASE_URL): rewrites its section of benchmarks/RESULTS.md and
# `pages` in results.json (about 12 minutes). A smoke run: make bench-pages BENCH_ARGS="--quick"
bench-pages: install
	@PYTHON=$(PYTHON) UV=$(UV) scripts/check-system --bench
	BENCH_MODULE=benchmarks.pages \
	BENCH_COMMAND="make bench-pages$(if $(BENCH_ARGS), BENCH_ARGS='$(BENCH_ARGS)')" \
	benchmarks/run $(BENCH_ARGS)

install: install-python install-assets

# What the system must provide (Python 3.11+, Pango, Node and npm, ...): prints the exact
# `apt install` line for what is missing and stops. As root, `make install-system` installs it.
check-system:
	@PYTHON=$(PYTHON) UV=$(UV) scripts/check-system

install-system:
	PYTHON=$(PYTHON) UV=$(UV) scripts/check-system --install --bench

install-uv:
	@[ -x "$(UV)" ] || { \
	  echo "Installing $(UV_PIN) into $(UV_BOOTSTRAP) (a venv of its own; system pip is not used)"; \
	  rm -rf $(UV_BOOTSTRAP) && $(PYTHON) -m venv $(UV_BOOTSTRAP) \
	  && $(UV_BOOTSTRAP)/bin/pip install --quiet --disable-pip-version-check $(UV_PIN); }

# The prod group too (gunicorn, sentry-sdk), so the tests run what a server runs.
install-python: check-system install-uv
	$(UV) sync --frozen --quiet --group prod

install-assets: check-system
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	npm run --silent build:css

# Debian's Chromium, for the browser tests. Installed only when missing and we are root;
# otherwise the browser tests skip and say why.
install-browser:
	@if [ -x "$(CHROMIUM)" ]; then \
	  echo "Browser tests will use $(CHROMIUM)."; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	    || echo "Could not install chromium: browser tests will be skipped."; \
	else \
	  echo "Chromium is not installed and this is not root: browser tests will be skipped."; \
	fi

# A release for a server: dist/coachloop-<version>.tar.gz, the tracked files plus the built
# stylesheet and front-end files, so the server needs no Node, npm or development tools.
release: install
	$(VENV)/bin/python scripts/release

# On the server, in an unpacked release: Python packages for production only (gunicorn, no
# pytest, no Playwright). See docs/operating.md, "Production install".
install-server:
	@PYTHON=$(PYTHON) UV=$(UV) scripts/check-system --server
	@$(MAKE) --no-print-directory install-uv
	$(UV) sync --frozen --no-default-groups --group prod

# Style, security and the apps' layers (the import-linter contracts in pyproject.toml).
lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r src -ll
	$(VENV)/bin/lint-imports

serve:
	$(MANAGE) runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) node_modules build staticfiles coachloop.sqlite3 .tools dist
