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

.PHONY: install demo test lint typecheck architecture migrations-check test-sqlite test-postgres test-browser bench fuzz clean

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

# tests/fuzz is the short fuzz run (a few fixed inputs per reader and the kept corpus, under a minute).
test-sqlite: install
	$(BIN)/pytest tests/unit tests/integration tests/fuzz -q -n 2

test-postgres: install
	SOCREADY_DATABASE_URL=$(PG_URL) $(BIN)/pytest tests/integration -q -n 2

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .browser-deps axe-core@$(AXE_VERSION)

test-browser: install $(AXE)
	$(BIN)/pytest tests/browser -q

test: lint typecheck architecture migrations-check test-sqlite test-postgres test-browser

# The long fuzz run: hundreds of fresh inputs per reader (over 5,000 in all) and the kept corpus at the sizes
# issue #18 found; prints inputs tried, refusals, reads, hangs, crashes and the peak RSS of a reader's child.
# One process: each input already runs in its own child. FUZZ_EXAMPLES sets the inputs per generated test.
FUZZ_EXAMPLES ?= 300
fuzz: install
	SOCREADY_FUZZ=long SOCREADY_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz -q -n 0

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build dist *.egg-info
