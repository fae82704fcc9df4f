# Two commands do everything on a fresh machine (Debian/Ubuntu with python3):
#   make serve   set up, build the portal from records/ and serve it on http://127.0.0.1:8000/
#   make test    set up (Python packages, Chromium, axe-core) and run the whole test suite
# Other targets: make portal (build only, into site/), make validate, make bench,
#   make lock (update requirements*.txt to the newest versions pyproject.toml allows; see README).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
AS_OF  ?=
AS_OF_FLAG = $(if $(AS_OF),--as-of $(AS_OF),)
SUDO    = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup setup-test portal serve validate test test-newest bench lock clean

# Python packages come from the lock files, exact versions and hashes, so every machine runs what CI
# tested; the project itself is installed on top without resolving anything.
# NEWEST=1 (make test-newest) installs the newest versions pyproject.toml allows instead, into .venv-newest.
ifeq ($(NEWEST),1)
VENV = .venv-newest
INSTALL = $(BIN)/pip install --quiet --upgrade pip && $(BIN)/pip install --quiet --upgrade -e ".[test]"
else
INSTALL = $(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-test.txt \
	&& $(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
endif

$(BIN)/huiyin: requirements-test.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(INSTALL)
	touch $@

setup: $(BIN)/huiyin

# make lock: resolve the newest versions pyproject.toml allows, on this Python, into the two lock files
# (requirements.txt: what the site build needs; requirements-test.txt: that plus the test tools, with the
# same versions). Run `make test` afterwards and commit the lock files with what had to change.
PIP_TOOLS = pip-tools==7.6.2
LOCK_FLAGS = --quiet --generate-hashes --allow-unsafe --strip-extras --build-deps-for editable \
	--no-emit-index-url --no-emit-find-links --upgrade
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/pip install --quiet "$(PIP_TOOLS)"
	.lock-venv/bin/pip-compile $(LOCK_FLAGS) -o requirements.txt pyproject.toml
	.lock-venv/bin/pip-compile $(LOCK_FLAGS) --extra test -c requirements.txt -o requirements-test.txt pyproject.toml
	rm -rf .lock-venv

# Debian packages the tests use (chromium for browser tests, shellcheck for the workflow lint, npm, rsync and rclone
# for the publishing tests), installed
# only when missing; then the npm packages of package-lock.json (the staff editor's libraries, its local Git
# backend decap-server, axe-core) whenever the lock file is newer than node_modules.
DEBIAN_TEST_PACKAGES = chromium:chromium fc-list:fonts-noto-cjk shellcheck:shellcheck npm:npm git:git \
	rsync:rsync rclone:rclone
setup-test: setup
	@missing=""; for pair in $(DEBIAN_TEST_PACKAGES); do cmd=$${pair%%:*}; pkg=$${pair#*:}; \
	  command -v $$cmd >/dev/null 2>&1 || missing="$$missing $$pkg"; done; \
	if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then missing="$$missing fonts-noto-cjk"; fi; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error

validate: setup
	$(BIN)/huiyin validate records $(AS_OF_FLAG)

portal: setup
	$(BIN)/huiyin build $(AS_OF_FLAG)

serve: setup
	$(BIN)/huiyin serve $(AS_OF_FLAG)

test: setup-test
	CI=$${CI:-} $(BIN)/python -m pytest -n 2 --dist loadgroup -q

# The suite against the newest allowed versions (the scheduled CI job): first what differs from the lock.
test-newest:
	rm -rf .venv-newest
	$(MAKE) --no-print-directory setup-test NEWEST=1
	@echo "与锁定文件不同的版本（锁定 → 最新）："
	@.venv-newest/bin/python -m pip freeze --exclude-editable | tr 'A-Z_' 'a-z-' | LC_ALL=C sort -t= -k1,1 > .venv-newest/freeze.txt
	@grep -oE '^[a-z0-9.-]+==[^ ]+' requirements-test.txt | LC_ALL=C sort -t= -k1,1 \
	  | LC_ALL=C join -t= -j 1 - .venv-newest/freeze.txt | awk -F= '$$3 != $$5 {print "  " $$1 ": " $$3 " → " $$5}'
	$(MAKE) --no-print-directory test NEWEST=1

bench: setup
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf site .huiyin-cache .pytest_cache .lock-venv .venv-newest
