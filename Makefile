# Interlude: `make demo` runs it with demo data; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install demo demo-code test test-fast lint format audit bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Interlude needs Python 3.11 or newer; set PYTHON=python3.x")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

demo: install
	@bin/demo

demo-code: install
	@INTERLUDE_ENV=demo SECRET_KEY_FILE=var/secret_key INTERLUDE_MASTER_KEYS_FILE=var/master_keys $(BIN)/python manage.py demo_code

# The tests without a browser on both cores, then the browser journeys one at a time (two
# Chromiums on two cores would be racing their own timeouts). Exit code 5 is "nothing here to
# run", for PYTEST_ARGS naming only one kind of test.
test: install
	@INTERLUDE_ENV=test $(BIN)/python -m pytest -m "not browser" -n 2 $(PYTEST_ARGS); \
	  code=$$?; [ $$code -eq 0 ] || [ $$code -eq 5 ] || exit $$code; \
	  INTERLUDE_ENV=test $(BIN)/python -m pytest -m browser $(PYTEST_ARGS); \
	  code=$$?; [ $$code -eq 0 ] || [ $$code -eq 5 ] || exit $$code

# Everything but the browser tests: the quick loop while working.
test-fast: install
	INTERLUDE_ENV=test $(BIN)/python -m pytest -m "not browser" -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	INTERLUDE_ENV=test $(BIN)/lint-imports
	INTERLUDE_ENV=test $(BIN)/mypy interlude

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Known vulnerabilities in every pinned dependency. --strict fails when any dependency could not
# be checked (for example when the vulnerability service cannot be reached), so a skipped check
# never passes silently. Needs network access to https://pypi.org.
audit: install
	@$(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off -r constraints.txt || { \
	  echo "make audit FAILED: a dependency in constraints.txt has a known vulnerability, or could not be checked (pip-audit must reach https://pypi.org/pypi/<name>/<version>/json)." >&2; \
	  exit 1; }

# Interlude's pages against Django's own floor in the same run, on a generated practice at 1/10
# and at the default size (README, Performance). Generated data is kept under var/bench/ and
# reused; BENCH_ARGS="--scales 1 --rounds 5" and the like change the run (--help lists them).
bench: install
	@bin/bench $(BENCH_ARGS)

clean:
	rm -rf var test-artifacts
