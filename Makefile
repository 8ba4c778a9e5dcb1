# Anquan 安全生产治理平台 — set-up, demo and tests.
#
#   make demo        set up everything, load the demo city, serve on 127.0.0.1:$(PORT)
#   make test        every test (browser tests included); fails when none is collected
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

.PHONY: demo serve test test-fast lint setup migrate clean help

help:
	@echo "make demo       set up, migrate, load the demo city, serve on 127.0.0.1:$(PORT) (ANQUAN_DEMO=1)"
	@echo "make serve      set up, migrate and serve without loading demo data (DEMO=0 for no demo mode)"
	@echo "make test       every test, browser tests included (WORKERS=$(WORKERS), PYTEST_ARGS=...)"
	@echo "make test-fast  tests not marked browser or slow"
	@echo "make lint       ruff check"
	@echo "make clean      remove the SQLite database var/anquan.sqlite3*"

demo: setup migrate
	ANQUAN_DEMO=1 $(PY) manage.py load_demo
	@echo "演示账号密码 / demo password: anquan-demo — http://127.0.0.1:$(PORT)/"
	ANQUAN_DEMO=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: setup migrate
	ANQUAN_DEMO=$(DEMO) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup
	$(call run_pytest,-n $(WORKERS) $(PYTEST_ARGS))

test-fast: setup
	$(call run_pytest,-n $(WORKERS) -m "not browser and not slow" $(PYTEST_ARGS))

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
