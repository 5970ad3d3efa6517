# Paizhu: `make run` starts the embedded platform, `make test` runs the whole suite, `make bench` measures,
# `make reliability` / `make soak` put the distributed mode under faults and load.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test lint bench reliability soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/paizhu serve

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check events services projections gateway paizhu tests bench
	$(BIN)/mypy

test: install lint
	bash scripts/ensure-postgres.sh
	$(BIN)/pytest -q -p no:cacheprovider

bench: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.run

# the fault and load suite's fast part (also part of `make test`, whose pytest collects tests/reliability)
reliability: install
	bash scripts/ensure-postgres.sh
	$(BIN)/pytest -q -p no:cacheprovider tests/reliability

# the long runs: every fault (database cuts, the broker stopped and restarted), then 50 clients for 2 minutes
soak: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.reliability --soak; status=$$?; \
	$(BIN)/python -m bench.load --clients 50 --seconds 120 && exit $$status

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
