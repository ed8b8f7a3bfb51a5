# social-listen: `make demo` to try it, `make test` to check it. `make help` lists every target.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo-data/demo.db

.DEFAULT_GOAL := help
.PHONY: help install demo dashboard test lint format typecheck bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed (found %s)" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

demo: $(STAMP) ## Build the demo shop store and start the dashboard on it
	$(BIN)/social-listen demo --db $(DEMO_DB)
	@if $(BIN)/social-listen dashboard --help >/dev/null 2>&1; then \
	  $(BIN)/social-listen --config $(basename $(DEMO_DB)).toml dashboard; \
	else \
	  $(BIN)/social-listen --config $(basename $(DEMO_DB)).toml status; \
	fi

test: $(STAMP) ## Run the whole test suite
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP) ## Lint and check formatting (ruff) and types (mypy on social_listen/)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy social_listen

format: $(STAMP) ## Format the code (ruff)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## Run the benchmarks; results in bench/results/
	$(BIN)/python -m bench.run

clean: ## Remove the venv, caches and the demo store
	rm -rf $(VENV) demo-data .pytest_cache .ruff_cache .mypy_cache *.egg-info
