# The two commands of the README: `make lab` (set up and open the suite) and `make test`
# (set up and run every check). `make setup` is the idempotent setup both use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8888
# pytest-xdist workers for unit, slow and notebook tests (the CI machine has 2 cores)
WORKERS ?= 2
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup setup-test lab voila test lint validate unit slow notebooks browser bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.stamp-lab: requirements/lab.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements/lab.txt
	$(BIN)/pip install -q --no-deps -e .
	$(BIN)/python -m mtorlib setup-jupyter $(VENV)
	touch $@

$(VENV)/.stamp-test: requirements/test.txt $(VENV)/.stamp-lab
	$(BIN)/pip install -q -r requirements/test.txt
	touch $@

setup: $(VENV)/.stamp-lab  ## venv + pinned dependencies + mtorlib (editable) + offline Jupyter settings

setup-test: $(VENV)/.stamp-test

lab: setup  ## open the suite in JupyterLab
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb --port $(PORT) $(ROOT_FLAG)

voila: setup  ## presentation view of a notebook: make voila NB=notebooks/05_itp.ipynb
	$(BIN)/voila $(or $(NB),notebooks/00_start_here.ipynb) --port $(PORT)

lint: setup-test
	$(BIN)/ruff check --no-cache .

validate: setup
	$(BIN)/python -m mtorlib validate

unit: setup-test  ## the fast tests: everything but the browser and slow ones, on two workers
	$(BIN)/python -m pytest -q -n $(WORKERS) -p no:nbval -m "not browser and not slow"

slow: setup-test  ## tests marked slow (subprocesses, builds, installs); part of make test
	$(BIN)/python -m pytest -q -n $(WORKERS) -p no:nbval -m "slow and not browser"

notebooks: setup-test
	$(BIN)/python -m pytest -q -n $(WORKERS) --dist loadscope --nbval-lax --nbval-current-env notebooks/  # a notebook's cells stay together, in order

browser: setup-test
	$(BIN)/python -m pytest -q -m browser tests/browser

test: lint validate unit slow notebooks browser  ## everything CI runs

bench: setup-test  ## speed benchmarks (ratios against baselines in the same process)
	$(BIN)/python -m benchmarks

lock:  ## regenerate pinned requirements from pyproject.toml (needs network to PyPI)
	$(BIN)/pip install -q uv
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 -q -o requirements/test.txt
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 -q -c requirements/test.txt -o requirements/lab.txt

clean:
	rm -rf $(VENV) artifacts
