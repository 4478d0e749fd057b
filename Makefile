# jixiao — one command each: `make run`, `make test`, `make bench`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := build/assets
ASSET_STAMP := $(ASSETS)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export JIXIAO_DATA_DIR ?= $(CURDIR)/var

.PHONY: install assets chromium ldap prepare run dev serve test test-sqlite test-postgres lint typecheck bench audit clean

# python-ldap (the dev extra's django-auth-ldap) compiles against the `ldap` target's headers.
$(STAMP): pyproject.toml | ldap
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end libraries come from npm at build time and are copied next to the app's own static files.
$(ASSET_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(ASSETS)/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $(ASSETS)/vendor/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css $(ASSETS)/vendor/pico.min.css
	cp node_modules/echarts/dist/echarts.min.js $(ASSETS)/vendor/echarts.min.js
	touch $(ASSET_STAMP)

assets: $(ASSET_STAMP)

# Debian's Chromium drives the browser tests (Playwright never downloads a browser); the CJK
# fonts make its screenshots and the PDF tables show Chinese instead of empty boxes; Pango is what
# WeasyPrint lays the PDFs out with; pdftoppm (poppler) turns PDFs into pages for the tests.
chromium:
	@missing=""; [ -x /usr/bin/chromium ] || missing="chromium"; \
	  [ -d /usr/share/fonts/opentype/noto ] || missing="$$missing fonts-noto-cjk"; \
	  ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpangoft2-1.0-0"; \
	  command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then export DEBIAN_FRONTEND=noninteractive; \
	      apt-get install -y -q $$missing >/dev/null || (apt-get update -q && apt-get install -y -q $$missing >/dev/null); \
	    else echo "Browser and PDF tests need Debian packages:$$missing — run 'sudo apt-get install -y$$missing'"; exit 1; fi; fi

# The web app with the demo data set on embedded SQLite, plus the background worker and the
# scheduler that enqueues the daily reminder run (催办) at JIXIAO_REMIND_AT. `make run` serves through
# gunicorn (JIXIAO_WEB_WORKERS sync workers, DEBUG off, static files from WhiteNoise); `make dev` through
# Django's auto-reloading runserver with DEBUG on. Both listen on 127.0.0.1:$(PORT).
PORT ?= 8000
# The worker looks at its queue every 0.2 s when idle (one small query; a save's effect waits for it)
# and runs at a lower CPU priority than the web
# (nice 10): under load the saves are served first and the recompute catches up in bigger batches.
BACKGROUND = JIXIAO_TASKS=database nice -n 10 $(BIN)/python manage.py db_worker --queue-name '*' --interval 0.2 & worker=$$!; \
	  JIXIAO_TASKS=database $(BIN)/python manage.py scheduler & scheduler=$$!; \
	  trap "kill $$worker $$scheduler 2>/dev/null" EXIT INT TERM;

prepare: $(STAMP) $(ASSET_STAMP)
	mkdir -p $(JIXIAO_DATA_DIR)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo_load

run: prepare
	$(BACKGROUND) \
	  JIXIAO_TASKS=database PORT=$(PORT) $(BIN)/gunicorn --config python:jixiao.project.gunicorn_conf

dev: prepare
	$(BACKGROUND) \
	  JIXIAO_DEBUG=1 JIXIAO_DB_CONN_MAX_AGE=0 JIXIAO_TASKS=database \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

# Directory login (LDAP): python-ldap compiles against libldap2-dev and libsasl2-dev; the tests start
# Debian's slapd themselves (ldapadd loads their directory). Installed as chromium above.
ldap:
	@missing=""; [ -f /usr/include/ldap.h ] || missing="libldap2-dev"; \
	  [ -f /usr/include/sasl/sasl.h ] || missing="$$missing libsasl2-dev"; \
	  [ -x /usr/sbin/slapd ] || missing="$$missing slapd"; \
	  command -v ldapadd >/dev/null || missing="$$missing ldap-utils"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then export DEBIAN_FRONTEND=noninteractive; \
	      apt-get install -y -q $$missing >/dev/null || (apt-get update -q && apt-get install -y -q $$missing >/dev/null); \
	    else echo "Directory login and its tests need Debian packages:$$missing — run 'sudo apt-get install -y$$missing'"; exit 1; fi; fi

test-sqlite: $(STAMP) $(ASSET_STAMP) chromium ldap
	$(BIN)/pytest -q -n 2

# The Django apps' tests again on PostgreSQL, when it answers.
test-postgres: $(STAMP) $(ASSET_STAMP) chromium ldap
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 src/jixiao; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL does not answer at $(PG_URL): under CI that is a failure"; exit 1; \
	else echo "PostgreSQL does not answer at $(PG_URL): skipped the PostgreSQL run"; fi

test: lint test-sqlite test-postgres

# The benchmarks (src/jixiao/benchmarks), one after the other; bench_scale on a scratch SQLite file,
# then, when PostgreSQL answers, in a scratch database it creates and drops on that server.
bench: $(STAMP)
	$(BIN)/jixiao bench
	$(BIN)/python -m jixiao.benchmarks.web
	$(BIN)/python -m jixiao.benchmarks.supervision
	$(BIN)/python -m jixiao.benchmarks.evaluations
	$(BIN)/python -m jixiao.benchmarks.budget
	$(BIN)/python -m jixiao.benchmarks.cockpit
	$(BIN)/python -m jixiao.benchmarks.reports
	MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=4294967296 $(BIN)/python -m jixiao.benchmarks.datatrust
	env -u DATABASE_URL $(BIN)/python manage.py bench_scale --staff 32000 --json
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) $(BIN)/python manage.py bench_scale --staff 32000 --json; \
	else echo "PostgreSQL does not answer at $(PG_URL): skipped bench_scale on PostgreSQL"; fi

# Known vulnerabilities in the dependencies (checklist item 31): PyPI's advisory data for the Python
# environment, and npm's for the front-end packages where the registry answers its audit endpoint.
audit: $(STAMP) $(ASSET_STAMP)
	$(BIN)/pip-audit --vulnerability-service pypi --progress-spinner off --skip-editable
	npm audit --omit=dev || echo "npm audit: the registry did not answer (see above)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build node_modules
