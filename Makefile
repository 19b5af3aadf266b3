# Two commands for a newcomer:  make demo  (run with demo data)  and  make test  (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export MUEVE_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test serve lint bench messages clean chromium

$(VENV)/.base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.base
	$(BIN)/mueve demo

serve: $(VENV)/.base
	$(BIN)/mueve serve

# Browser tests drive the system Chromium (Debian package `chromium`); install it when missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium package (sudo apt-get install chromium) for the browser tests."; exit 1; fi; \
	fi

# One pytest worker per core (pytest-xdist); each has its own database and ports. A module runs whole on one worker.
# TEST_ARGS narrows the run, e.g. `make test TEST_ARGS="-m 'not browser'"`.
TEST_WORKERS ?= auto
TEST_ARGS ?=
test: $(VENV)/.dev chromium
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.dev
	$(BIN)/python bench/pages.py

# Sample GTFS feed (Cairns, inside the pinned gtfs-kit sdist on PyPI, sha256-checked) cached in var/cache, for the
# planner tests and bench/planner.py; they fetch it themselves too, this just does it ahead (e.g. before going offline).
.PHONY: samples
samples: $(VENV)/.base
	$(BIN)/python -m mueve.transit.samples

# Regenerate the English catalogue after changing user-facing strings (needs gettext).
messages: $(VENV)/.dev
	cd mueve && ../$(BIN)/django-admin makemessages -l en --no-obsolete && ../$(BIN)/django-admin compilemessages -l en

clean:
	rm -rf $(VENV) var .pytest_cache
