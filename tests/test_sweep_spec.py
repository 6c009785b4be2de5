"""The sweep spec reader: good specs expand as written, every bad field is one exit-2 line."""

import pytest

from osp.cli import main
from osp.errors import OspInputError
from osp.sweep.plan import expand
from osp.sweep.spec import parse_spec, read_spec

GOOD = """
[sweep]
name = "t"
length = 32
pairs = [2, 4]
seeds = [0, 1]
learning_rates = [1e-3, 3e-3]
tokens = 4096
quantize_bits = [2, 8]

[[model]]
name = "lstm"
widths = [16, 32]
set = { vocab_size = 64 }

[[model]]
name = "attention"
learning_rates = [0.01]
tokens = 1024

[[model]]
name = "key-table"
"""


def _write(tmp_path, text):
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_good_spec_expands_models_widths_rates_seeds(tmp_path):
    spec = read_spec(_write(tmp_path, GOOD))
    assert spec.pairs == (2, 4) and spec.tokens == 4096 and spec.quantize_bits == (2, 8)
    lstm, attn, table = spec.models
    assert lstm.widths == (16, 32) and lstm.learning_rates == (1e-3, 3e-3) and lstm.width_key == "d_model"
    assert attn.learning_rates == (0.01,) and table.learning_rates == (None,) and not table.trainable
    runs = expand(spec, commit="c0")
    assert len(runs) == 2 * 2 * 2 + 1 * 2 + 1 * 2
    assert len({r.key for r in runs}) == len(runs) and len({r.filename for r in runs}) == len(runs)
    r = runs[0]
    assert dict(r.config.model_overrides) == {"vocab_size": "64", "d_model": "16", "seed": "0"}
    assert r.config.train.tokens == 4096 and r.config.train.length == 32 and r.config.train.threads == 1
    assert {x.config.train.tokens for x in runs if x.model == "attention"} == {1024}


def test_key_depends_on_config_version_and_commit(tmp_path):
    spec = read_spec(_write(tmp_path, GOOD))
    a = [r.key for r in expand(spec, commit="c0")]
    assert a == [r.key for r in expand(spec, commit="c0")]
    assert set(a).isdisjoint(r.key for r in expand(spec, commit="c1"))
    assert set(a).isdisjoint(r.key for r in expand(spec, commit="c0", threads=2))
    other = read_spec(_write(tmp_path, GOOD.replace("tokens = 4096", "tokens = 8192")))
    changed = [r.key for r in expand(other, commit="c0") if r.model == "lstm"]  # attention has its own budget
    assert changed and set(a).isdisjoint(changed)


HOSTILE = [
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nbogus=1\n[[model]]\nname='lstm'\n", "unknown field 'bogus'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n", "at least one [[model]]"),
    ("[sweep]\nname='t'\nlength=32\npairs=[9]\ntokens=1\n[[model]]\nname='lstm'\n", "'pairs'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\n[[model]]\nname='lstm'\n", "exactly one of 'tokens'"),
    ("[sweep]\nname='t'\nlength=true\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\n", "'length' must be int"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2, 2]\ntokens=1\n[[model]]\nname='lstm'\n", "repeats"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nlearning_rates=[-1.0]\n[[model]]\nname='lstm'\n",
     "learning_rates"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nlearning_rates=[nan]\n[[model]]\nname='lstm'\n",
     "learning_rates"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nconfidence='1'\n[[model]]\nname='lstm'\n", "confidence"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nconfidence='__import__'\n[[model]]\nname='lstm'\n",
     "confidence"),
    ("[sweep]\nname='../x'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\n", "'name'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nlayout='other'\n[[model]]\nname='lstm'\n", "layout"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='nope'\n", "unknown model 'nope'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\nset={d_model=0}\n", "lstm"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\nset={bogus=1}\n", "bogus"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\nwidths=[8]\nset={d_model=8}\n",
     "conflicts"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='key-table'\nwidths=[8]\n",
     "no config key 'd_model'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='key-table'\nlearning_rates=[0.1]\n",
     "witness"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\n[[model]]\nname='lstm'\n",
     "listed twice"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=0\n[[model]]\nname='lstm'\n", "'tokens'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\nseeds=[-1]\n[[model]]\nname='lstm'\n", "'seeds'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n[[model]]\nname='lstm'\nwidths=[1,2,3,4,5,6,7,8,9,10]\n"
     "learning_rates=[1,2,3,4,5,6,7,8,9,10]\n[sweep.x]\n", "unknown field 'x'"),
    ("[other]\n", "unknown table 'other'"),
    ("[sweep]\nname='t'\nlength=32\npairs=[2]\nsteps=1\n[[model]]\nname='lstm'\ntokens=5\n", "needs a token budget"),
    ("model = 3\n[sweep]\nname='t'\nlength=32\npairs=[2]\ntokens=1\n", "[[model]]"),
]


@pytest.mark.parametrize("text,needle", HOSTILE)
def test_hostile_spec_is_one_line_exit_2(tmp_path, capsys, text, needle):
    path = _write(tmp_path, text)
    with pytest.raises(OspInputError, match=None) as err:
        read_spec(path)
    assert needle in str(err.value) and "\n" not in str(err.value)
    assert main(["sweep", str(path), "--results", str(tmp_path / "r")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("osp: error:")
    assert not (tmp_path / "r").exists()


def test_too_many_runs_is_refused():
    models = [{"name": "lstm", "widths": list(range(1, 65)), "set": {"seed": s}} for s in range(4)]
    data = {"sweep": {"name": "t", "length": 32, "pairs": [2], "tokens": 1, "seeds": list(range(64)),
                      "learning_rates": [0.001]}, "model": models}
    with pytest.raises(OspInputError, match="runs, at most"):
        parse_spec(data)


def test_bad_files_and_flags(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "missing.toml")]) == 2
    bad = _write(tmp_path, "[sweep\n")
    assert main(["sweep", str(bad)]) == 2
    good = _write(tmp_path, GOOD)
    assert main(["sweep", str(good), "--workers", "0"]) == 2
    assert main(["sweep", str(good), "--address", "x:1"]) == 2
    assert main(["sweep", str(good), "--device", "tpu"]) == 2
    errs = capsys.readouterr().err.strip().splitlines()
    assert len(errs) == 5 and all(e.startswith("osp: error:") for e in errs)


def test_a_user_model_is_swept_by_its_factory_arguments():
    root = __import__("pathlib").Path(__file__).resolve().parents[1]
    data = {"sweep": {"name": "u", "length": 32, "pairs": [2], "tokens": 64},
            "model": [{"name": f"{root}/examples/user_model.py:build", "widths": [8, 16], "set": {"vocab_size": 32}}]}
    runs = expand(parse_spec(data), commit="c")
    assert [dict(r.config.model_overrides)["d_model"] for r in runs] == ["8", "16"]
    with pytest.raises(OspInputError, match="unknown model"):
        parse_spec({**data, "model": [{"name": "nope.txt:build"}]})
