# Netra: `make run` runs the whole system here; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser-deps test-deps local-services run test contract test-unit lint typecheck bench bench-deps chaos restore-drill cluster cluster-deps cluster-drill lock clean-data help

help:
	@echo "make run    - set up and run the whole system on this machine (Ctrl-C stops it)"
	@echo "make test   - set up and run every test (unit, integration, end-to-end, browser) on three"
	@echo "              pytest-xdist workers, two with a stack each, one for the tests that need none"
	@echo "              (tests/xdist_groups.py; WORKERS=1: one process);"
	@echo "              one file: .venv/bin/pytest tests/e2e/test_logins.py (one process, no workers)"
	@echo "make contract - the OpenAPI contract tests with schemathesis's full number of examples"
	@echo "make lint   - ruff and mypy (every domain/ and use-case module)"
	@echo "make bench  - issue 14's table: Netra's figures beside the machine's raw limits measured in the"
	@echo "              same run (bench-results/latest.json, BENCHMARKS.md); EVENTS=20000,100000 the log sizes,"
	@echo "              CASES=1000,10000 the queue and search sizes"
	@echo "make chaos  - the fault run: broker/database cuts, flapping, latency, SIGKILLs, SeaweedFS away,"
	@echo "              poison, while clients file; lost = 0, duplicated = 0 (table in bench-results/;"
	@echo "              about 15 minutes; ARGS='--help' for its options, e.g. ARGS='--only broker')"
	@echo "make restore-drill - file complaints, netra-backup, netra-restore into a fresh empty stack, verify"
	@echo "              everything; prints backup and restore time per 1,000 cases (DRILL_COMPLAINTS=200)"
	@echo "make cluster - the production topology on this machine: 3 RabbitMQ nodes, PostgreSQL primary +"
	@echo "              standby, SeaweedFS master + 3 volume servers + filer/S3, two replicas of every"
	@echo "              service, nginx in front (data in .netra-cluster/; Ctrl-C stops everything)"
	@echo "make cluster-drill - file through nginx while a RabbitMQ node, a replica of each service, a"
	@echo "              SeaweedFS volume server and the PostgreSQL primary fail in turn; lost = 0,"
	@echo "              duplicated = 0 (bench-results/cluster-drill.json; ARGS='--help' for options)"
	@echo "make lock   - re-resolve requirements.in into requirements.lock"

# The first run installs about a hundred packages (a minute or more): pip says each one as it goes.
$(STAMP): requirements.lock pyproject.toml
	@echo "netra: preparing $(VENV) (Python 3.11) from requirements.lock; the first time takes a few minutes"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --disable-pip-version-check --progress-bar off -r requirements.lock
	@echo "netra: installing Netra itself into $(VENV)"
	@$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)
	@echo "netra: $(VENV) is ready"

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
	@# Prometheus and promtool: the monitoring tests scrape a real stack and check deploy/monitoring/'s rules.
	@{ command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; } || { \
	  echo "Installing Debian's prometheus (with promtool) for the monitoring tests..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null; }; }
	@# Debian's nginx: tests/integration/test_production_layouts.py runs `nginx -t` over deploy/production/nginx/.
	@# RUNLEVEL=1: installed, not started (the test never serves; nothing takes port 80).
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx to check the production proxy configuration..."; \
	  RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >/dev/null || \
	  { apt-get update -q >/dev/null && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >/dev/null; }; }
	@command -v pg_dump >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql-client: the identity vault's at-rest test copies the database with pg_dump..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-client >/dev/null; }; }

# The machine's PostgreSQL and RabbitMQ, started if they are down (never restarted if they are up).
local-services:
	@deploy/local/ensure-services.sh

run: install test-deps local-services
	$(BIN)/netra-stack run

# Three workers, each its own pytest session: two with a stack each, the third for the groups that
# need none (the stacks at once stay those two workers ran: PostgreSQL allows 100 connections);
# tests/xdist_groups.py says which tests share a worker (a group runs on one worker, in the order collected).
WORKERS ?= 3
XDIST := $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadgroup --no-loadscope-reorder)

test: install browser-deps test-deps cluster-deps local-services
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(XDIST)

# schemathesis with the full number of examples per operation (make test draws fewer).
contract: install local-services
	NETRA_CONTRACT=full $(BIN)/python -m pytest tests/e2e/test_openapi_contract.py tests/e2e/test_team_openapi_contract.py

test-unit: install
	$(BIN)/python -m pytest tests/unit

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# mypy's files and settings are in pyproject.toml ([tool.mypy]).
typecheck: install
	$(BIN)/mypy

# The peer the event store is measured against (eventsourcing's PostgreSQL recorder), for the bench only.
bench-deps: install
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.txt

# The log sizes the rebuild and verify-log growth is shown at.
EVENTS ?= 20000,100000
# The numbers of cases the team's queue and search are measured at.
CASES ?= 1000,10000

bench: install bench-deps local-services
	BENCH_EVENTS=$(EVENTS) BENCH_CASES=$(CASES) $(BIN)/python -m pytest tests/perf -p no:cacheprovider -p no:randomly -s -q

chaos: install local-services
	$(BIN)/python -m tests.chaos.runner $(ARGS)

# The restore drill at a size worth timing (make test runs the same test with 3 complaints).
DRILL_COMPLAINTS ?= 200
restore-drill: install test-deps local-services
	NETRA_DRILL_COMPLAINTS=$(DRILL_COMPLAINTS) $(BIN)/python -m pytest -s -p no:randomly tests/e2e/test_restore_drill.py

# Debian's nginx for the cluster's doors (make cluster, make cluster-drill and their test).
cluster-deps:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx-light for the cluster..."; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null || \
	  { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; }; }

cluster: install cluster-deps
	$(BIN)/netra-stack cluster

cluster-drill: install cluster-deps
	$(BIN)/python -m tests.cluster.drill $(ARGS)

lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.in
	( echo "# Resolved from requirements.in by 'make lock'. Every install uses these pins."; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e ' ) > requirements.lock

clean-data:
	rm -rf .netra
