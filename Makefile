# Inkwell: `make run` serves the demo blog, `make test` runs the checks.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# DEMO=0: a brand-new blog starts empty instead of with the demo blog.
DEMO ?= 1
# Feeds, canonical links and the sitemap point at the address served, unless
# SITE_URL is set: 0.0.0.0 (every address) is reached as 127.0.0.1, and an
# IPv6 address is written in brackets.
bracketed = $(if $(findstring :,$(1)),[$(1)],$(1))
SITE_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
SITE_URL ?= http://$(call bracketed,$(SITE_HOST)):$(PORT)
MANAGE = DJANGO_DEBUG=1 SITE_URL='$(SITE_URL)' $(BIN)/python manage.py

.PHONY: install setup run serve test lint format bench clean

install: $(STAMP)

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Everything `run` does before serving; safe to repeat: the demo loads only
# into a brand-new database.
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo $(if $(filter 0,$(DEMO)),--empty)
	$(MANAGE) ensure_admin

run: setup
	$(MANAGE) runserver $(call bracketed,$(HOST)):$(PORT)

# The production server: migrate, collect the static files, then gunicorn
# (config/gunicorn.py) with debug off. README, "Deploying".
serve: install
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m config.serve

# The suite on both cores (pytest-xdist, a test file per worker, the
# slowest files first: tests/conftest.py), then the tests that load the
# machine on purpose (gunicorn under load, two app servers), alone, so that
# nothing else competes with them.
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not load and not servers"
	$(BIN)/pytest -m "load or servers"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
