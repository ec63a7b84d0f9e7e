# The two commands a newcomer needs: `make serve` (preview) and `make test` (every test).
# Both create the virtual environment and install what is missing.
VENV    ?= .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
export NO_MKDOCS_2_WARNING := 1

TOOLS   := tools/node_modules/.installed
# The other generators the plain export is proven with, each in its own virtual environment with
# what the page extension (kvalitet.site.markup) imports. The stamp's number changes with the list.
GEN_DEPS   := 'nh3>=0.3,<0.4'
PROPERDOCS := .tools/properdocs/.installed-2
ZENSICAL   := .tools/zensical/.installed-2

.PHONY: setup serve edit build check report links test browser pdf-deps tools generators lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)          ## live preview at http://127.0.0.1:8000/ (errors shown in the browser)
	$(VENV)/bin/kvalitet serve

edit: $(STAMP) $(TOOLS)  ## edit in the browser: Decap CMS at http://127.0.0.1:8081/admin/ and the preview
	$(VENV)/bin/kvalitet edit

build: $(STAMP) pdf-deps ## PDFs, then a strict build into a temporary folder, swapped into site/
	$(VENV)/bin/kvalitet build

check: $(STAMP)          ## errors and advice for the content
	$(VENV)/bin/kvalitet check

report: $(STAMP)         ## plain-language figures and what is missing before launch
	$(VENV)/bin/kvalitet report

links: $(STAMP)          ## optional: list the addresses the next build publishes first, as pending
	$(VENV)/bin/kvalitet links --update

# Debian packages: Pango and fonts for WeasyPrint's PDFs (the publishing build); Chromium, Java
# (the Nu HTML Checker), poppler-utils (PDF page images) and the web servers the host blocks are
# tested with (nginx-light, caddy) for the tests. Installed with apt when run as root (CI), else
# named.
PDF_DEBS  := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core
TEST_DEBS := $(PDF_DEBS) chromium poppler-utils nginx-light caddy \
             $(if $(shell command -v java),,default-jre-headless)
define debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Missing:$$missing. Install with: sudo apt-get install$$missing" >&2; exit 1; fi
endef

pdf-deps:                ## what WeasyPrint needs for the PDFs
	$(call debs,$(PDF_DEBS))

browser:                 ## everything the tests need from Debian
	$(call debs,$(TEST_DEBS))

$(TOOLS): tools/package.json tools/package-lock.json   ## npm tools (Nu HTML Checker, yaml-language-server, Decap CMS)
	npm ci --prefix tools --no-audit --no-fund --silent
	touch $(TOOLS)

tools: $(TOOLS)

$(PROPERDOCS):           ## ProperDocs (a maintained MkDocs 1.6) with the same Material
	python3 -m venv .tools/properdocs
	.tools/properdocs/bin/pip install --quiet properdocs==1.6.7 mkdocs-material==9.8.2 $(GEN_DEPS)
	touch $@

$(ZENSICAL):             ## Zensical 0.0.73 (the newest that installs here)
	python3 -m venv .tools/zensical
	.tools/zensical/bin/pip install --quiet zensical==0.0.73 $(GEN_DEPS)
	touch $@

generators: $(PROPERDOCS) $(ZENSICAL)

test: $(STAMP) browser $(TOOLS) generators   ## every test (pytest fails on "no tests" too: exit code 5)
	$(PY) -m pytest

bench: $(STAMP)          ## build time, page weight and preview speed (not a test)
	$(PY) benchmarks/run.py --sizes 1 10 20 40 --repeat 3

lint: $(STAMP)
	$(VENV)/bin/ruff check kvalitet tests hooks benchmarks

clean:
	rm -rf site .site-new-* .site-old-* .pytest_cache
