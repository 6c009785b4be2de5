"""`osp bound --continuous` and `osp bound --compare`: outputs and exit codes."""

import json

import pytest

from osp import cli

BASE = ["bound", "--continuous", "--dim", "16", "--lipschitz", "2", "--margin", "0.5", "--values", "256",
        "--error", "0.1"]


def _run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_continuous_json_keys_and_rests_on(capsys):
    code, out, _ = _run(capsys, BASE + ["--radius", "3", "--json"])
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"bound", "exact", "inputs", "rests_on", "bits_per_scalar"}
    assert "thm2" in data["rests_on"] and "thm1" in data["rests_on"]
    assert data["bound"] > 0 and data["bits_per_scalar"] > 0


def test_human_output_says_margins_not_decay(capsys):
    code, out, _ = _run(capsys, BASE + ["--radius", "3"])
    assert code == 0 and "margins, not decay" in out


def test_decay_derives_the_s1_radius(capsys):
    code, out, _ = _run(capsys, BASE + ["--decay", "0.8", "--input-bound", "1", "--init-norm", "2", "--json"])
    assert code == 0
    assert json.loads(out)["inputs"]["radius"] == 5           # max(2, 1 / 0.2)


def test_no_decay_uses_corollary_2_1(capsys):
    code, out, _ = _run(capsys, BASE + ["--decay", "1", "--input-bound", "1", "--length", "100", "--json"])
    data = json.loads(out)
    assert code == 0 and data["inputs"]["radius"] == 100 and "cor2.1" in data["rests_on"]


def test_compare_reports_both_and_the_smaller(capsys):
    argv = ["bound", "--compare", "--scalars", "16", "--bits-per-scalar", "16", "--radius", "3", "--lipschitz", "2",
            "--margin", "0.5", "--values", "256", "--error", "0.1", "--json"]
    code, out, _ = _run(capsys, argv)
    data = json.loads(out)
    assert code == 0
    d, c = data["discrete"]["bound"], data["continuous"]["bound"]
    assert data["smaller"] == ("continuous" if c < d else "discrete")
    assert data["bits_per_scalar"]["discrete"] == 16
    # the bound is D * bits-per-scalar / Dfn either way: the ratio of the bounds is the ratio of bits per scalar
    assert c / d == pytest.approx(data["bits_per_scalar"]["continuous"] / 16, rel=1e-9)
    code, out, _ = _run(capsys, argv[:-1])
    assert code == 0 and "smaller:" in out


@pytest.mark.parametrize("extra", [
    ["--radius", "3", "--decay", "0.5", "--input-bound", "1"],   # both ways of giving R
    ["--decay", "1.5", "--input-bound", "1"],                      # lam > 1
    ["--decay", "1", "--input-bound", "1"],                        # no decay without a length
    ["--decay", "0.5", "--input-bound", "1", "--length", "9"],     # a length without no-decay
    ["--radius", "-1"],
    ["--radius", "3", "--state-bits", "100"],
    ["--radius", "nan"],
    [],                                                           # no radius at all
])
def test_invalid_combinations_exit_2(capsys, extra):
    code, _, err = _run(capsys, BASE + extra)
    assert code == 2 and err.startswith("osp: error:") and "Traceback" not in err


@pytest.mark.parametrize("flag,value", [("--margin", "0"), ("--margin", "-1"), ("--dim", "0"), ("--dim", "2.5"),
                                        ("--error", "0.9999"), ("--lipschitz", "0")])
def test_invalid_values_exit_2(capsys, flag, value):
    argv = list(BASE) + ["--radius", "3"]
    argv[argv.index(flag) + 1] = value
    code, _, err = _run(capsys, argv)
    assert code == 2 and err.startswith("osp: error:")


def test_compare_needs_scalars(capsys):
    code, _, err = _run(capsys, ["bound", "--compare", "--radius", "3", "--lipschitz", "2", "--margin", "1",
                                 "--values", "4", "--error", "0"])
    assert code == 2 and "--scalars" in err


def _toml(tmp_path, eps_hi):
    path = tmp_path / "box.toml"
    path.write_text("[ranges]\nB = [1, 64]\ndim = [4, 8]\ndecay = [0, 0.5]\ninput_bound = [1, 2]\n"
                    f"lipschitz = [1, 2]\nmargin = [0.5, 1]\neps = [0, {eps_hi}]\nV = [8, 64]\n")
    return str(path)


def test_check_accepts_theorem2_ranges(capsys, tmp_path):
    code, out, _ = _run(capsys, ["check", "--ranges", _toml(tmp_path, "0.25"), "--json"])
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "proved"
    ex = data["extremes"]["theorem2"]
    assert 0 < ex["bound_min"] < ex["bound_max"] and "mono2.box" in ex["rests_on"]
    assert any(o["id"] == "thm2.step4" and o["status"] == "proved" for o in data["obligations"])


def test_check_refutes_a_box_that_breaks_h2(capsys, tmp_path):
    code, out, _ = _run(capsys, ["check", "--ranges", _toml(tmp_path, "0.95"), "--json"])
    data = json.loads(out)
    assert code == 1
    assert any(o["id"] == "box2.H2" and o["status"] == "refuted" for o in data["obligations"])
