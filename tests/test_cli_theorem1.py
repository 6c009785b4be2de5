import json
import math
import subprocess
import sys

import pytest

from osp.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prove_json_schema_and_exit_code(capsys):
    code, out, _ = run(capsys, "prove", "--json", "--draws", "50")
    data = json.loads(out)
    assert code == 0
    assert set(data["summary"]) >= {"proved", "refuted", "unknown", "open"}
    assert data["summary"]["refuted"] == data["summary"]["unknown"] == 0
    statuses = {"defined", "proved", "cited-validated", "open", "refuted", "unknown"}
    for n in data["nodes"]:
        assert {"id", "kind", "status", "checker", "seconds", "uses"} <= set(n)
        assert n["status"] in statuses
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["thm1"]["status"] == "proved" and by_id["tape.open"]["status"] == "open"


def test_prove_table_and_summary(capsys):
    code, out, _ = run(capsys, "prove", "--draws", "50")
    assert code == 0
    assert "thm1.step12" in out and "draws" in out
    summary = next(line for line in out.splitlines() if " nodes: " in line)
    assert "0 refuted, 0 unknown" in summary


def test_prove_mutants_kill_rate(capsys):
    code, out, _ = run(capsys, "prove", "--mutants", "--json", "--draws", "50")
    data = json.loads(out)["mutants"]
    assert code == 0 and data["survived"] == 0 and data["unexpected"] == 0 and data["total"] > 30
    assert data["killed"] >= data["total"] - 5  # the few unknowns are division-by-zero-only mutants


def test_bound_matches_closed_form(capsys):
    code, out, _ = run(capsys, "bound", "--state-bits", "1000", "--values", "32000", "--error", "0.05", "--json")
    data = json.loads(out)
    e, V = 0.05, 32000
    h = -e * math.log2(e) - (1 - e) * math.log2(1 - e)
    expected = 1000 / (math.log2(V) - h - e * math.log2(V - 1))
    assert code == 0 and abs(data["bound"] - expected) < 1e-9 * expected
    assert data["exact"] and "thm1" in data["rests_on"] and "thm1.step12" in data["rests_on"]
    assert data["inputs"] == {"state_bits": 1000, "values": 32000, "error": 0.05,
                              "state_bits_exact": "1000", "error_exact": "1/20"}
    assert data["pairs"] == math.floor(expected) and float(data["bound_lower"]) <= expected <= float(data["bound_upper"])


def test_bound_scalars_times_bits(capsys):
    _, a, _ = run(capsys, "bound", "--scalars", "128", "--bits-per-scalar", "16", "--values", "64", "--error", "0.1", "--json")
    _, b, _ = run(capsys, "bound", "--state-bits", "2048", "--values", "64", "--error", "0.1", "--json")
    assert json.loads(a)["bound"] == json.loads(b)["bound"]


@pytest.mark.parametrize("argv, needle", [
    (["--state-bits", "10", "--values", "4", "--error", "0.75"], "1 - 1/V"),
    (["--state-bits", "10", "--values", "4", "--error", "0.9"], "1 - 1/V"),
    (["--state-bits", "10", "--values", "1", "--error", "0.1"], "V"),
    (["--state-bits", "-3", "--values", "4", "--error", "0.1"], ">= 0"),
    (["--state-bits", "nan", "--values", "4", "--error", "0.1"], "finite"),
    (["--state-bits", "10", "--values", "4"], "--error"),
    (["--state-bits", "10", "--scalars", "2", "--bits-per-scalar", "3", "--values", "4", "--error", "0.1"], "not both"),
])
def test_bound_bad_input_exit_2_one_line(capsys, argv, needle):
    code, out, err = run(capsys, "bound", *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def write(tmp_path, text):
    p = tmp_path / "box.toml"
    p.write_text(text)
    return str(p)


def test_check_wide_box(capsys, tmp_path):
    path = write(tmp_path, "[ranges]\nB = [1, 1099511627776]\nV = [2, 1048576]\neps = [0, 0.45]\n")
    code, out, _ = run(capsys, "check", "--ranges", path, "--json")
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "proved"
    assert all(o["z3"] == "proved" and o["second"] == "proved" for o in data["obligations"])
    # the extremes are the corner values, recomputed here from the closed form
    def bound(B, V, e):
        h = 0 if e == 0 else -e * math.log2(e) - (1 - e) * math.log2(1 - e)
        return B / (math.log2(V) - h - e * math.log2(V - 1))
    assert math.isclose(data["bound_max"], bound(2**40, 2, 0.45), rel_tol=1e-9)
    assert math.isclose(data["bound_min"], bound(1, 2**20, 0), rel_tol=1e-9)


def test_check_box_reaching_the_edge_is_refuted_with_witness(capsys, tmp_path):
    path = write(tmp_path, "[ranges]\nD = [64, 4096]\nP = [16, 16]\nV = [2, 1024]\neps = [0.1, 0.5]\n")
    code, out, _ = run(capsys, "check", "--ranges", path, "--json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "refuted" and data["bound_max"] is None
    valid = next(o for o in data["obligations"] if o["id"] == "box.valid")
    from fractions import Fraction
    w = valid["counterexample"]
    e, V = Fraction(w["eps"]), Fraction(w["V"])
    assert Fraction(1, 10) <= e <= Fraction(1, 2) and 2 <= V <= 1024 and e * V >= V - 1


@pytest.mark.parametrize("text, needle", [
    ("[ranges\n", "malformed TOML"),
    ("[ranges]\nV = [2, 4]\neps = [0, 0.1]\n", "ranges.B"),
    ("[ranges]\nB = [1, 2]\nV = [1, 4]\neps = [0, 0.1]\n", "ranges.V"),
    ("[ranges]\nB = [1, 2]\nV = [2, 4]\neps = [0.3, 0.1]\n", "ranges.eps"),
    ("[ranges]\nB = [1, 2]\nV = [2, 4]\neps = ['a', 0.1]\n", "ranges.eps[0]"),
    ("[ranges]\nB = [1, 2]\nV = [2, 4]\neps = [0, 0.1]\nwidth = [1, 2]\n", "ranges.width"),
    ("[other]\nx = 1\n", "other"),
])
def test_check_malformed_file_names_the_field(capsys, tmp_path, text, needle):
    code, out, err = run(capsys, "check", "--ranges", write(tmp_path, text))
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err


def test_console_script_never_prints_a_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "osp.cli", "check", "--ranges", str(tmp_path / "missing.toml")],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "no such file" in proc.stderr


def test_theorem2_flags_without_continuous_are_an_error(capsys):
    code, out, err = run(capsys, "bound", "--state-bits", "64", "--values", "16", "--error", "0.1", "--radius", "3")
    assert code == 2 and "--radius" in err and "--continuous" in err


def test_check_extremes_rest_on_the_theorem_and_the_corner_node(capsys, tmp_path):
    path = write(tmp_path, "[ranges]\nB = [1, 2]\nV = [4, 8]\neps = [0, 0.1]\n")
    code, out, _ = run(capsys, "check", "--ranges", path, "--json")
    ex = json.loads(out)["extremes"]["theorem1"]
    assert code == 0 and "thm1" in ex["rests_on"] and "mono.box" in ex["rests_on"]
