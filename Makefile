# Handlingsprogram-portalen — developer entry points.
#
#   make run     set everything up, load the programme and demo users, serve on http://127.0.0.1:8000/ (PORT=...)
#   make serve   the production path: gunicorn + the task worker with DEBUG off, against DATABASE_URL
#   make test    set everything up, run pytest (extra arguments in PYTEST_ARGS)
#   make help    list all targets
#
# Every target is safe to run again: the expensive steps (pip, npm) are skipped while their inputs are unchanged.
# Nothing is downloaded except Python packages by pip and front-end packages by npm.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# Override with `make PYTHON=/path/to/python3.12 ...`; otherwise the newest suitable interpreter is found (see venv).
PYTHON ?=
PYTEST_ARGS ?=
# make loadtest FAULT=db-restart|worker-kill|gunicorn-kill (empty: no fault)
FAULT ?=
# xdist workers for `make test`: one per core, at most 4 (each builds its own test database); 0 runs in one process.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n < 4 ? n : 4 )))

VENV := .venv
VENV_PY := $(VENV)/bin/python
MANAGE := $(VENV_PY) manage.py
PIP_STAMP := $(VENV)/.installed-pyproject.toml
NPM_STAMP := node_modules/.installed-package-lock.json
VENDOR := static/vendor

# The settings default to production (DEBUG off, secret key required); everything make starts is development.
export DJANGO_DEBUG := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup venv deps node assets messages db run serve loadtest audit test lint format migrations-check clean

help: ## List the targets
	@echo "Handlingsprogram-portalen — make targets:"
	awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	echo
	echo "Variables: PORT (run, default 8000), PYTEST_ARGS and PYTEST_WORKERS (test), PYTHON (interpreter for a new .venv),"
	echo "           DATABASE_URL (default: SQLite in db.sqlite3)"

setup: deps assets messages ## Create .venv, install Python and npm packages, copy front-end assets, compile translations

venv: ## Create .venv with Python >= 3.12 (recreated if it is older or broken)
	@is_new_enough() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
	version_of() { "$$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null; }
	if [ -n "$(PYTHON)" ]; then
	    candidates=("$(PYTHON)")
	else
	    shopt -s nullglob
	    pyenv_pythons=("$(HOME)"/.pyenv/versions/3.1[2-9]*/bin/python)
	    candidates=(python3.13 python3.12 python3)
	    if [ $${#pyenv_pythons[@]} -gt 0 ]; then
	        mapfile -t sorted < <(printf '%s\n' "$${pyenv_pythons[@]}" | sort -rV)
	        candidates+=("$${sorted[@]}")
	    fi
	fi
	# An existing venv is kept if it is new enough, and (when PYTHON is given) the same minor version as PYTHON.
	if [ -x "$(VENV_PY)" ] && is_new_enough "$(VENV_PY)"; then
	    if [ -z "$(PYTHON)" ] || [ "$$(version_of "$(VENV_PY)")" = "$$(version_of "$(PYTHON)")" ]; then
	        exit 0
	    fi
	fi
	python=""
	for candidate in "$${candidates[@]}"; do
	    if is_new_enough "$$candidate"; then python="$$candidate"; break; fi
	done
	if [ -z "$$python" ]; then
	    echo "error: Python 3.12 or newer is required; install it (e.g. apt-get install python3.12 or pyenv install 3.12)" >&2
	    echo "       or point to one with: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)" >&2
	    echo "       tried: $${candidates[*]}" >&2
	    exit 1
	fi
	if [ -e "$(VENV)" ]; then
	    echo "==> $(VENV) is missing, broken or on the wrong Python; recreating it"
	    rm -rf "$(VENV)"
	fi
	echo "==> Creating $(VENV) with $$python ($$("$$python" --version 2>&1))"
	"$$python" -m venv "$(VENV)"

deps: venv ## Install the project and dev tools into .venv (skipped while pyproject.toml is unchanged)
	@if [ -f "$(PIP_STAMP)" ] && cmp -s pyproject.toml "$(PIP_STAMP)"; then exit 0; fi
	echo "==> pip install -e '.[dev]'"
	"$(VENV_PY)" -m pip install --quiet -e '.[dev]'
	cp pyproject.toml "$(PIP_STAMP)"

node: ## npm ci (skipped while package-lock.json is unchanged)
	@if [ -f "$(NPM_STAMP)" ] && cmp -s package-lock.json "$(NPM_STAMP)"; then exit 0; fi
	if ! command -v npm >/dev/null; then
	    echo "error: npm (Node.js) is required for the front-end assets; install it (e.g. apt-get install nodejs npm)" >&2
	    exit 1
	fi
	echo "==> npm ci"
	npm ci --no-audit --no-fund --loglevel=error
	cp package-lock.json "$(NPM_STAMP)"

assets: node ## Copy Designsystemet CSS and the Inter font from node_modules into static/vendor/ (deploy/assets.sh)
	@deploy/assets.sh

messages: deps ## Compile translations (.mo files are committed, so this is skipped without gettext's msgfmt)
	@if ! command -v msgfmt >/dev/null; then
	    echo "==> msgfmt not found (gettext); using the committed .mo files"
	    exit 0
	fi
	$(MANAGE) compilemessages --ignore=$(VENV) --ignore=node_modules --ignore=static --ignore=staticfiles \
	    --verbosity=0

db: deps ## Migrate and load the 2020–2023 programme and the demo users (idempotent)
	@echo "==> migrate, load_programme, load_demo"
	$(MANAGE) migrate --noinput
	$(MANAGE) load_programme
	$(MANAGE) load_demo

run: setup db ## Serve the portal on http://127.0.0.1:PORT/ (default 8000, DEBUG on)
	@echo "==> http://127.0.0.1:$${PORT:-8000}/"
	exec $(MANAGE) runserver "127.0.0.1:$${PORT:-8000}"

serve: setup ## Try the production path: gunicorn + task worker, DEBUG off, against DATABASE_URL (default SQLite)
	@exec deploy/serve.sh

loadtest: setup ## Mixed load on the production path at 10× on a throwaway PostgreSQL (FAULT=db-restart|worker-kill|gunicorn-kill)
	@if [ -f "$(VENV)/.installed-loadtest" ] && cmp -s pyproject.toml "$(VENV)/.installed-loadtest"; then :; else
	    echo "==> pip install -e '.[dev,loadtest]'"
	    "$(VENV_PY)" -m pip install --quiet -e '.[dev,loadtest]'
	    cp pyproject.toml "$(VENV)/.installed-loadtest"
	fi
	FAULT="$(FAULT)" exec $(VENV_PY) bench/loadtest.py

audit: deps ## Check the installed Python packages against known vulnerabilities (pip-audit)
	@$(VENV_PY) deploy/audit.py

test: setup ## Run the tests (pytest on PYTEST_WORKERS workers, with PYTEST_ARGS; SQLite unless DATABASE_URL is set)
	@$(VENV_PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: deps ## ruff check + ruff format --check + lint-imports (the one-way imports in pyproject.toml)
	@$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

format: deps ## Apply ruff's fixes and formatting
	@$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: deps ## Fail if a model change has no migration
	@$(MANAGE) makemigrations --check --dry-run

clean: ## Remove .venv, node_modules, static/vendor and collected static files (keeps db.sqlite3)
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles .pytest_cache .ruff_cache
