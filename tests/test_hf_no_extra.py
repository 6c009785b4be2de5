"""The HF adapter without the `osp[hf]` extra: a clear input error, never an ImportError."""

import sys

import pytest

from osp.errors import OspInputError
from osp.runtime import hf
from osp.runtime.hf_families import FAMILIES


def test_families_listed_without_transformers():
    assert len(hf.HF_FAMILIES) >= 8
    assert {"llama", "mistral", "mamba", "mamba2", "rwkv", "xlstm"} <= set(hf.HF_FAMILIES)
    assert all(name == name.lower() for name in hf.HF_FAMILIES)
    assert {f.growth for f in FAMILIES} <= {"linear", "flat", "capped"}


def test_unknown_family_lists_the_known_ones():
    with pytest.raises(OspInputError) as err:
        hf.build_hf_osp("gpt-9", {})
    assert "gpt-9" in str(err.value) and "llama" in str(err.value) and "xlstm" in str(err.value)


def test_missing_transformers_says_install_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` fail
    with pytest.raises(OspInputError, match=r"osp\[hf\]"):
        hf.build_hf_osp("llama", {})
