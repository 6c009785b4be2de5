"""Issue 8's reproducers through the CLI: the printed verdict and number are the true ones."""

import json
from fractions import Fraction as F

import pytest

from osp.cli import main

EDGE = F(999, 1000) - F(1, 10 ** 200)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bound_near_the_edge_is_positive_and_text_agrees_with_json(capsys):
    code, out, _ = run(capsys, "bound", "--state-bits", "1000", "--values", "1000", "--error", str(EDGE), "--json")
    data = json.loads(out)
    assert code == 0 and data["pairs_decimal"].startswith("1.38490") and data["pairs_decimal"].endswith("e+400")
    assert F(data["bound_lower"]) <= F(data["bound_upper"]) and F(data["bound_lower"]) > 10 ** 400
    code, text, _ = run(capsys, "bound", "--state-bits", "1000", "--values", "1000", "--error", str(EDGE))
    assert "at most 1.38490" in text and "e+400" in text and "<= -" not in text.splitlines()[0]


def test_headline_is_the_floor(capsys):
    _, out, _ = run(capsys, "bound", "--state-bits", "85137581", "--values", "3", "--error", "0")
    assert "at most 53715832 key-value pairs" in out and "53715833" not in out
    _, out, _ = run(capsys, "bound", "--state-bits", "12345678.6", "--values", "2", "--error", "0", "--json")
    data = json.loads(out)
    assert data["pairs"] == 12345678 and data["decimal"] == "12345678.6"
    _, out, _ = run(capsys, "bound", "--state-bits", "12345678.6", "--values", "2", "--error", "0")
    assert "at most 12345678 key-value pairs" in out and "12345679" not in out


def test_exact_tie_floor(capsys):
    # 30 bits at V = 8, eps = 0: Dfn = 3 exactly, N = 10 is allowed
    _, out, _ = run(capsys, "bound", "--state-bits", "30", "--values", "8", "--error", "0", "--json")
    assert json.loads(out)["pairs"] == 10
    _, out, _ = run(capsys, "bound", "--state-bits", "29.999999999999999999999999", "--values", "8", "--error", "0",
                    "--json")
    assert json.loads(out)["pairs"] == 9


def test_compare_is_decided_exactly(capsys):
    # q = 1 + 4 R Lam / delta = 2^16 exactly: the two bounds are equal, not "smaller" by float noise
    code, out, _ = run(capsys, "bound", "--compare", "--scalars", "8", "--bits-per-scalar", "16", "--radius",
                       "16383.75", "--lipschitz", "1", "--margin", "1", "--values", "16", "--error", "0.1", "--json")
    data = json.loads(out)
    assert code == 0 and data["smaller"] == "equal"
    assert data["discrete"]["pairs"] == data["continuous"]["pairs"]


def test_box_extremes_are_certified_and_never_inf(capsys, tmp_path):
    path = tmp_path / "box.toml"
    path.write_text("[ranges]\nB = [1, 1e300]\nV = [4, 8]\neps = [0, 0.5]\n")
    code, out, _ = run(capsys, "check", "--ranges", str(path), "--json")
    data = json.loads(out)
    ex = data["extremes"]["theorem1"]
    assert code == 0 and ex["pairs_min"] == 0  # 1 bit / 3 bits per pair at (B 1, V 8, eps 0): Dfn = 3 exactly
    assert ex["bound_min_decimal"] == "0.33333333"
    assert "inf" not in ex["bound_max_decimal"] and F(ex["bound_max_decimal"]) > 10 ** 300
    code, text, _ = run(capsys, "check", "--ranges", str(path))
    assert "inf" not in text and "e+300" in text


@pytest.mark.parametrize("argv", [
    ("1000", "2", "1e-300"),            # bound 1000.000...1: "999.99999" would deny N = 1000
    ("85137581", "3", "0"),              # bound 53715832.999999997: "53715833" would allow N = 53715833
    ("30", "8", "0"),                    # exact tie: 10
    ("16384", "4096", "0.1"),
    ("12345678.6", "2", "0"),
])
def test_bound_decimal_never_crosses_an_integer(capsys, argv):
    bits, values, error = argv
    _, out, _ = run(capsys, "bound", "--state-bits", bits, "--values", values, "--error", error, "--json")
    data = json.loads(out)
    assert data["pairs"] <= F(data["decimal"]) < data["pairs"] + 1
    assert F(data["bound_lower"]) <= F(data["bound_upper"])


def test_profile_bound_column_keeps_the_integer_part():
    from osp.bound import theorem1_bound

    # the profile's bound column prints Bound.decimal; 8 significant digits rounded down would
    # print 123456780 and deny N = 123456789 (V = 4 at eps = 0: Dfn = 2 bits exactly)
    assert theorem1_bound(246913579, 4, 0, rests_on=False).decimal == "123456789.5"
    assert theorem1_bound(2000, 4, 0, rests_on=False).decimal == "1000"
