# The two commands of the README: `make app` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8866
LAB_PORT ?= 8888
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip

# Installs are constrained to the exact versions Binder uses, so every machine runs the same stack.
CONSTRAINTS := binder/requirements.txt

.PHONY: app lab test lint bench site handout loadtest system-deps fonts install install-test clean

app: install fonts
	$(BIN)/briefing serve --port $(PORT)

# JupyterLab on the project for staff (the same set-up as `make app`), on 127.0.0.1.
lab: install fonts
	$(BIN)/briefing lab --port $(LAB_PORT)

test: install-test system-deps
	$(BIN)/python -m pytest

# The static site: every app in Chinese and English, interactive with no server or kernel
# (open site/index.html from disk, or put site/ on any static host).
site: install
	$(BIN)/briefing export --out site

# The printed handout: handout/briefing-pack-zh.pdf and briefing-pack-en.pdf (A4).
handout: install-test system-deps
	$(BIN)/briefing export --pdf --out handout

# Figures, not pass/fail: benchmarks/RESULTS.md and results.json (about 10 minutes).
bench: install-test system-deps
	$(BIN)/python -m benchmarks.run

# Thirty live viewers at once, then 500 audience visitors on the static site while the
# presenter works, against a real server on loopback (a few minutes).
loadtest: install-test system-deps
	$(BIN)/python -m pytest -m load tests/load

lint: install-test
	$(PIP) install -q -e ".[dev]"
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install -q -c $(CONSTRAINTS) -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian packages the browser tests and the handout need: Chromium, a CJK font, and
# poppler-utils (pdftoppm renders a page of the handout to PNG in its test). Installed only when missing.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q . || ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "installing chromium, fonts-noto-cjk and poppler-utils"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk fontconfig poppler-utils; \
	fi

# A CJK font for charts exported on the server (PNG); the viewer's browser brings its own.
fonts:
	@if ! fc-list :lang=zh 2>/dev/null | grep -q . ; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends fonts-noto-cjk fontconfig; \
		else echo "note: no CJK font found; exported PNG charts may show boxes (install fonts-noto-cjk)"; fi; \
	fi

clean:
	rm -rf $(VENV) test-artifacts site
