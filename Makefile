# Two commands on a fresh Debian machine with Python 3.11:
#   make site   set up, then build site/ from projects_catalog/
#   make test   set up (including Debian's chromium, fonts and poppler-utils), then run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian packages the tests and the print stage need (chromium drives Playwright; no browser download).
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils zbar-tools

.PHONY: site test check serve system-deps clean bench

site: $(VENV)/.site-deps
	$(BIN)/python -m generator build

check: $(VENV)/.site-deps
	$(BIN)/python -m generator check

serve: $(VENV)/.site-deps
	$(BIN)/python -m generator serve

# pytest exits 5 when it collected no test: that is a failure here, not a pass.
test: $(VENV)/.test-deps system-deps
	$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: $(VENV)/.test-deps
	$(BIN)/python bench/pipeline.py

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

apt:
	@sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	echo "installing Debian packages:$(PACKAGES)"; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $(PACKAGES)

clean:
	rm -rf site build .pytest_cache
