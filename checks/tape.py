"""Tape OSPs (docs/theory.md section 5): the final algebra of Lemma T, and the
published claim derived from the open statement (its own algebra is checked,
but it rests on `tape.open`, so it is never reported as checked).

Sums over queries enter aggregated: SP = sum_i P(hit_i), SI = sum_i I(pos_i; S).
"""

from __future__ import annotations

import sympy
from sympy import And, Ge, Gt, Implies, Le, Lt

from osp.checks.obligation import Axiom, Obligation

S = sympy.symbols
N, cbar, B, SP, SI, Isig, lN, lNf, le, lNc = S("N cbar B sumP_hit sumI_pos I_sigma_S logN logNfact log_e log_N_cbar",
                                               real=True)
acc, eps, V, slack = S("accuracy eps V slack", real=True)

LIST_FANO = Le(SP * lNc, SI + N)                 # list-decoding Fano, times log(N/cbar) > 0, summed
SUBADD = Le(SI, N * lN - lNf + Isig)             # subadditivity over (pos_1..pos_N) <-> sigma
FACTORIAL = Ge(lNf, N * lN - N * le)             # log N! >= N log(N/e)
SIGMA = Le(Isig, B)                              # I(sigma; S) <= H(S) <= B
LOG_POS = Implies(And(Ge(cbar, 1), Gt(N, cbar)), Gt(lNc, 0))   # log(N/cbar) > 0 as N > cbar >= 1


def lemma_t() -> Obligation:
    # every information-theoretic fact is imported from its node; the premises are the sizes
    return Obligation(
        "lemma.T.algebra", "sum_i P(hit_i) <= (B + N (1 + log e)) / log(N / cbar)",
        (Ge(cbar, 1), Gt(N, cbar), Ge(B, 0)),
        And(Le(SP * lNc, B + N * (1 + le)), Le(SP, (B + N * (1 + le)) / lNc)),
        (Axiom(LIST_FANO, "lemma.list-fano (per query, times log(N/cbar); summed over the N queries)"),
         Axiom(SUBADD, "lemma.chain-rule + lemma.entropy-support (subadditivity of I over pos_1..pos_N; "
                       "H(pos_1..pos_N) = log N!, H(pos_i) = log N)"),
         Axiom(FACTORIAL, "lemma.log-factorial"),
         Axiom(SIGMA, "lemma.entropy-support (I(sigma; S) <= H(S) <= B)"),
         Axiom(LOG_POS, "def.log2 (log2 is increasing and N / cbar > 1)")),
        {"logN": "log2 N", "logNfact": "log2 N!", "log_e": "log2 e", "log_N_cbar": "log2(N / cbar) > 0 as N > cbar",
         "sumP_hit": "sum_i P(hit_i)", "sumI_pos": "sum_i I(pos_i; S)", "I_sigma_S": "I(sigma; S)"},
    )


def triangle_from_open() -> Obligation:
    # tape.open: for N large the expected fraction correct is within any slack of 1/V;
    # take slack = (1 - 1/V - eps)/2 > 0. Recall would need fraction correct >= 1 - eps.
    return Obligation(
        "tape.triangle.algebra", "if tape.open holds, E + C kill Recall for tape OSPs: accuracy < 1 - eps",
        (Ge(V, 2), Ge(eps, 0), Lt(eps * V, V - 1), Gt(slack, 0), sympy.Eq(2 * slack * V, V - 1 - eps * V),
         Le(acc * V, 1 + slack * V)),
        Lt(acc, 1 - eps),
        parameters={"eps": eps, "V": V},
    )


def all_obligations() -> list[Obligation]:
    return [lemma_t(), triangle_from_open()]
