# Chợ OCOP Quảng Nam — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv venv-dev messages demo lint e2e-deps bench bench-data bench-pages clean screenshots

# `make run` needs only the runtime requirements; `make test` adds the test tools (Playwright, the stand-in
# servers, ruff) on top, so a newcomer's first `make run` does not wait for them.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

venv-dev: $(VENV)/.installed-dev

# Compiled translations are build output (not committed); Babel compiles them without GNU gettext.
messages: venv
	@for po in $$(find . -path ./.venv -prune -o -path '*/locale/*/LC_MESSAGES/django.po' -print 2>/dev/null); do \
		$(VENV)/bin/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo -D django >/dev/null || exit 1; \
	done

demo: venv messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py demo_accounts
	$(PY) manage.py runserver $(HOST):$(PORT)

# Browser tests need Debian's chromium; install it when we can (root), else they skip.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: browser tests will be skipped"; \
	fi

# The suite runs in PYTEST_WORKERS processes (pytest-xdist; each has its own test database, e.g.
# test_ocop_gw0): `make test PYTEST_WORKERS=4` on a bigger machine, `PYTEST_WORKERS=auto` for one per core,
# `PYTEST_WORKERS=0` for one process (serial, as plain `pytest` runs). PYTEST_ARGS go to pytest as they are.
# --dist loadgroup keeps the tests marked xdist_group together in one worker (a module-wide demo load).
PYTEST_WORKERS ?= 2
test: venv-dev messages e2e-deps
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Full-page PNGs of the demo's main pages at 390×844 and 1280×900 in screenshots/ (not in git), for review.
screenshots: venv-dev messages e2e-deps
	$(PY) -m pytest tests/e2e/screenshots.py -q -p no:cacheprovider

lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: demo
	$(PY) bench/catalogue_queries.py

# Speed at scale (docs/performance.md), on the configured database (DATABASE_URL, PostgreSQL in practice):
# BENCH_PRODUCTS synthetic certified products, then every listing page served by gunicorn and loaded with wrk.
BENCH_PRODUCTS ?= 10000
bench-data: venv messages
	$(PY) manage.py migrate --noinput
	$(PY) bench/build_catalogue.py --count $(BENCH_PRODUCTS) --replace

bench-pages: venv messages
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk)) \
		|| echo "wrk could not be installed: bench/pages.py falls back to a Python client"
	$(PY) bench/pages.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
