# Netra: `make run` runs the whole system here; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser-deps test-deps local-services run test test-unit lint typecheck bench chaos lock clean-data help

help:
	@echo "make run    - set up and run the whole system on this machine (Ctrl-C stops it)"
	@echo "make test   - set up and run every test (unit, integration, end-to-end, browser)"
	@echo "make lint   - ruff and mypy (every domain/ and use-case module)"
	@echo "make bench  - benchmarks in tests/perf (figures printed and written to bench-results/)"
	@echo "make chaos  - the fault run: broker/database cuts, flapping, latency, SIGKILLs, SeaweedFS away,"
	@echo "              poison, while clients file; lost = 0, duplicated = 0 (table in bench-results/;"
	@echo "              about 15 minutes; ARGS='--help' for its options, e.g. ARGS='--only broker')"
	@echo "make lock   - re-resolve requirements.in into requirements.lock"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded browser); install it once.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }; }

# The dossier embeds DejaVu Sans (fonts-dejavu-core); its tests look at it with poppler-utils
# (pdftoppm, pdftotext, pdfimages). Debian's packages, installed once.
test-deps:
	@{ test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf && command -v pdftoppm >/dev/null 2>&1; } || { \
	  echo "Installing Debian's fonts-dejavu-core and poppler-utils for the dossier..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core poppler-utils >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core poppler-utils >/dev/null; }; }
	@command -v pg_dump >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-client: the identity vault's at-rest test copies the database with pg_dump..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null; }; }

# The machine's PostgreSQL and RabbitMQ, started if they are down (never restarted if they are up).
local-services:
	@deploy/local/ensure-services.sh

run: install test-deps local-services
	$(BIN)/netra-stack run

test: install browser-deps test-deps local-services
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

test-unit: install
	$(BIN)/python -m pytest tests/unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# mypy's files and settings are in pyproject.toml ([tool.mypy]).
typecheck: install
	$(BIN)/mypy

bench: install
	$(BIN)/python -m pytest tests/perf -p no:cacheprovider -s -q

chaos: install local-services
	$(BIN)/python -m tests.chaos.runner $(ARGS)

lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.in
	( echo "# Resolved from requirements.in by 'make lock'. Every install uses these pins."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e ' ) > requirements.lock

clean-data:
	rm -rf .netra
