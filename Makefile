# Paizhu: `make run` starts the embedded platform, `make test` runs the whole suite, `make bench` measures.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: install run test contract lint bench clean

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

# the OpenAPI document against the gateway (schemathesis, three roles; also part of `make test`);
# one service: `make contract K=ledgers`; deeper: `make contract EXAMPLES=50`
contract: install
	PAIZHU_FUZZ_EXAMPLES=$(or $(EXAMPLES),3) $(BIN)/pytest -q -p no:cacheprovider tests/contract $(if $(K),-k "$(K)")

bench: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
