# jixiao — one command each: `make run`, `make test`, `make bench`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Until the web application lands, `make run` scores the bundled county example.
run: $(STAMP)
	$(BIN)/jixiao validate examples/zhengding/scheme.yaml
	$(BIN)/jixiao score examples/zhengding/scheme.yaml examples/zhengding/data --format table

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest -q -n 2

bench: $(STAMP)
	$(BIN)/jixiao bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
