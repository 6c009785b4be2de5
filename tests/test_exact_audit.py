"""Issue 8's audit reproducers, the every-length boundary, and the no-float rule for verdicts."""

import ast
import json
from fractions import Fraction as F
from pathlib import Path

import mpmath
import pytest
from hypothesis import given, settings, strategies as st

from osp.cli import main
from osp.registry import audit
from osp.status import Status

ROOT = Path(__file__).resolve().parents[1]


def claim(tmp_path, claim_lines: str, state: str, bits: int = 1, params: str = "") -> Path:
    path = tmp_path / "claim.toml"
    path.write_text(f"[claim]\n{claim_lines}\n\n[model]\nper_step_compute = \"1\"\nstate_scalars = \"{state}\"\n"
                    f"bits_per_scalar = {bits}\n" + (f"\n[parameters]\n{params}\n" if params else ""))
    return path


def run_json(capsys, path):
    code = main(["audit", str(path), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out else None), err


def test_edge_of_the_valid_region_is_consistent(tmp_path, capsys):
    path = claim(tmp_path, 'values = 1000\nerror = "999/1000 - 1/(10^50)^4"\nrecall_pairs = 10\ncontext = 30', "2",
                 bits=32)
    code, out, _ = run_json(capsys, path)
    assert code == 0 and out["verdict"] == "consistent"
    assert F(out["bound_interval"][0]) > F(8) * 10 ** 398 and out["bound_pairs"] > 8 * 10 ** 398


def test_float_near_tie_is_refuted(tmp_path, capsys):
    path = claim(tmp_path, "values = 3\nerror = 0\nrecall_pairs = 53715833\ncontext = 161147499", "85137581")
    code, out, _ = run_json(capsys, path)
    assert code == 1 and out["verdict"] == "refuted" and out["bound_pairs"] == 53715832
    arithmetic = out["certificate"]["arithmetic"]
    assert "> b_T = 85137581" in arithmetic and "< claimed 53715833" in arithmetic


def test_two_to_the_sixty_is_refuted(tmp_path, capsys):
    n = 2 ** 60
    path = claim(tmp_path, f"values = 2\nerror = 0\nrecall_pairs = {n}\ncontext = {3 * n}", "L/2 - 1")
    code, out, _ = run_json(capsys, path)
    assert code == 1 and out["verdict"] == "refuted" and out["bound_pairs"] == n - 1
    assert out["state_bits"] == n - 1


def test_mirror_is_consistent(tmp_path, capsys):
    path = claim(tmp_path, "values = 3\nerror = 0\nrecall_pairs = 1024\ncontext = 3072",
                 "1623.0016007384639298086286786025642")
    code, out, _ = run_json(capsys, path)
    assert code == 0 and out["verdict"] == "consistent" and out["bound_pairs"] == 1024


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 10 ** 6), st.sampled_from([3, 5, 1000, 32000]), st.integers(1, 9), st.sampled_from([-1, 1]))
def test_audit_within_1e_40_of_the_tie(pairs, V, tenths, side):
    eps = F(tenths, 10) * F(V - 1, V)
    with mpmath.workprec(1200):
        e = mpmath.mpf(eps.numerator) / eps.denominator
        p, q = 1 - e, mpmath.mpf(1) / V
        dfn = (p * mpmath.log(p / q) + e * mpmath.log(e / (1 - q))) / mpmath.log(2)
        b = F(mpmath.nstr(pairs * dfn, 200, strip_zeros=False)) + side * F(1, 10 ** 40)
    hi = b.numerator * 10 ** 20 // b.denominator
    lo = (b - F(hi, 10 ** 20)) * 10 ** 60
    p2 = lo.numerator // lo.denominator  # b - hi/10^20 - p2/10^60 < 10^-60: far below the 10^-40 gap
    data = {"claim": {"values": V, "error": str(eps), "recall_pairs": pairs, "context": 3 * pairs},
            "model": {"per_step_compute": "1", "state_scalars": f"{hi}/10^20 + {p2}/10^60", "bits_per_scalar": 1}}
    verdict = audit.audit(data)
    assert verdict.status is (Status.CONSISTENT if side == 1 else Status.REFUTED)


def test_every_length_boundary_2s_equals_dfn_is_consistent(tmp_path, capsys):
    # V = 4, eps = 0: Dfn = 2 exactly; b(T) = T, so N * Dfn = b(2N) at every length
    path = claim(tmp_path, "values = 4\nerror = 0\nrecall_fraction = 0.25\ncontext = 1024\nall_lengths = true", "L")
    code, out, _ = run_json(capsys, path)
    assert code == 0 and out["verdict"] == "consistent"
    path = claim(tmp_path, "values = 4\nerror = 0\nrecall_fraction = 0.25\ncontext = 1024\nall_lengths = true",
                 "L - 1/1000")
    code, out, _ = run_json(capsys, path)
    assert code == 1 and out["verdict"] == "refuted" and out["length"] == 1024


def test_every_length_sliding_window_hybrid_is_decided_exactly(tmp_path, capsys):
    # Gemma-style: global layers grow with L, local ones stop at the window
    params = "g = 1\nl = 5\nw = 4096\nd = 64"
    lines = "values = 32000\nerror = 0.05\nrecall_fraction = 0.25\ncontext = 1024\nall_lengths = true"
    code, out, _ = run_json(capsys, claim(tmp_path, lines, "g*L*d + l*min(L, w)*d", 16, params))
    assert code == 0 and out["verdict"] == "consistent" and "piecewise polynomial" in out["reason"]
    # only windowed layers: O(1) state, refuted at an explicit length that was checked
    code, out, _ = run_json(capsys, claim(tmp_path, lines, "l*min(L, w)*d", 16, "l = 5\nw = 4096\nd = 64"))
    assert code == 1 and out["verdict"] == "refuted" and str(out["length"]) in out["reason"]


def test_undecided_reason_names_only_checked_lengths(tmp_path, capsys):
    lines = "values = 2\nerror = 0\nrecall_fraction = 0.25\ncontext = 1024\nall_lengths = true"
    code, out, _ = run_json(capsys, claim(tmp_path, lines, "L + 27000000000000*sqrt(L) - 23/10*L^(63/64)"))
    assert code == 1 and out["verdict"] == "undecided"
    assert "j = 1..40" in out["reason"]


def test_certificate_formula_uses_the_claim_grammar(tmp_path, capsys):
    lines = "values = 32000\nerror = 0.05\nrecall_pairs = 100000\ncontext = 300000"
    _, out, _ = run_json(capsys, claim(tmp_path, lines, "min(L, 8)^2 + log(d)", 1, "d = 4"))
    expression = out["certificate"]["state_bits_expression"]
    assert "^" in expression and "min(" in expression and "**" not in expression and "Min" not in expression
    assert "log(d)" in expression


DECIDING = [ROOT / "osp/registry/verdict.py", ROOT / "osp/registry/lengths.py"]


@pytest.mark.parametrize("path", DECIDING, ids=lambda p: p.name)
def test_no_verdict_function_touches_floats(path):
    """Verdicts take exact (Fraction / sympy Rational) or interval values only: no float() call and no
    float literal in the modules that decide them."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "float", f"{path.name}:{node.lineno} calls float()"
        if isinstance(node, ast.Constant):
            assert not isinstance(node.value, float), f"{path.name}:{node.lineno} has a float literal"


def test_claim_grammar_round_trips_every_registry_formula():
    """A formula echoed in a certificate parses back to the same expression (paste it into a claim)."""
    import sympy

    from osp.registry import expr, loader
    from osp.render.audit import claim_grammar

    for arch in loader.load_registry():
        for formula in (arch.state, arch.compute):
            text = claim_grammar(formula)
            assert sympy.simplify(expr.parse(text) - formula) == 0, (arch.name, text)


def test_every_length_dip_between_doublings_is_found(tmp_path, capsys):
    # V = 4, eps = 0 (Dfn = 2): b(T) = T + (T - 5000)^2 - 1 < T only at T = 5000, i.e. N = 2500 pairs,
    # L in [9997, 10000]; the doublings of 1024 never land there
    lines = "values = 4\nerror = 0\nrecall_fraction = 0.25\ncontext = 1024\nall_lengths = true"
    code, out, _ = run_json(capsys, claim(tmp_path, lines, "L + (L - 5000)^2 - 1"))
    assert code == 1 and out["verdict"] == "refuted" and 9997 <= out["length"] <= 10000
    assert out["claimed_pairs"] == 2500 and out["bound_pairs"] == 2499


def test_every_length_proof_reads_the_sign_off_a_non_root():
    """-(T - r_1)^2 ... (T - r_9)^2 is <= 0 on [0, 1], zero at both ends and at the first seven probe points
    1/2^k with no root of odd multiplicity: a sign read only at those points would call it nonnegative."""
    import sympy

    from osp.registry.lengths import L, nonnegative_on

    roots = [0, 1] + [sympy.Rational(1, 2 ** k) for k in range(1, 8)]
    poly = sympy.Poly(sympy.expand(-sympy.prod([(L - r) ** 2 for r in roots])), L)
    assert nonnegative_on(poly, F(0), F(1)) is False
    assert nonnegative_on(-poly, F(0), F(1)) is True
