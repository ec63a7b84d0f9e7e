# The two commands a newcomer needs: `make serve` (preview) and `make test` (every test).
# Both create the virtual environment and install what is missing.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build check report test browser lint clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)          ## live preview at http://127.0.0.1:8000/
	$(VENV)/bin/mkdocs serve

build: $(STAMP)          ## strict build into a temporary folder, swapped into site/ on success
	$(VENV)/bin/kvalitet build

check: $(STAMP)          ## errors and advice for the content
	$(VENV)/bin/kvalitet check

browser:                 ## Debian's Chromium for the browser tests
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing. Install it with: sudo apt-get install chromium" >&2; exit 1; fi

test: $(STAMP) browser   ## every test (pytest fails on "no tests" too: exit code 5)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check kvalitet tests hooks benchmarks

clean:
	rm -rf site .site-new-* .site-old-* .pytest_cache
