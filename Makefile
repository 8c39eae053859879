# pactnet: `make demo` sets up and runs the main job; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.pactnet-installed

.PHONY: demo test lint docs bench clean

CORE := $(VENV)/.pactnet-core
WEB := $(VENV)/.pactnet-web

# The demo needs the core and the web extra (report, dashboard); the tests also need the models, sim, web, dev and
# docs extras (the docs hook is tested).
$(CORE): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(CORE)

$(WEB): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[web]'
	@touch $(WEB)

$(STAMP): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[models,sim,web,dev,docs]'
	@touch $(STAMP)

demo: $(WEB)
	$(BIN)/pactnet validate
	$(BIN)/pactnet build
	$(BIN)/pactnet summary --patron USA --from 1990 --to 2024 --change 2006 2022
	$(BIN)/pactnet report --out report.html
	@echo
	@echo "The report: open file://$(CURDIR)/report.html in a browser (one self-contained file; works offline)."
	@echo "The dashboard: $(BIN)/pactnet serve   then open http://127.0.0.1:8050/ (Ctrl+C stops it)."

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

DOCS_STAMP := $(VENV)/.pactnet-docs

$(DOCS_STAMP): $(CORE)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	@touch $(DOCS_STAMP)

# The documentation site in build/site, offline; the walk-throughs run at build time on the shared research data
# ($(PACTNET_SHARED_DATA), default ../shared/data), so a broken example fails the build.
docs: $(DOCS_STAMP)
	$(BIN)/python docs/gen_cli_reference.py
	$(BIN)/python docs/gen_api_reference.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python benchmarks/queries.py
	$(BIN)/python benchmarks/yaml_load.py
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/cli.py
	$(BIN)/python benchmarks/panels.py
	$(BIN)/python benchmarks/landscape.py
	$(BIN)/python benchmarks/sim.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/indicators.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
