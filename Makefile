# Every target works on a fresh machine with nothing but python3: the virtualenv is made on demand.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install test lint schemas demo bench bench-hostile fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project metadata changes; editable so the tests run the working tree.
# setuptools' build chatter goes to a log that is shown only if the install fails.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "installing faasdrift and its test tools into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --quiet -e '.[test,lint]' >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check faasdrift tests bench schemas
	$(BIN)/ruff format --check faasdrift tests bench schemas
	$(BIN)/mypy

# Derive schemas/function*.schema.json from the vendored excerpt of Gcore's OpenAPI document.
# The test suite fails while the committed files differ from what this writes.
schemas: $(STAMP)
	$(BIN)/python schemas/derive.py

demo: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	@$(BIN)/python -m pip install --quiet -e '.[bench]' >$(VENV)/install-bench.log 2>&1 \
		|| { cat $(VENV)/install-bench.log; exit 1; }
	@touch $(BENCH_STAMP)

# Each figure beside its physical limit (a minimal script in bench/), interleaved, medians.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py

# Time and peak memory of every hostile input SECURITY.md lists (desired files, snapshots, a
# hostile API server on 127.0.0.1), each as a real process.
bench-hostile: $(STAMP)
	$(BIN)/python bench/hostile.py

# Hostile desired files, generated and mutated by hypothesis: 10,000 examples for each property
# (the normal test suite runs 200). Failing examples are kept in .hypothesis/ and replayed first.
fuzz: $(STAMP)
	FAASDRIFT_FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/fuzz -q --hypothesis-show-statistics

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
