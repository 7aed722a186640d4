# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve setup setup-test browser export-packages export-test-packages lint format clean-data rum

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

setup: $(VENV)/.installed export-packages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py record_versions
	$(PY) manage.py create_tasks

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

setup-test: $(VENV)/.installed-test

# The browser tests drive Debian's Chromium (Playwright cannot download its own build here).
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian packages, installed with apt-get when any is missing. The official PDF export lays out
# Chinese text with pango and HarfBuzz (WeasyPrint's system libraries) in Debian's Noto CJK fonts
# (a government's licensed 仿宋/小标宋 are named in EXPORT_FONTS). The tests also turn PDF pages
# into pictures (poppler-utils) and lay out the .docx export in LibreOffice to count its pages.
EXPORT_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
EXPORT_TEST_PACKAGES := poppler-utils libreoffice-writer-nogui
APT_INSTALL_MISSING = missing="$$(for package in $(1); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; \
	done)"; \
	if [ -n "$$missing" ]; then apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

export-packages:
	@$(call APT_INSTALL_MISSING,$(EXPORT_PACKAGES))

export-test-packages: export-packages
	@$(call APT_INSTALL_MISSING,$(EXPORT_TEST_PACKAGES))

test: setup-test browser export-test-packages $(if $(findstring postgres,$(DATABASE_URL)),rum)
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

# The PostgreSQL search engine uses RUM indexes where the extension is installed (issue 9):
# Debian's postgresql-15-rum. Its security update asks for a newer server than Debian ships
# (postgresql-15 >> 15.20), so without that the build of bookworm's main archive is taken.
rum:
	@$(call APT_INSTALL_MISSING,postgresql-15-rum) || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		postgresql-15-rum=1.3.13-1+b1
