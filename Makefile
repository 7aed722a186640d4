# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve setup setup-test browser lint format clean-data

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed (the stamp is newer than both otherwise).
$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py create_tasks

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

setup-test: $(VENV)/.installed-test

# The browser tests drive Debian's Chromium (Playwright cannot download its own build here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: setup-test browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: setup-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The production setup on this machine: DEBUG off, gunicorn, static files by whitenoise after
# collectstatic, on the same database as `make run`. No TLS here, so no redirect to https;
# a SECRET_KEY is made once and kept in var/ unless the environment gives one. Workers and
# threads: minutes_site/gunicorn.conf.py (gthread, 3 x 2 here: measured 224 req/s against 127
# for 4 sync workers on the document page); WEB_WORKERS and WEB_THREADS override them.
SERVE_ENV = DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}" \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"
var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

serve: setup var/secret_key
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	# Beside the web workers, the search index writer of last resort: a change that a busy
	# worker could not apply at once waits in the queue for it (at most a second).
	$(SERVE_ENV) $(PY) manage.py process_search_queue --loop & drainer=$$!; \
	trap 'kill $$drainer' EXIT; \
	$(SERVE_ENV) $(VENV)/bin/gunicorn minutes_site.wsgi:application \
		--config minutes_site/gunicorn.conf.py --bind $(HOST):$(PORT) --access-logfile -
