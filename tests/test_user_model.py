"""The user's own model: `file.py:FACTORY` and `py:module:FACTORY`, resolved by zoo.build."""

import json
import re
import textwrap
from pathlib import Path

import pytest
import torch

from osp.cli import main
from osp.errors import OspInputError
from osp.runtime import zoo
from osp.runtime.user_model import is_user_spec

torch.set_num_threads(1)
EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "user_model.py")


def _write(tmp_path, body, name="model.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return str(path)


def test_example_builds_and_its_state_is_measured():
    osp = zoo.build(f"{EXAMPLE}:build", {"d_model": "16", "vocab_size": "40"})
    assert osp.vocab_size == 40
    tokens = torch.randint(0, 40, (2, 9), generator=torch.Generator().manual_seed(0))
    state, logits = osp.decode(tokens)
    assert logits.shape == (2, 9, 40)
    # one (B, d_model) float32 vector per sequence, at every length
    assert osp.state_bits(state) == 2 * 16 * 32
    assert torch.allclose(osp.forward(tokens), logits)


def test_example_profiles_from_the_command_line(capsys):
    assert main(["profile", f"{EXAMPLE}:build", "--set", "d_model=8", "--lengths", "4,8,16", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["state_bits"] == [8 * 32] * 3  # d_model float32 scalars, flat in L


def test_module_form(tmp_path, monkeypatch):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.py").write_text(Path(EXAMPLE).read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    osp = zoo.build("py:mypkg.models:build", {"d_model": "4"})
    assert osp.state_bits(osp.init_state(3)) == 3 * 4 * 32


def test_two_files_with_one_name_stay_apart(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for d, width in ((a, 3), (b, 5)):
        (d / "model.py").write_text(Path(EXAMPLE).read_text() + f"\nWIDTH = {width}\n"
                                    "def make():\n    return build(d_model=WIDTH)\n")
    models = [zoo.build(f"{d / 'model.py'}:make") for d in (a, b)]
    assert [m.state_bits(m.init_state(1)) for m in models] == [3 * 32, 5 * 32]


def test_specs_are_recognised():
    assert is_user_spec("models/rnn.py:build") and is_user_spec("py:pkg.mod:build")
    assert not is_user_spec("mamba") and not is_user_spec("hf:llama")
    # hf: stays reserved, even for a name that looks like a file
    with pytest.raises(OspInputError, match="unknown HF family"):
        zoo.build("hf:x.py:build")


@pytest.mark.parametrize(
    "body,factory,overrides,match",
    [
        ("", "build", {}, "has no attribute 'build'"),
        ("build = 3\n", "build", {}, "is a int, not a callable factory"),
        ("def build():\n    raise ValueError('width must be even')\n", "build", {},
         "build\\(\\) raised ValueError: width must be even"),
        ("def build():\n    return [1, 2]\n", "build", {}, "returned a list, not an osp.runtime.contract.OSP"),
        ("raise RuntimeError('no GPU here')\n", "build", {}, "importing it raised RuntimeError: no GPU here"),
        ("import sys\nsys.exit(3)\n", "build", {}, "importing it raised SystemExit"),
        ("def build(width=4):\n    return None\n", "build", {"depth": "2"},
         "--set depth: the factory has no such parameter \\(settable: width\\)"),
        ("def build(width=4):\n    return None\n", "build", {"width": "four"}, "expected an integer"),
        ("def build(shape=None):\n    return None\n", "build", {"shape": "2"}, "only parameters with an int"),
        ("", "1build", {}, "expected path/to/file.py:FACTORY"),
    ],
)
def test_bad_user_models_are_input_errors(tmp_path, body, factory, overrides, match):
    path = _write(tmp_path, body)
    with pytest.raises(OspInputError, match=match):
        zoo.build(f"{path}:{factory}", overrides)


def test_contract_is_checked_on_the_first_step(tmp_path):
    path = _write(tmp_path, f"""
        import sys
        sys.path.insert(0, {str(Path(EXAMPLE).parent)!r})
        from user_model import build as _build

        def wrong_logits():
            osp = _build(vocab_size=10)
            osp.vocab_size = 12  # logits still have 10 columns
            return osp

        def no_state_tensors():
            osp = _build()
            osp.state_tensors = lambda state: [state]  # a bare tensor, not a StateTensor
            return osp
        """)
    with pytest.raises(OspInputError, match=r"logits of shape \(B, vocab_size\) = \(1, 12\), got \(1, 10\)"):
        zoo.build(f"{path}:wrong_logits")
    with pytest.raises(OspInputError, match="list of osp.runtime.contract.StateTensor"):
        zoo.build(f"{path}:no_state_tensors")


@pytest.mark.parametrize("model,match", [
    ("missing.py:build", "user model file 'missing.py' not found"),
    ("py:no_such_module_xyz:build", "module 'no_such_module_xyz' not found"),
    ("py:os.path:join", "join\\(\\) raised TypeError"),
    ("py:not a module:build", "not a dotted module name"),
])
def test_cli_exits_2_with_one_line(model, match, capsys):
    assert main(["profile", model, "--lengths", "4,8,16"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert re.search(match, err), err
