"""Tape OSPs (docs/theory.md section 5): the open statement, Lemma T (the proved
piece) with its two ingredients, and the published claim for tape OSPs,
which rests on the open statement and is therefore never reported checked.
"""

from __future__ import annotations

import sympy
from sympy import Ge, Le

from osp.checks import tape as ob
from osp.proofs.evidence import Cited, Open, Sympy, Z3
from osp.proofs.functions import log2
from osp.proofs.graph import Node
from osp.proofs.identities import log_factorial

S = sympy.symbols
N, B, cbar, V = S("N B cbar V", positive=True)
_n = S("N", integer=True, positive=True)   # log N! is about integers N >= 1


def lemma_t_bound_expr(N, B, cbar):
    """Lemma T's right-hand side: (B + N (1 + log2 e)) / log2(N / cbar) expected hits."""
    return (B + N * (1 + log2(sympy.E))) / log2(N / cbar)


def nodes() -> list[Node]:
    return [
        Node("tape.open", "open", "tape OSPs: bounded reads and state give no better than guessing (open)",
             "cbar reads per step, B state bits: limsup expected fraction correct <= 1/V as N -> oo",
             Open("docs/theory.md section 5: not proved; answers mixing state and reads of other cells are not handled"),
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
             statement_uses=("def.log2",), proof_uses=("lemma.log-tangent",)),
        Node("lemma.T", "lemma", "Lemma T: E[#queries whose reads include their own value cell] <= "
             "(B + N (1 + log e)) / log(N / cbar)",
             sympy.Implies(sympy.And(Ge(cbar, 1), sympy.Gt(N, cbar), Ge(B, 0)),
                           Le(S("E_hits"), lemma_t_bound_expr(N, B, cbar))), Z3((ob.lemma_t,)),
             statement_uses=("def.tape-osp", "def.mqar", "def.log2"),
             proof_uses=("lemma.list-fano", "lemma.log-factorial", "lemma.chain-rule", "lemma.entropy-support"),
             section="5"),
    ]
