# socready: `make demo` serves a demo organization; `make test` runs every check and test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export SOCREADY_TEST_DATABASE_URL := $(PG_URL)

# axe-core checks the pages' accessibility in the browser tests; npm installs it into a folder of the checkout.
AXE_VERSION := 4.14.1
AXE := .browser-deps/node_modules/axe-core/axe.min.js

.PHONY: install demo test lint typecheck architecture migrations-check test-sqlite test-postgres test-browser bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/socready demo

lint: install
	$(BIN)/ruff check src tests bench

# The Django plugin imports the settings: they need a data folder, and a secret unless DEBUG is on.
typecheck: install
	SOCREADY_DEBUG=1 SOCREADY_DATA_DIR=$$(mktemp -d) $(BIN)/mypy

architecture: install
	$(BIN)/lint-imports

migrations-check: install
	SOCREADY_DEBUG=1 SOCREADY_DATA_DIR=$$(mktemp -d) $(BIN)/python -m django makemigrations --check --dry-run \
		--settings socready.web.settings

test-sqlite: install
	$(BIN)/pytest tests/unit tests/integration -q -n 2

test-postgres: install
	SOCREADY_DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/integration -q -n 2

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .browser-deps axe-core@$(AXE_VERSION)

test-browser: install $(AXE)
	$(BIN)/pytest tests/browser -q

test: lint typecheck architecture migrations-check test-sqlite test-postgres test-browser

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info
