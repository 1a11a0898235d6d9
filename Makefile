# The two commands a person needs are `make demo` and `make test`; see README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/pulsewire.duckdb
SHARED ?= ../shared/data

.PHONY: demo test bench lint bundle calibration scorecard golden sweep clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# One stamp per extra, rebuilt when pyproject.toml changes.
$(VENV)/.run: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.run
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Ingest the bundle, write the edition of its last date (HTML, Markdown, JSON under
# .demo/edition), then print the IWM brief.
demo: $(VENV)/.run
	rm -rf .demo
	$(BIN)/pulsewire ingest --db $(DEMO_DB)
	$(BIN)/pulsewire status --db $(DEMO_DB) --asof 2026-08-21T21:00
	$(BIN)/pulsewire write --db $(DEMO_DB) --asof 2026-08-21 --out .demo/edition
	$(BIN)/pulsewire brief IWM --db $(DEMO_DB) --asof 2026-08-21

test: $(VENV)/.dev
	$(BIN)/pytest -q

# Rewrite the golden articles and FactSheets after a meant change; review the diff.
golden: $(VENV)/.dev
	PULSEWIRE_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests/writer/test_golden.py

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py --shared $(SHARED) --out BENCHMARKS.md

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src

# CALIBRATION.md and .json: Threat's reliability and Pulse's forward returns, from the bundle.
calibration: $(VENV)/.run
	rm -rf .demo
	$(BIN)/pulsewire ingest --db $(DEMO_DB)
	$(BIN)/pulsewire calibrate --db $(DEMO_DB)

# The scorecard of the calls the desk would have made every 5 bars over the bundle.
scorecard: $(VENV)/.run
	rm -rf .demo
	$(BIN)/pulsewire ingest --db $(DEMO_DB)
	$(BIN)/pulsewire scorecard --replay --db $(DEMO_DB)

# An edition for every date of the bundled news era, through `pulsewire write`'s path:
# every date must write; partial editions are named in SWEEP.md (about 8 minutes).
sweep: $(VENV)/.run
	$(BIN)/python scripts/sweep.py --out SWEEP.md

bundle: $(VENV)/.run
	$(BIN)/python scripts/bundle.py --shared $(SHARED) --out src/pulsewire/data

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
