VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint typecheck unit browser converters screenshots bench clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/dupdetect scan fixtures/speeches

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(VENV)/bin/ruff check dupdetect tests docs
	$(VENV)/bin/ruff format --check dupdetect tests docs

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# tests/test_browser.py drives Debian's chromium (playwright never downloads a browser), with a CJK font
# (without one, Chinese renders as empty boxes). Install them where they are missing; if chromium cannot be,
# the browser test is skipped and says why (-rs); a chromium without a CJK font fails it.
browser:
	@if [ -x "$(CHROMIUM)" ] && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian's chromium and a CJK font (fonts-wqy-microhei) for the browser test"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; } \
	    || echo "make: could not install chromium and fonts-wqy-microhei; the browser test will say so"; \
	else echo "make: no apt-get to install chromium; the browser test will be skipped"; fi

# tests/test_formats.py reads fixtures/formats/word97.doc, a real legacy Word file, with the real antiword and
# catdoc (Debian packages: dupdetect runs them for .doc files). Install them where they are missing; if they
# cannot be, those tests are skipped and say why (-rs).
converters:
	@if command -v antiword >/dev/null 2>&1 && command -v catdoc >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian's antiword and catdoc for the legacy Word (.doc) tests"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
	  { $$SUDO apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword catdoc; } \
	    || echo "make: could not install antiword and catdoc; the .doc tests will say so"; \
	else echo "make: no apt-get to install antiword and catdoc; the .doc tests will be skipped"; fi

unit: $(STAMP) browser converters
	$(VENV)/bin/pytest -q -rs dupdetect tests README.md

# The README's pictures, drawn from the fixtures (the browser target installs a CJK font; without one the
# script stops rather than draw Chinese as boxes).
screenshots: $(STAMP) browser
	$(PY) docs/screenshots.py docs

# The benchmark: 1k and 10k generated documents, stage by stage, beside a naive baseline, the heavy ones also
# on a local Dask cluster (see docs/PERFORMANCE.md).
# BENCH_ARGS="--sizes 1000 10000 100000" adds the 100k corpus.
bench: $(STAMP)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
