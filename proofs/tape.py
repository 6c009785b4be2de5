"""Tape OSPs (THEORY.md section 5): the open statement, Lemma T (the proved
piece) with its two ingredients, and the published claim for tape OSPs,
which rests on the open statement and is therefore never reported checked.
"""

from __future__ import annotations

import sympy
from sympy import Ge, Le

from osp.checks import tape as ob
from osp.infotheory import factorial
from osp.proofs.evidence import Cited, Open, Sympy, Z3
from osp.proofs.functions import log2
from osp.proofs.graph import Node

S = sympy.symbols
N, B, cbar, V = S("N B cbar V", positive=True)
_n = S("N", integer=True, positive=True)   # log N! is about integers N >= 1


def lemma_t_bound_expr(N, B, cbar):
    """Lemma T's right-hand side: (B + N (1 + log2 e)) / log2(N / cbar) expected hits."""
    return (B + N * (1 + log2(sympy.E))) / log2(N / cbar)


def log_factorial() -> tuple[bool, str]:
    """ln N! >= N ln N - N + 1 > N ln(N/e) for every integer N >= 1, by induction:
    F(N) = ln N! - (N ln N - N + 1) has F(1) = 0 and
    F(N) - F(N-1) = ln N - integral_{N-1}^{N} ln x dx = 1 - j ln(1 + 1/j) (j = N - 1 >= 1),
    which is >= 0 because ln(1 + u) <= u (g = u - ln(1 + u): g(0) = 0, g' = u/(1+u) >= 0).
    The integral and step identities are osp.infotheory.factorial's sympy checks."""
    n = S("n", integer=True, positive=True)
    u = S("u", nonnegative=True)
    closed = lambda m: m * sympy.log(m) - m + 1  # noqa: E731 - integral_1^m ln x dx
    F = lambda m: sympy.log(sympy.factorial(m)) - closed(m)  # noqa: E731
    base = sympy.simplify(F(sympy.Integer(1))) == 0
    increment = sympy.expand_log(sympy.combsimp(sympy.expand_func(
        sympy.log(sympy.factorial(n + 1)) - sympy.log(sympy.factorial(n)))), force=True)
    x = S("x", positive=True)
    integral = sympy.integrate(sympy.log(x), (x, n, n + 1))
    # F(n+1) - F(n) = ln(n+1) - integral_n^{n+1} ln x dx: the closed forms differ by that integral
    step = sympy.simplify(sympy.expand_log(closed(n + 1) - closed(n) - integral, force=True)) == 0
    inc_ok = sympy.simplify(increment - sympy.log(n + 1)) == 0
    g = u - sympy.log(1 + u)
    tangent = g.subs(u, 0) == 0 and sympy.simplify(sympy.diff(g, u) - u / (1 + u)) == 0
    ok = (base and step and inc_ok and tangent and factorial.integral_identity_holds()
          and factorial.step_bound_holds())
    return bool(ok), ("F(1) = 0; F(n+1) - F(n) = ln(n+1) - integral_n^{n+1} ln x = 1 - n ln(1 + 1/n) >= 0; "
                      "ln(1+u) <= u")


def nodes() -> list[Node]:
    return [
        Node("tape.open", "open", "tape OSPs: bounded reads and state give no better than guessing (open)",
             "cbar reads per step, B state bits: limsup expected fraction correct <= 1/V as N -> oo",
             Open("THEORY.md section 5: not proved; answers mixing state and reads of other cells are not handled"),
             statement_uses=("def.tape-osp", "def.mqar"), section="5"),
        Node("tape.triangle", "corollary", "if tape.open holds: E and C kill Recall for tape OSPs (the published "
             "claim; rests on an open statement)", "a tape OSP with O(1) reads per step and O(1) state bits has "
             "no Recall", Z3((ob.triangle_from_open,)),
             statement_uses=("def.properties", "def.tape-osp"), proof_uses=("tape.open",), section="5"),
        Node("lemma.list-fano", "lemma", "list-decoding Fano: P(pos in a list of cbar guesses from S) <= "
             "(I(pos; S) + 1) / log(N / cbar)",
             sympy.Implies(sympy.And(Ge(cbar, 1), sympy.Gt(N, cbar)),
                           Le(S("P_hit"), (S("I(pos;S)") + 1) / log2(N / cbar))),
             Cited("Ahlswede, Gacs & Korner 1976; list Fano H(pos|S) <= 1 + P(miss) log N + P(hit) log cbar",
                   ("list-fano",)), statement_uses=("def.log2",)),
        Node("lemma.log-factorial", "lemma", "log N! >= N log(N/e) for every integer N >= 1 (induction over the "
             "integral comparison, not sampling)",
             Ge(log2(sympy.factorial(_n)), _n * log2(_n / sympy.E)), Sympy(log_factorial),
             statement_uses=("def.log2",)),
        Node("lemma.T", "lemma", "Lemma T: E[#queries whose reads include their own value cell] <= "
             "(B + N (1 + log e)) / log(N / cbar)",
             sympy.Implies(sympy.And(Ge(cbar, 1), sympy.Gt(N, cbar), Ge(B, 0)),
                           Le(S("E_hits"), lemma_t_bound_expr(N, B, cbar))), Z3((ob.lemma_t,)),
             statement_uses=("def.tape-osp", "def.mqar", "def.log2"),
             proof_uses=("lemma.list-fano", "lemma.log-factorial", "lemma.chain-rule", "lemma.entropy-support"),
             section="5"),
    ]
