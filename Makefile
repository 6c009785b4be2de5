# The two commands of the README: `make run` (set up, then the main job) and
# `make test` (set up, then the tests). Both work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.osp-installed
# The tests that build hf: models run a second time on the newest pinned transformers.
HF_VENV ?= .venv-hf-newest
HF_STAMP := $(HF_VENV)/.osp-installed
HF_TESTS := tests/test_hf_*.py tests/test_runtime_flops.py

.PHONY: setup run test bench clean

setup: $(STAMP)

# torch is pinned through constraints.txt to the local CPU build; the
# pyproject range stays loose for users.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -c constraints.txt -e '.[hf,test,ray]'
	touch $(STAMP)

$(HF_STAMP): pyproject.toml constraints-hf-newest.txt
	$(PYTHON) -m venv $(HF_VENV)
	$(HF_VENV)/bin/python -m pip install -q -c constraints-hf-newest.txt -e '.[hf,test]'
	touch $(HF_STAMP)

# the main job: regenerate the HTML proof report (reports/index.html) and print its path;
# exits 1, as `osp prove` does, if any node is refuted or unknown
run: setup
	$(VENV)/bin/osp report

test: setup $(HF_STAMP)
	$(PY) -m pytest -q
	$(HF_VENV)/bin/python -m pytest -q $(HF_TESTS)

bench: setup
	for b in benchmarks/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) $(HF_VENV) build *.egg-info
