# The two commands of the README: `make run` (set up, then the main job) and
# `make test` (set up, then the tests). Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.osp-installed

.PHONY: setup run test bench clean

setup: $(STAMP)

# torch is pinned through constraints.txt to the local CPU build; the
# pyproject range stays loose for users.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e '.[hf,test,ray]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/osp prove

test: setup
	$(PY) -m pytest -q

bench: setup
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
