# Anquan 安全生产治理平台 — set-up, demo and tests.
#
#   make demo        set up everything, load the demo city, serve on 127.0.0.1:$(PORT)
#   make test        every test (browser tests included); fails when none is collected
#   make bench       the benchmark on PostgreSQL (SCALE=district|province), see docs/performance.md
#   make serve-prod  gunicorn + a Celery worker + beat on PostgreSQL and Redis (DATABASE_URL, REDIS_URL)
#
# Set-up steps are stamped: pip reruns only when requirements/lock.txt changes, npm only
# when package.json / package-lock.json change, the vendored assets only when those did.

PORT ?= 8000
PYTHON ?= python3
VENV ?= .venv
# pytest-xdist workers: "auto" = one per core.
WORKERS ?= auto
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-k audit -x"
PYTEST_ARGS ?=
# `make serve DEMO=0` serves without demo mode (demo passwords then refused).
DEMO ?= 1
# `make bench SCALE=province` for the province-size dataset (default: one district).
SCALE ?= district

PY := $(VENV)/bin/python
PIP_STAMP := $(VENV)/.anquan-lock-installed
NPM_STAMP := node_modules/.anquan-npm-installed
VENDOR_STAMP := var/vendor/.anquan-vendored
NPM_LOCK := $(wildcard package-lock.json)

# Exit 5 (no tests collected) must fail the target, loudly.
define run_pytest
	@echo "+ $(PY) -m pytest $(1)"
	@$(PY) -m pytest $(1); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make: pytest collected no tests (exit 5) — failing" >&2; fi; \
	exit $$rc
endef

.PHONY: demo serve serve-prod test test-fast lint setup migrate clean help bench

help:
	@echo "make demo       set up, migrate, load the demo city, serve on 127.0.0.1:$(PORT) (ANQUAN_DEMO=1)"
	@echo "make serve      set up, migrate and serve without loading demo data (DEMO=0 for no demo mode)"
	@echo "make serve-prod gunicorn + Celery worker + beat; needs DATABASE_URL=postgres://… REDIS_URL=redis://… (docs/deploy.md)"
	@echo "make test       every test, browser tests included (WORKERS=$(WORKERS), PYTEST_ARGS=...)"
	@echo "make test-fast  tests not marked browser or slow"
	@echo "make lint       ruff check"
	@echo "make bench      benchmark on PostgreSQL: dataset, gunicorn, scenarios → var/bench/results.json (SCALE=$(SCALE))"
	@echo "make clean      remove the SQLite database var/anquan.sqlite3*"

demo: setup migrate
	ANQUAN_DEMO=1 $(PY) manage.py load_demo --inspections
	@echo "演示账号密码 / demo password: anquan-demo — http://127.0.0.1:$(PORT)/"
	ANQUAN_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: setup migrate
	ANQUAN_DEMO=$(DEMO) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production processes on one machine, in the foreground (systemd units: docs/deploy.md).
serve-prod: setup
	@test -n "$$DATABASE_URL" && test -n "$$REDIS_URL" || { \
		echo "make serve-prod needs DATABASE_URL=postgres://user:password@host:5432/anquan and REDIS_URL=redis://host:6379/0" >&2; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	GUNICORN_BIND=$${GUNICORN_BIND:-127.0.0.1:$(PORT)} VENV=$(VENV) scripts/serve_prod.sh

test: setup
	$(call run_pytest,-n $(WORKERS) $(PYTEST_ARGS))

test-fast: setup
	$(call run_pytest,-n $(WORKERS) -m "not browser and not slow" $(PYTEST_ARGS))

# The benchmark (issue 5; docs/performance.md): builds anquan_bench_$(SCALE) on the PostgreSQL of
# BENCH_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/), runs the scenarios
# through gunicorn and wrk (installed from Debian when missing), writes var/bench/results.json.
bench: setup
	@command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk \
		|| (apt-get update && apt-get install -y --no-install-recommends wrk) \
		|| echo "make bench: wrk could not be installed — the throughput scenario will be reported as missing" >&2
	SCALE=$(SCALE) $(PY) -m bench.run

lint: $(PIP_STAMP)
	$(PY) -m ruff check .

setup: $(PIP_STAMP) $(VENDOR_STAMP)
	@mkdir -p var/static var/media

migrate: $(PIP_STAMP)
	$(PY) manage.py migrate --noinput

clean:
	rm -f var/anquan.sqlite3 var/anquan.sqlite3-wal var/anquan.sqlite3-shm var/anquan.sqlite3-journal

# --- stamped set-up steps ---------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Anquan needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(PIP_STAMP): requirements/lock.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-input -r requirements/lock.txt
	@touch $@

# npm ci installs exactly package-lock.json; without a lock (never on main) npm install writes one.
$(NPM_STAMP): package.json $(NPM_LOCK)
ifneq ($(NPM_LOCK),)
	npm ci --ignore-scripts --no-audit --no-fund
else
	npm install --ignore-scripts --no-audit --no-fund
endif
	@touch $@

$(VENDOR_STAMP): $(NPM_STAMP) scripts/vendor_assets.py
	$(PYTHON) scripts/vendor_assets.py
	@touch $@
