"""The HF tests run on each pinned transformers release (`make test`: constraints.txt, then
constraints-hf-newest.txt); a venv that drifted off both pins would test neither."""

import re
from pathlib import Path

import pytest

transformers = pytest.importorskip("transformers")

ROOT = Path(__file__).resolve().parent.parent


def _pins(name: str) -> dict[str, str]:
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)==(\S+)\s*(#.*)?", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_installed_transformers_is_one_of_the_pinned_releases():
    main, newest = _pins("constraints.txt"), _pins("constraints-hf-newest.txt")
    assert main["torch"] == newest["torch"]  # only transformers differs between the two runs
    assert main["transformers"] != newest["transformers"]
    assert transformers.__version__ in (main["transformers"], newest["transformers"])
