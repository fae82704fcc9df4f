# Two commands do everything on a fresh machine (Debian/Ubuntu with python3):
#   make serve   set up, build the portal from records/ and serve it on http://127.0.0.1:8000/
#   make test    set up (Python packages, Chromium, axe-core) and run the whole test suite
# Other targets: make portal (build only, into site/), make validate, make bench.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
AS_OF  ?=
AS_OF_FLAG = $(if $(AS_OF),--as-of $(AS_OF),)
SUDO    = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-test portal serve validate test bench clean

$(BIN)/huiyin: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(BIN)/huiyin

# Debian packages the tests use (chromium for browser tests, shellcheck for the workflow lint, npm for
# axe-core), installed only when missing; then axe-core from npm.
DEBIAN_TEST_PACKAGES = chromium:chromium fc-list:fonts-noto-cjk shellcheck:shellcheck npm:npm git:git
setup-test: setup
	@missing=""; for pair in $(DEBIAN_TEST_PACKAGES); do cmd=$${pair%%:*}; pkg=$${pair#*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then missing="$$missing fonts-noto-cjk"; fi; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --loglevel=error

validate: setup
	$(BIN)/huiyin validate records $(AS_OF_FLAG)

portal: setup
	$(BIN)/huiyin build $(AS_OF_FLAG)

serve: setup
	$(BIN)/huiyin serve $(AS_OF_FLAG)

test: setup-test
	CI=$${CI:-} $(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: setup
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf site .huiyin-cache .pytest_cache
