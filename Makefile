# The two set-up commands are `make run` and `make test` (README.md).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3

MSG_IGNORE := --ignore=.venv --ignore=tests --ignore=bench --ignore=docs --ignore=staticfiles --ignore=var

.PHONY: run test lint install migrate demo messages openapi bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 が見つかりません (PY=$(PY))"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py demo --if-empty
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py demo_logins
	@# The background worker (tasks and scheduled jobs) runs beside the web server, is started again
	@# if it ever stops, and stops with the web server.
	export ENNOSHITA_ENV=$${ENNOSHITA_ENV:-local}; \
	( while true; do $(BIN)/python manage.py run_worker -v 1; echo "worker stopped; starting it again in 5 s"; sleep 5; done ) & worker=$$!; \
	trap 'pkill -P $$worker 2>/dev/null; kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn ennoshita.wsgi:application \
	  --bind $(HOST):$(PORT) --workers $(WORKERS) --timeout 300 --access-logfile - --graceful-timeout 5

test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)
	@if [ -n "$(TEST_DATABASE_URL)" ]; then \
	  echo "== PostgreSQL: $(TEST_DATABASE_URL)"; \
	  DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -n 2 --dist loadfile -q -m "not browser" $(PYTEST_ARGS); \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ennoshita
	$(BIN)/lint-imports

# Japanese is the source language; English is the translation (ennoshita/locale/en). Needs gettext.
messages: install
	$(BIN)/python manage.py makemessages -l en --no-obsolete --no-location $(MSG_IGNORE)
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

openapi: install
	$(BIN)/python manage.py export_openapi > docs/openapi.json

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/documents.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/sales.py
	$(BIN)/python bench/expenses.py

clean:
	rm -rf $(VENV) staticfiles
