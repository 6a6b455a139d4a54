# Two commands on a fresh Debian machine with Python 3.11:
#   make site   set up, then build site/ from projects_catalog/
#   make test   set up (including Debian's chromium, fonts and poppler-utils), then run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the tests and the print stage need (chromium drives Playwright; no browser download).
# rclone: the China mirror sync (generator/mirror.py; tests sync to a local folder).
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils ghostscript zbar-tools rclone librsvg2-bin
# What `make site` itself needs: the CJK font that brochures and share cards embed. The tests rasterise
# what is printed with renderers independent of the code that drew it: poppler-utils, ghostscript
# (PDFs) and librsvg2-bin (SVGs); zbar-tools is one of the two QR decoders.
SITE_SYSTEM_PACKAGES := fonts-noto-cjk

.PHONY: site test test-fast lint check serve system-deps site-system-deps clean bench brochures node-deps lighthouse

# The build also makes the brochures (site/downloads/brochures/); `make brochures` makes them alone.
site: $(VENV)/.site-deps site-system-deps node-deps
	$(BIN)/python -m generator build

brochures: $(VENV)/.site-deps site-system-deps
	$(BIN)/python -m generator brochures

check: $(VENV)/.site-deps
	$(BIN)/python -m generator check

serve: $(VENV)/.site-deps site-system-deps node-deps
	$(BIN)/python -m generator serve

# Lint and strict types first (pyproject.toml), then every test. pytest exits 5 when it collected no
# test: that is a failure here, not a pass. `make test-fast` leaves out the slow and browser tests.
test: $(VENV)/.test-deps system-deps node-deps lint
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

test-fast: $(VENV)/.test-deps system-deps node-deps lint
	$(BIN)/python -m pytest -m "not slow and not browser"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test-fast: pytest collected no tests" >&2; exit 1; fi; exit $$rc

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.test-deps site-system-deps node-deps
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/pipeline.py

# JavaScript packages, pinned in package.json + package-lock.json, into ./node_modules: Decap CMS, whose
# bundle the build copies into site/admin/ (the staff's web editor), decap-server (its local backend, for
# the editor's browser test) and axe-core (the accessibility tests). npm ci needs Node and npm.
node-deps: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || $(MAKE) --no-print-directory apt PACKAGES="nodejs npm"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Lighthouse 12 (bench/lighthouse/package.json; Node 20) on the home and a project page: the four scores.
lighthouse: $(VENV)/.test-deps site-system-deps bench/lighthouse/node_modules/.installed
	CHROME_PATH=/usr/bin/chromium $(BIN)/python bench/lighthouse.py
bench/lighthouse/node_modules/.installed: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BIN)/python:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || $(MAKE) --no-print-directory apt PACKAGES="python3-venv"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@ $(VENV)/.site-deps

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(MAKE) --no-print-directory apt PACKAGES="$$missing"; fi

site-system-deps:
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(SITE_SYSTEM_PACKAGES)"

apt:
	@sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	echo "installing Debian packages:$(PACKAGES)"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(PACKAGES)

clean:
	rm -rf site build .pytest_cache
