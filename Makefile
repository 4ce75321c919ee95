# Every target works on a fresh machine with nothing but python3: the virtualenv is made on demand.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Three installs, each with its own stamp: faasdrift and its runtime dependencies (install, demo),
# plus the test and lint tools (test, lint, ...), plus the build frontend and twine (dist).
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP         := $(VENV)/.installed
DIST_STAMP    := $(VENV)/.installed-dist
# The version lives in faasdrift/__init__.py (pyproject reads it): a new one reinstalls.
METADATA := pyproject.toml faasdrift/__init__.py

.PHONY: install test lint schemas help-page demo dist bench bench-hostile fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Editable installs, so the tests and the demo run the working tree. Reinstall when the project
# metadata changes; setuptools' build chatter goes to a log that is shown only if the install fails.
$(RUNTIME_STAMP): $(METADATA) | $(BIN)/python
	@echo "installing faasdrift and its runtime dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --quiet -e . >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(RUNTIME_STAMP)

$(STAMP): $(METADATA) | $(BIN)/python
	@echo "installing faasdrift and its test tools into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --quiet -e '.[test,lint]' >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP) $(RUNTIME_STAMP)

$(DIST_STAMP): $(METADATA) | $(BIN)/python
	@echo "installing the build frontend and twine into $(VENV) (log: $(VENV)/install.log)"
	@$(BIN)/python -m pip install --quiet -e '.[dist]' >$(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log; exit 1; }
	@touch $(DIST_STAMP) $(RUNTIME_STAMP)

# faasdrift and its runtime dependencies into .venv (README, "Use it with your Gcore account").
install: $(RUNTIME_STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check faasdrift tests bench schemas tools
	$(BIN)/ruff format --check faasdrift tests bench schemas tools
	$(BIN)/mypy
	$(BIN)/python tools/help_page.py --check

# Derive schemas/function*.schema.json from the vendored excerpt of Gcore's OpenAPI document.
# The test suite fails while the committed files differ from what this writes.
schemas: $(STAMP)
	$(BIN)/python schemas/derive.py

# Render faasdrift/cli/help_page.py, the `faasdrift --help` page the console script answers
# without importing click, with click itself. `make lint` and the tests fail while it is stale.
help-page: $(STAMP)
	$(BIN)/python tools/help_page.py

demo: $(RUNTIME_STAMP)
	PATH="$(abspath $(BIN)):$$PATH" bash examples/demo.sh

# The sdist and the wheel, with the standard build frontend, into dist/; twine checks that PyPI
# would render them. Built from a clean dist/ so `twine check` sees only this version's files.
dist: $(DIST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/python -m twine check --strict dist/*

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
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
