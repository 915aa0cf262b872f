# The README's two commands: `make` (set up and build the sample) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all build test lint docs messages clean system lighthouse

all: build

# Fail early, in plain words, when the machine lacks what WeasyPrint needs.
system:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "catalog needs Python 3.11 or newer; found " + sys.version.split()[0] + " (set PYTHON=python3.11)")'
	@$(PYTHON) -c 'import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library("pango-1.0") else "Pango is missing (WeasyPrint needs it for the PDFs). Install it: Debian/Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0; Fedora: sudo dnf install pango; macOS: brew install pango")'

$(STAMP): pyproject.toml | system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

build: $(STAMP)
	$(PY) build.py build --content content --out dist
	@echo "Open $(CURDIR)/dist/index.html in a browser."

lint: $(STAMP)
	$(PY) -m ruff check src tests bench build.py
	$(PY) -m ruff format --check src tests bench build.py
	$(PY) -m mypy

test: $(STAMP) lint
	$(PY) -m pytest

# Lighthouse, at the version pinned in scripts/lighthouse/package-lock.json; npm ci writes this file last.
LIGHTHOUSE := scripts/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE): scripts/lighthouse/package-lock.json
	scripts/install-lighthouse

# Lighthouse's scores for every kind of page, mobile and desktop (about three minutes, so not in `test`;
# CI runs both). Needs Chromium (scripts/install-chromium). The scores: test-artifacts/lighthouse/scores.md.
lighthouse: $(STAMP) $(LIGHTHOUSE)
	$(PY) -m pytest tests/audit_lighthouse.py -p no:cacheprovider -q
	@cat test-artifacts/lighthouse/scores.md

# The generated references: docs/authoring.md, catalog.schema.json, formats.md and spreadsheet.md (catalog.docs).
docs: $(STAMP)
	$(PY) -m catalog.docs docs

# The words the tool writes, for translators: extracts every message of the default theme's templates and
# of the package's Python (babel.cfg) into messages.pot, and merges it into each language's messages.po
# (a changed message becomes fuzzy, and shows in English, until a translator checks it). No compilation
# step: builds read the .po files themselves (src/catalog/messages.py).
TRANSLATIONS := themes/default/translations
messages: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --add-location=file --sort-by-file --no-wrap \
		--project=catalog --copyright-holder="catalog's authors" -c TRANSLATORS: -o $(TRANSLATIONS)/messages.pot .
	$(VENV)/bin/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap --ignore-obsolete

clean:
	rm -rf dist .catalog-cache test-artifacts
