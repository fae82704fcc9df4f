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

# Debian packages for browser tests, and axe-core from npm; installed only when missing.
setup-test: setup
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
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
