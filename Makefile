# Circleback — `make run` to use it, `make test` to check everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist: one worker per core (each with its own test database and data directory).
# loadscope hands out a module at a time as a worker is free, in collection order (conftest.py
# puts the long ones first), so a module's servers or cluster start once, not once per worker
# (worksteal split modules). loadgroup would do it per marked module, but pytest-xdist 3.8's
# groups have no effect under pytest 9. PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= auto
XDIST := -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder

.PHONY: run test lint typecheck pytest pytest-sqlite pytest-postgres browser bench bench-org loadtest demo clean help

help:
	@echo "make run     set up and serve Circleback on http://127.0.0.1:8000 (SQLite)"
	@echo "make test    set up and run every check (lint, types, SQLite, PostgreSQL, browser)"
	@echo "make bench   measure speed on generated data; writes bench/results.json"
	@echo "make bench-org  one account among 100 (500k people) on PostgreSQL; bench/results-org.json"
	@echo "make loadtest  two app processes and a worker on PostgreSQL, 32 users, one killed; bench/loadtest.json"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m compileall -q src > /dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/circleback serve

test: $(STAMP)
	bash tools/system-deps.sh
	$(MAKE) --no-print-directory lint typecheck pytest-sqlite pytest-postgres

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# Sources compiled first (only what changed since the last time): where bytecode is not
# written (PYTHONDONTWRITEBYTECODE), every `circleback` process a test starts would compile
# again each module of ours changed since the install (0.15 s of CPU a start, measured).
COMPILE := $(BIN)/python -m compileall -q src > /dev/null

# Every test on SQLite, browser tests included.
pytest-sqlite: $(STAMP)
	$(COMPILE)
	$(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS)

# Every test that reaches a database again, on a throwaway PostgreSQL cluster; what touches
# no database, and the browser tests, ran above (see "Tests" in the README and conftest.py).
pytest-postgres: $(STAMP)
	$(COMPILE)
	$(BIN)/python tools/pgcluster.py -- $(BIN)/pytest -q $(XDIST) -m "not browser" $(PYTEST_ARGS)

# Sources compiled first, as an installed package is: the CLI timings include start-up,
# and an editable install would otherwise compile every module of ours at each start
# where bytecode is not written (PYTHONDONTWRITEBYTECODE).
bench: $(STAMP)
	$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/python bench/run.py

# One account among 100 (500,000 people, 1,000,000 journal entries) on a throwaway PostgreSQL,
# against the same account alone; about 15 minutes. BENCH_ORG_ARGS="--scale 0.05" for a quick look.
BENCH_ORG_ARGS ?=
bench-org: $(STAMP)
	$(BIN)/python -m compileall -q src > /dev/null
	$(BIN)/python tools/pgcluster.py -- $(BIN)/python bench/org.py $(BENCH_ORG_ARGS)

# Loopback only, about three minutes: setup, 40 s of load (32 users, each pausing 3 s on
# average between clicks), one app process killed half way and restarted (as systemd would),
# a worker importing and sending digests. Not part of `make test`: it needs the machine to
# itself to mean anything.
# LOADTEST_ARGS="--think 0" saturates the servers instead (capacity, not what a user waits).
LOADTEST_ARGS ?= --think 3
loadtest: $(STAMP)
	$(BIN)/python tools/loadtest.py --users 32 --seconds 40 --kill $(LOADTEST_ARGS) --out bench/loadtest.json

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
