"""`osp bound --continuous` and `osp bound --compare`: outputs and exit codes."""

import json

import pytest

from osp import cli, continuous

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
    assert {"bound", "exact", "inputs", "rests_on", "bits_per_scalar"} <= set(data)
    assert "thm2" in data["rests_on"] and "thm1" in data["rests_on"]
    assert data["bound"] > 0 and data["bits_per_scalar"] > 0


def test_human_output_says_margins_not_decay(capsys):
    code, out, _ = _run(capsys, BASE + ["--radius", "3"])
    assert code == 0 and "margins, not decay" in out


def test_decay_derives_the_s1_radius(capsys):
    code, out, _ = _run(capsys, BASE + ["--decay", "0.8", "--input-bound", "1", "--init-norm", "2", "--json"])
    assert code == 0
    assert json.loads(out)["inputs"]["radius"] == 5           # max(2, 1 / 0.2)


def test_no_decay_is_theorem_2_at_the_no_decay_radius(capsys):
    code, out, _ = _run(capsys, BASE + ["--decay", "1", "--input-bound", "1", "--length", "100", "--json"])
    data = json.loads(out)
    assert code == 0 and data["inputs"]["radius"] == 100
    assert {"thm2.S1.no-decay", "thm2"} <= set(data["rests_on"]) and "cor2.1" not in data["rests_on"]
    assert data["note"] == continuous.MARGINS_NOTE
    code, out, _ = _run(capsys, BASE + ["--decay", "1", "--input-bound", "1", "--length", "100"])
    first = out.splitlines()[0]
    assert code == 0 and first.startswith("Theorem 2 at R(L) = ||s0|| + L beta (no decay)")
    assert "D log L" in out and continuous.MARGINS_NOTE in out


def test_compare_json_carries_the_margins_note(capsys):
    code, out, _ = _run(capsys, COMPARE + ["--radius", "3", "--json"])
    assert code == 0 and json.loads(out)["note"] == continuous.MARGINS_NOTE


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


DECAY = ["--decay", "0.25", "--input-bound", "0.25"]
COMPARE = ["bound", "--compare", "--scalars", "4", "--bits-per-scalar", "8", "--lipschitz", "1", "--margin", "1",
           "--values", "2", "--error", "0"]


def test_radius_from_decay_rests_on_s1(capsys):
    code, out, _ = _run(capsys, BASE + DECAY + ["--json"])
    data = json.loads(out)
    assert code == 0 and data["inputs"]["radius_from"] == "thm2.S1"
    assert "thm2.S1" in data["rests_on"] and "thm2" in data["rests_on"]
    code, out, _ = _run(capsys, BASE + ["--radius", "3", "--json"])
    assert "thm2.S1" not in json.loads(out)["rests_on"]        # a measured radius does not rest on S1


@pytest.mark.parametrize("extra,node", [(DECAY, "thm2.S1"),
                                        (["--decay", "1", "--input-bound", "1", "--length", "10"], "thm2.S1.no-decay")])
def test_compare_with_a_derived_radius_keeps_its_provenance(capsys, extra, node):
    code, out, _ = _run(capsys, COMPARE + extra + ["--json"])
    assert code == 0 and node in json.loads(out)["continuous"]["rests_on"]


def test_compare_keeps_the_radius_exact(capsys):
    """R = 1/3 exactly: the continuous bound equals the direct Theorem 2 evaluation at the Rational 1/3."""
    from fractions import Fraction
    from osp import continuous
    code, out, _ = _run(capsys, COMPARE + ["--radius", "1/3", "--json"])
    got = json.loads(out)["continuous"]
    want = continuous.theorem2_bound(4, Fraction(1, 3), 1, 1, 2, 0, rests_on=False)
    assert code == 0 and got["exact"] == want.exact and "0.333" not in got["exact"]
    code, out, _ = _run(capsys, COMPARE + DECAY + ["--json"])      # S1: max(0, 0.25 / 0.75) = 1/3
    assert json.loads(out)["continuous"]["exact"] == want.exact


def test_tiny_margin_is_not_rounded_to_zero(capsys):
    argv = ["bound", "--continuous", "--dim", "4", "--radius", "1", "--lipschitz", "1", "--margin", "1e-400",
            "--values", "2", "--error", "0", "--json"]
    code, out, err = _run(capsys, argv)
    assert code == 0, err
    bps = json.loads(out)["bits_per_scalar"]
    assert bps == pytest.approx(400 * 3.321928094887362 + 2, rel=1e-6)   # log2(4e400) = 2 + 400 log2 10


@pytest.mark.parametrize("argv", [
    COMPARE + ["--radius", "1", "--init-norm", "2"],                   # --init-norm ignored before
    COMPARE[:-4] + ["--values", "2.5", "--error", "0", "--radius", "1"],
    BASE[:-4] + ["--values", "2.5", "--error", "0", "--radius", "1"],
    BASE[:-4] + ["--values", "1", "--error", "0", "--radius", "1"],
])
def test_bad_compare_and_alphabet_inputs_exit_2(capsys, argv):
    code, out, err = _run(capsys, argv)
    assert code == 2 and err.startswith("osp: error:") and len(err.strip().splitlines()) == 1 and not out


@pytest.mark.parametrize("line", ["radius = [-2, -1]", "input_bound = [-2, -1]\ndecay = [0, 0.5]",
                                  "init_norm = [-3, -1]\ndecay = [0, 0.5]\ninput_bound = [1, 2]"])
def test_check_rejects_negative_norm_ranges(capsys, tmp_path, line):
    path = tmp_path / "neg.toml"
    path.write_text(f"[ranges]\ndim = [4, 8]\n{line}\nlipschitz = [1, 2]\nmargin = [0.5, 1]\neps = [0, 0.25]\n"
                    "V = [8, 64]\n")
    code, _, err = _run(capsys, ["check", "--ranges", str(path)])
    assert code == 2 and "must be >= 0" in err
