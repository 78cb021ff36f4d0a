# Caseflow: two commands — `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Debian packages the test suite needs: a browser for end-to-end tests, Pango for PDF packs,
# node and npm for axe-core (the accessibility check in the browser tests).
DEBIAN_TEST_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 nodejs npm

.PHONY: run test venv lint typecheck pytest system-deps node-deps bench bench-deps clean demo

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: install, load the demo into an empty default store, serve on http://$(HOST):$(PORT)
run: venv
	$(BIN)/caseflow demo --if-empty
	$(BIN)/caseflow serve --host $(HOST) --port $(PORT)

## make test: lint, format check, type check and the full test suite
test: venv system-deps node-deps lint typecheck pytest

lint: venv
	$(BIN)/ruff check caseflow web tests features bench
	$(BIN)/ruff format --check caseflow web tests bench

typecheck: venv
	$(BIN)/mypy caseflow web

## pytest-xdist: two workers, one per CPU of these machines; whole files per worker
## (module fixtures such as a site per store are built once). PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2
pytest: venv
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile

## Debian packages for browser and PDF tests (installed when missing and we are root; a package
## whose command is already on PATH, e.g. npm bundled with another nodejs build, counts as there)
system-deps:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" \
	    || command -v $$p >/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "warning: could not install$$missing (browser/PDF tests will skip, or fail under CI=true)"; \
	  else \
	    echo "note: missing Debian packages:$$missing — install them to run browser and PDF tests"; \
	  fi; \
	fi

## JavaScript for the browser tests (axe-core, pinned in package-lock.json), when missing
node-deps: system-deps
	@test -f node_modules/axe-core/axe.min.js || { \
	  if command -v npm >/dev/null; then \
	    npm ci --no-audit --no-fund \
	      || echo "warning: npm ci failed (the accessibility test will skip, or fail under CI=true)"; \
	  else \
	    echo "note: npm is missing — install nodejs and npm (make system-deps) for the accessibility test"; \
	  fi; }

## make bench: the benchmark suite (prints a table, writes bench/results/latest.json)
bench: venv bench-deps
	$(BIN)/python bench/run.py

## Debian packages the benchmark needs: wrk, the HTTP load generator
bench-deps:
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian package: wrk"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null) \
	      || echo "warning: could not install wrk (the load sections will say 'not available')"; \
	  else \
	    echo "note: wrk is missing — install it (apt-get install wrk) for the page-load sections"; \
	  fi; }

demo: venv
	$(BIN)/caseflow demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info test-artifacts
