# Paizhu: `make run` starts the embedded platform, `make test` runs the whole suite, `make bench` measures,
# `make reliability` / `make soak` put the distributed mode under faults and load.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# with pyenv, PYTHON=python3.12 also finds an installed 3.12 that is not an active pyenv version
ifneq ($(shell command -v pyenv 2>/dev/null),)
ifeq ($(shell $(PYTHON) -c '' >/dev/null 2>&1 && echo found),)
PYENV_MATCH := $(shell pyenv versions --bare 2>/dev/null \
  | grep -xE '$(subst .,\.,$(patsubst python%,%,$(notdir $(PYTHON))))(\.[0-9]+)*' | sort -V | tail -n 1)
ifneq ($(PYENV_MATCH),)
export PYENV_VERSION := $(PYENV_MATCH)
endif
endif
endif
# the interpreter a venv was made with, as "3.12.1"; a .venv made by another one is rebuilt, never reused
VERSION_OF := -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])'
PY_VERSION := $(shell $(if $(PYENV_MATCH),PYENV_VERSION=$(PYENV_MATCH)) $(PYTHON) $(VERSION_OF) 2>/dev/null)
# the lock files pin every package with its hashes (README: "Dependencies"); `make lock` regenerates them
RUN_LOCK := requirements/run.txt
DEV_LOCK := requirements/dev.txt
LOCK_STAMP = $(VENV)/.installed-$(1)-$(PY_VERSION)-$(shell cat pyproject.toml $(2) | sha1sum | cut -c1-12)
RUN_STAMP := $(call LOCK_STAMP,run,$(RUN_LOCK))
DEV_STAMP := $(call LOCK_STAMP,dev,$(DEV_LOCK))
UV_VERSION := 0.13.9
# the portals' browser assets (htmx, ECharts, Swagger UI; axe-core for the browser tests) from the npm lock
WEB := gateway/web
WEB_STAMP = $(WEB)/node_modules/.installed-$(shell sha1sum $(WEB)/package-lock.json | cut -c1-12)

.PHONY: install install-dev run test contract lint bench reliability soak clean lock

# install LOCK STAMP: a venv by $(PYTHON) (rebuilt when made by another interpreter), exactly the locked
# packages, then the project itself with no dependency and no unpinned build backend
define install_locked
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null || { \
	  echo "Paizhu 需要 Python 3.11–3.13 (needs Python 3.11 to 3.13): PYTHON=$(PYTHON) is $(or $(PY_VERSION),missing)" >&2; \
	  exit 2; }
	@if [ -e $(VENV) ] && [ "$$($(BIN)/python $(VERSION_OF) 2>/dev/null)" != "$(PY_VERSION)" ]; then \
	  echo "$(VENV) was made by another Python, not $(PYTHON) $(PY_VERSION): rebuilding it" >&2; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --require-hashes -r $(1)
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-* && touch $(2)
endef

$(RUN_STAMP): pyproject.toml $(RUN_LOCK)
	$(call install_locked,$(RUN_LOCK),$(RUN_STAMP))

$(DEV_STAMP): pyproject.toml $(DEV_LOCK)
	$(call install_locked,$(DEV_LOCK),$(DEV_STAMP))

$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "Paizhu 的网页资源需要 npm (the portals' assets need npm: Node.js 18 or later)" >&2; exit 2; }
	cd $(WEB) && npm ci --ignore-scripts --no-audit --no-fund
	rm -f $(WEB)/node_modules/.installed-* && touch $(WEB_STAMP)

# what running needs (no test or lint tool, no broker binary); `npm ci` again only when the npm lock changed
install: $(if $(wildcard $(DEV_STAMP)),$(DEV_STAMP),$(RUN_STAMP)) $(WEB_STAMP)

# install + the development tools
install-dev: $(DEV_STAMP) $(WEB_STAMP)

run: install
	$(BIN)/paizhu serve

# regenerate the lock files from pyproject.toml (after changing a dependency there); needs PyPI
lock:
	test -x /tmp/paizhu-lock/bin/uv || { $(PYTHON) -m venv /tmp/paizhu-lock && /tmp/paizhu-lock/bin/pip install -q uv==$(UV_VERSION); }
	/tmp/paizhu-lock/bin/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" pyproject.toml requirements/build.in -o $(RUN_LOCK)
	/tmp/paizhu-lock/bin/uv pip compile -q --universal --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" pyproject.toml requirements/build.in --extra dev -c $(RUN_LOCK) -o $(DEV_LOCK)

lint: install-dev
	$(BIN)/lint-imports
	$(BIN)/ruff check events authz runtime services projections gateway paizhu tests bench
	$(BIN)/mypy

test: install-dev lint
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	$(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

# the OpenAPI document against the gateway (schemathesis, three roles; also part of `make test`);
# one service: `make contract K=ledgers`; deeper: `make contract EXAMPLES=50`
contract: install-dev
	PAIZHU_FUZZ_EXAMPLES=$(or $(EXAMPLES),3) $(BIN)/pytest -q -p no:cacheprovider tests/contract $(if $(K),-k "$(K)")

bench: install-dev
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-chromium.sh
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.portals
	$(BIN)/python -m bench.scale --groups $(or $(SCALE_GROUPS),100) --events $(or $(SCALE_EVENTS),1000000)
	$(BIN)/python -m bench.fresh_start --python $(PYTHON)

# the fault and load suite's fast part (also part of `make test`, whose pytest collects tests/reliability)
reliability: install-dev
	bash scripts/ensure-postgres.sh
	$(BIN)/pytest -q -p no:cacheprovider tests/reliability

# the long runs: every fault (database cuts, the broker stopped and restarted), then 50 clients for 2 minutes
soak: install-dev
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.reliability --soak; status=$$?; \
	$(BIN)/python -m bench.load --clients 50 --seconds 120 && exit $$status

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache $(WEB)/node_modules test-artifacts
