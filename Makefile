# Two entry points for a fresh machine: `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint bench bench-large clean system-deps

# The venv is rebuilt from empty whenever the pinned dependencies change (--clear: an
# upgrade in place let pip remove a script that a renamed distribution now provides).
# The generator (generator/, distribution guidesite) and this site, both editable, in one call.
$(VENV)/.installed: pyproject.toml generator/pyproject.toml
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install --quiet -e ./generator -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

deps: $(VENV)/.installed node_modules/.installed

# Debian packages the browser and hosting tests drive (root on CI; skipped when present).
system-deps:
	@command -v chromium >/dev/null && command -v nginx >/dev/null && command -v apache2 >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nginx-light apache2-bin; }

serve: deps
	$(BIN)/guidesite serve --dev-addr $(HOST)

build: deps
	$(BIN)/guidesite build

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	node_modules/.bin/tsc -p tsconfig.json

test: deps system-deps lint
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage report --show-missing

bench: deps system-deps
	$(BIN)/python bench/run.py --settle 3
	$(BIN)/python bench/load.py
	$(BIN)/python bench/lighthouse.py
	$(BIN)/python bench/preview.py

# Full builds of 10 000 generated pages too (tens of minutes on 2 cores; see README.md).
bench-large: deps
	$(BIN)/python bench/builds.py --sizes 100 1000 10000

clean:
	rm -rf site build dist generator/build generator/dist .pytest_cache .coverage .cache/engine
