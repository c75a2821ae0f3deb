# The two commands of the README: `make bench` (main job) and `make test`;
# `make test-fast` is the inner loop. Each creates .venv on first use and
# installs what it needs into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The CPU build of torch that this kind of machine has locally; installed first
# so that no dependency pulls the multi-GB CUDA build from the registry.
TORCH_PIN ?= torch==2.13.0

.PHONY: install system-deps bench suite test test-fast install-matrix docs lint format clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install --quiet "$(TORCH_PIN)"
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# QUICK=1 runs the two-minute variant; ARGS passes more options, e.g.
# make bench ARGS="--methods smote dcbn-vae --seeds 0 1 2 3 4"
bench: install
	$(BIN)/python benchmarks/nsl_kdd.py $(if $(QUICK),--quick) $(ARGS)

# The generality suite behind the README's headline table (benchmarks/suite.py):
# every table of the data folder, 5 seeds, then its tables of the test rows.
# Hours on two cores, resumable: a rerun skips the runs it has. QUICK=1 runs
# the two smallest tables (ecoli, the BoT-IoT fragment) with seed 0, the same
# runs as the full suite's first. ARGS goes to both steps, e.g.
# make suite ARGS="--tables satimage ecoli --seeds 0 1"
SUITE_QUICK := --tables ecoli bot-iot --seeds 0
suite: install
	$(BIN)/python benchmarks/suite.py $(if $(QUICK),$(SUITE_QUICK)) $(ARGS)
	$(BIN)/python benchmarks/suite.py --report --on test $(if $(QUICK),$(SUITE_QUICK)) $(ARGS)

# Everything (CI: .ci/run): lint, the docs, the install matrix, every test.
test: install system-deps lint docs install-matrix
	$(BIN)/python -m pytest

# The inner loop: every test but those marked `slow` (the benchmarks' runs,
# servers, the browser, PostgreSQL, Dask, subprocesses, long fits), a test
# file per worker on every core; it still imports and runs every module.
# JOBS=0 runs it in this process (on a machine busy with other work, extra
# workers only add their start-up).
JOBS ?= auto
test-fast: install
	$(BIN)/python -m pytest -m "not slow" -n $(JOBS) --dist loadfile

# Every install path alone: the wheel with each extra (none, compare, peers,
# boosting, web) in a fresh environment, torch first, and that extra's README
# command on small data (about five minutes; pip's cache is reused).
install-matrix:
	PYTHON=$(PYTHON) TORCH_PIN="$(TORCH_PIN)" bash .ci/install-matrix

# What the web application's tests need beyond Python: Debian's Chromium (the
# browser test) and PostgreSQL (the database test). Installed when missing
# and this is root on Debian; elsewhere those tests skip and say why.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq$$missing >/dev/null; \
	else \
		echo "not installed:$$missing (needs root and apt-get); their tests will skip"; \
	fi

# The documentation, with every Sphinx warning an error.
docs: install
	$(BIN)/python -m sphinx -W --keep-going -q -b html docs docs/_build/html

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) docs/_build docs/generated .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
