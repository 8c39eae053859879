# pactnet: `make demo` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pactnet-installed

.PHONY: demo test lint docs bench clean

CORE := $(VENV)/.pactnet-core

# The demo needs only the core; the tests also need the models, sim and dev extras.
$(CORE): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(CORE)

$(STAMP): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[models,sim,dev]'
	@touch $(STAMP)

demo: $(CORE)
	$(BIN)/pactnet validate
	$(BIN)/pactnet build
	$(BIN)/pactnet summary --patron USA --from 1990 --to 2024 --change 2006 2022

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

docs: $(STAMP)
	$(BIN)/python docs/gen_cli_reference.py

bench: $(STAMP)
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/panels.py
	$(BIN)/python benchmarks/landscape.py
	$(BIN)/python benchmarks/sim.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
