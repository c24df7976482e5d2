# One target per chore. `make run` and `make test` set everything up from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv pip install --python $(BIN)/python -q
KRATOM_DB ?= data/kratom.duckdb
export KRATOM_DB

.PHONY: run test lint format bench bench-load bench-full browser demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv

$(VENV)/.runtime: $(BIN)/python requirements/runtime.txt pyproject.toml
	$(UV) -r requirements/runtime.txt
	$(UV) --no-deps -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime requirements/test.txt
	$(UV) -r requirements/test.txt
	touch $@

## Serve the dashboard on the embedded default (synthetic FAERS + real poison-center figures).
run: $(VENV)/.runtime
	@test -f $(KRATOM_DB) || $(BIN)/kratom-etl demo --db $(KRATOM_DB)
	$(BIN)/kratom-dash --db $(KRATOM_DB)

## Build the embedded default database again.
demo: $(VENV)/.runtime
	$(BIN)/kratom-etl demo --db $(KRATOM_DB)

## Whole suite, browser tests included (installs Chromium on Debian when run as root).
test: $(VENV)/.test browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## Debian's Chromium and ChromeDriver for the end-to-end tests.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "browser tests need the Debian packages chromium and chromium-driver (run as root to install them)" >&2; exit 1; fi

lint: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks (slow; never part of `make test`). Each prints ratios against a baseline of the same run.
bench: $(VENV)/.test
	$(BIN)/python bench/build_quarter.py

## gunicorn under 25 simulated analysts for 2 minutes, the database swapped at half time (~5 min).
bench-load: $(VENV)/.runtime
	$(BIN)/python bench/load_test.py

## Full history at full size (26M report versions; generation alone takes ~30 min of CPU, cached in
## bench/out/full): build time, memory, disk, per-quarter cost and the dashboard on the result.
## Quick try: make bench-full FULL_ARGS="--scale 0.02 --quarters 2012Q1..2013Q4 2025Q1"
FULL_ARGS ?=
bench-full: $(VENV)/.test
	$(BIN)/python bench/full_history.py $(FULL_ARGS)

clean:
	rm -rf $(VENV) data/*.duckdb* data/demo data/build
