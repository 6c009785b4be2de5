"""The verdict on a typed Claim against Theorem 1 (docs/theory.md sections 2-3).

- refuted: N Dfn(eps, V) > b_T at the claimed length (b_T: the state after
  the 2N storing tokens), or, for a claim at every length, at an explicit
  longer length (lengths.py);
- undecided: the bound says nothing (a tape OSP; eps >= 1 - 1/V), or the
  certified comparison ran out of budget, or no every-length proof was found;
- consistent: N Dfn <= b_T, decided exactly or on a certified enclosure.
  Theorem 1 does not exclude the claim; that is not evidence it is achieved.

Every comparison goes through osp.exact with exact (Fraction) or interval
inputs: no float decides a verdict here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import sympy

from osp import exact as ex
from osp.errors import OspInputError
from osp.proofs.nodes import load_graph
from osp.registry import budget
from osp.registry import classify as classify_mod
from osp.registry import expr as expr_lang
from osp.registry.claim import Claim, Model
from osp.status import Status

#: seconds one certified comparison may take before the answer is "undecided"
COMPARE_BUDGET_S = budget.SECONDS


@dataclass(frozen=True)
class StateBits:
    """b_T at one length: exact when rational, else a certified enclosure of the exact sympy value."""
    value: sympy.Expr
    lo: Fraction
    hi: Fraction

    @property
    def exact(self) -> Fraction | None:
        return self.lo if self.lo == self.hi else None


@dataclass(frozen=True)
class Check:
    """One length: N pairs against b_T after 2N storing tokens."""
    length: int
    pairs: int
    state: StateBits
    comparison: ex.Comparison


@dataclass(frozen=True)
class Verdict:
    status: Status  # CONSISTENT | REFUTED | UNDECIDED
    claim: Claim
    reason: str
    properties: dict
    region: str
    rests_on: list[str]
    check: Check | None = None            # the deciding length (the refuting one, or the claimed one)
    dfn: tuple[Fraction, Fraction] | None = None
    bound: tuple[Fraction, Fraction] | None = None  # b_T / Dfn at check.length, enclosed
    bound_floor: int | None = None
    refuted_with_certificate: bool = False
    notes: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return str(self.status)

    @property
    def exit_code(self) -> int:
        return self.status.exit_code


def proof_nodes(*node_ids: str) -> list[str]:
    """The cited nodes first, then everything they rest on in the proof graph."""
    return list(dict.fromkeys([*node_ids, *load_graph().rests_on_all(*node_ids)]))


def state_bits_at(model: Model, length: int) -> StateBits:
    """b_T = state_scalars * bits_per_scalar at L = length, exactly (or enclosed when irrational)."""
    bits_expr = model.state_bits
    missing = sorted(expr_lang.names(bits_expr) - set(model.values) - {"L"})
    if missing:
        raise OspInputError(f"parameters.{missing[0]}: missing (the state expression uses it)")
    subs = {s: (sympy.Integer(length) if s.name == "L" else model.values[s.name]) for s in bits_expr.free_symbols}
    shown = sympy.sstr(model.state)[:120]
    try:
        with budget.time_budget(f"evaluate {shown} at L = {length}"):
            value = sympy.expand_log(bits_expr.xreplace(subs), force=False)
            if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
                raise OspInputError(f"state_scalars: {shown} is not a finite real number at L = {length}")
            if value.is_Rational:
                q = Fraction(int(value.p), int(value.q))
                lo = hi = q
            else:
                lo, hi = ex.interval(ex.sympy_ball(value, 256))
    except OspInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - sympy / arb raise assorted types on undefined values
        raise OspInputError(f"state_scalars: cannot evaluate {shown} at L = {length} ({type(exc).__name__})") from None
    if hi < 0:
        raise OspInputError(f"state_scalars: state bits are negative at L = {length} "
                            f"(at most {ex.decimal_up(hi)})")
    return StateBits(value, lo, hi)


def check_length(claim: Claim, length: int, *, budget_s: float = COMPARE_BUDGET_S) -> Check:
    """Decide N * Dfn <= b_T(2N) at one length, with N = the claim's pairs at that length."""
    pairs = claim.pairs_at(length)
    state = state_bits_at(claim.model, 2 * pairs)
    if state.exact is not None:
        cmp = ex.compare_recall(pairs, claim.error, claim.values, state.exact, budget_s=budget_s)
    else:
        cmp = ex.compare_with_ball(pairs, claim.error, claim.values,
                                   lambda prec: ex.sympy_ball(state.value, prec), budget_s=budget_s)
    return Check(length, pairs, state, cmp)


def bound_at(claim: Claim, check: Check) -> tuple[tuple[Fraction, Fraction], int | None]:
    """b_T / Dfn enclosed (from the enclosure of b_T) and its exact floor when b_T is exact."""
    lo, _ = ex.bound_interval(max(check.state.lo, Fraction(0)), claim.error, claim.values)
    _, hi = ex.bound_interval(check.state.hi, claim.error, claim.values)
    floor = None
    if check.state.exact is not None:
        try:
            floor = ex.floor_bound(check.state.exact, claim.error, claim.values, budget_s=COMPARE_BUDGET_S)
        except ex.UndecidedError:
            floor = None
    return (lo, hi), floor


def decide(claim: Claim) -> Verdict:
    """The verdict on one claim (the every-length search lives in lengths.py and is called from audit.py)."""
    model = claim.model
    cl = classify_mod.classify_expressions(model.compute, model.state_bits, content_retrieval=model.content_retrieval,
                                           tape=model.tape, values=model.values, fields=model.fields)
    properties = {"efficient": cl.efficient, "compact": cl.compact, "recall_possible": cl.recall_possible}
    base = dict(claim=claim, properties=properties, region=cl.region, notes={"state_growth": cl.state_growth})
    if model.tape:
        check = Check(claim.context, claim.pairs, state_bits_at(model, 2 * claim.pairs), None)
        return Verdict(Status.UNDECIDED, reason="tape OSP: Theorem 1 covers pure OSPs only; the tape statement "
                       "(tape.open) is OPEN, so no proved bound decides this claim",
                       rests_on=proof_nodes("tape.open"), check=check, **base)
    V, eps = claim.values, claim.error
    if eps >= 1 - Fraction(1, V):
        check = Check(claim.context, claim.pairs, state_bits_at(model, 2 * claim.pairs), None)
        return Verdict(Status.UNDECIDED, reason=f"error {ex.exact_text(eps)} >= 1 - 1/V = {V - 1}/{V}: "
                       "Dfn <= 0 there and Theorem 1 bounds nothing", rests_on=[], check=check, **base)
    dfn = ex.dfn_bounds(eps, V)
    check = check_length(claim, claim.context)
    bound, floor = bound_at(claim, check)
    common = dict(check=check, dfn=dfn, bound=bound, bound_floor=floor, **base)
    cmp = check.comparison
    storing = f"b_T: state bits after the 2N = {2 * check.pairs} storing tokens"
    if cmp.status is Status.VIOLATED:
        return Verdict(Status.REFUTED, reason=f"claimed N = {check.pairs} exceeds the Theorem 1 bound "
                       f"{_bound_text(bound, floor)} at L = {claim.context} ({storing}): N * Dfn > b_T, "
                       "Recall fails (state capacity)", rests_on=proof_nodes("thm1"), refuted_with_certificate=True,
                       **common)
    if cmp.status is Status.UNDECIDED:
        return Verdict(Status.UNDECIDED, reason=f"N * Dfn against b_T at L = {claim.context} not decided: "
                       f"{cmp.reason}", rests_on=[], **common)
    return Verdict(Status.CONSISTENT, reason=f"claimed N = {check.pairs} <= bound {_bound_text(bound, floor)} at "
                   f"L = {claim.context} ({storing}): Theorem 1 does not exclude it (this does not show the model "
                   "achieves it)", rests_on=[], **common)


def _bound_text(bound: tuple[Fraction, Fraction], floor: int | None) -> str:
    shown = ex.decimal_up(bound[1], 12)  # an upper bound, rounded up: true as printed
    return shown if floor is None else f"{shown} (at most {floor} pairs)"
