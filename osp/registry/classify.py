"""E, C, R and triangle coordinates of an architecture, computed from its
complexity expressions (docs/theory.md sections 1, 3, 5 and 7). No verdict is
ever typed in: the region follows from the expressions and two mechanism
flags (content retrieval, tape).

- E iff per-step compute is O(1) in L; C iff state bits are O(1).
- Pure OSP: Recall is possible only if state bits are Omega(L)
  (Corollary 1.2, node `cor1.2`) and the mechanism retrieves by content.
- Tape OSP (re-reads raw input): Corollary 1.2 does not apply (witness W2);
  Recall is decided by the mechanism alone and the entry cites the OPEN tape
  statement `tape.open`. Nothing about it is proved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from osp.bound import theorem1_bound
from osp.errors import OspInputError
from osp.registry.expr import to_rational
from osp.registry import budget
from osp.registry import growth as growth_mod
from osp.registry.growth import Growth

#: global reference point for the picture (docs/theory.md section 7); V is the value alphabet
#: L* = 2^30 tokens: far enough out that a fixed state shows its limit (q < 1)
REFERENCE = {"eps": 0.05, "values": 4096, "rho": 0.25, "L0": 1 << 12, "Lstar": 1 << 30}
TAPE_NOTE = "tape OSP: recall not bounded by a proved theorem (tape.open is open)"


@dataclass(frozen=True)
class Classification:
    efficient: bool
    compact: bool
    recall_possible: bool
    compute_growth: Growth
    state_growth: Growth
    tape: bool
    cites: tuple[str, ...]   # proof-graph nodes (or the open statement) the R verdict uses
    reason: str

    @property
    def region(self) -> str:
        return region_name(self.efficient, self.compact, self.recall_possible, tape=self.tape)


#: a tape OSP whose mechanism claims all three: no proved theorem excludes it, none allows it
TAPE_ECR = "E+C+R? (tape OSP: open statement tape.open)"


def region_name(efficient: bool, compact: bool, recall: bool, *, tape: bool = False) -> str:
    parts = [p for p, on in (("E", efficient), ("C", compact), ("R", recall)) if on]
    if tape and len(parts) == 3:
        # Theorem 1 does not cover tape OSPs, so E+C+R is not a contradiction but not a result either
        return TAPE_ECR
    return "+".join(parts) if parts else "none"


REGIONS = ("E+C", "E+R", "C+R", "E", "C", "R", "none", "E+C+R", TAPE_ECR)


def classify_expressions(compute, state_bits, *, content_retrieval: bool, tape: bool,
                         values: dict | None = None,
                         fields: tuple[str, str] = ("per_step_compute", "state_scalars")) -> Classification:
    """Classify from expressions: `state_bits` already includes bits per scalar.
    `fields` name the two expressions in error messages."""
    g_c = growth_mod.growth(compute, values, field=fields[0])
    g_b = growth_mod.growth(state_bits, values, field=fields[1])
    efficient, compact = g_c.bounded, g_b.bounded
    if tape:
        recall = content_retrieval
        cites = ("tape.open",)
        reason = ("tape OSP: Corollary 1.2 does not apply; Recall decided by mechanism "
                  f"({'retrieves' if content_retrieval else 'does not retrieve'} by content over the input); "
                  "not bounded by a proved theorem (tape.open is open)")
    elif not g_b.at_least_linear:
        recall = False
        cites = ("cor1.1", "cor1.2") if compact else ("cor1.2",)
        reason = f"state bits {g_b.label()} are o(L): no Recall (Corollary 1.2, pure OSP)"
        if compact:
            reason += "; bounded state alone kills Recall (Corollary 1.1)"
    elif not content_retrieval:
        recall = False
        cites = ()
        reason = f"state bits {g_b.label()} are Omega(L) but the mechanism does not retrieve by content"
    else:
        recall = True
        cites = ("cor1.2",)
        reason = (f"state bits {g_b.label()} are Omega(L) (the necessary condition of Corollary 1.2 holds) "
                  "and the mechanism retrieves by content")
    return Classification(efficient, compact, recall, g_c, g_b, tape, cites, reason)


def classify(arch) -> Classification:
    return classify_expressions(arch.compute, arch.state_bits, content_retrieval=arch.content_retrieval,
                                tape=arch.tape, values=arch.constants)


# ---- finite-L picture (docs/theory.md section 7) ---------------------------------

def evaluate(expression: sympy.Expr, values: dict, length) -> float:
    """Numeric value of `expression` at L = length with every constant substituted."""
    missing = sorted(s.name for s in expression.free_symbols if s.name != "L" and s.name not in values)
    if missing:
        raise OspInputError(f"no value given for symbol {missing[0]!r}")
    subs = {s: (sympy.Integer(length) if s.name == "L" else to_rational(values[s.name], s.name))
            for s in expression.free_symbols}
    shown = sympy.sstr(expression)[:120]
    try:
        with budget.time_budget(f"evaluate {shown} at L = {length}"):
            value = sympy.N(expression.xreplace(subs), 20)
    except OspInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - sympy raises assorted types on undefined values
        raise OspInputError(f"cannot evaluate {shown} at L = {length} ({type(exc).__name__})") from None
    # eventual positivity (checked by the parser) says nothing about small L: log(L - 5) at L = 3
    if value.has(sympy.zoo, sympy.nan) or not value.is_real or not value.is_finite:
        raise OspInputError(f"{shown} is not a finite real number at L = {length} (value {sympy.sstr(value)[:60]})")
    return float(value)


@dataclass(frozen=True)
class Point:
    length: int
    e: float
    k: float
    q: float | None      # None for a tape OSP (no proved bound)
    q_note: str
    compute: float
    state_bits: float


def _score(a: float) -> float:
    return 1.0 - min(1.0, max(0.0, a))


def point(compute, state_bits, values: dict, *, tape: bool, length: int | None = None,
          base_length: int | None = None, ref: dict | None = None) -> Point:
    """Coordinates (e, k, q) at L* = length against the base length L0."""
    ref = {**REFERENCE, **(ref or {})}
    L0 = int(base_length or ref["L0"])
    Ls = int(length or ref["Lstar"])
    if L0 == Ls:
        raise ValueError("the reference length L* must differ from the base length L0")
    c0, c1 = evaluate(compute, values, L0), evaluate(compute, values, Ls)
    b0, b1 = evaluate(state_bits, values, L0), evaluate(state_bits, values, Ls)
    if min(c0, c1, b0, b1) <= 0:
        raise ValueError("costs and state bits must be positive at L0 and L*")
    span = math.log(Ls / L0)
    e = _score(math.log(c1 / c0) / span)
    k = _score(math.log(b1 / b0) / span)
    if tape:
        q, note = None, TAPE_NOTE
    else:
        bound = theorem1_bound(b1, ref["values"], ref["eps"], rests_on=False).bound
        q = min(1.0, bound / (ref["rho"] * Ls))
        note = (f"Theorem 1 at eps={ref['eps']}, V={ref['values']}, rho={ref['rho']}: "
                f"N <= {bound:.4g} vs rho*L* = {ref['rho'] * Ls:.4g}")
    return Point(Ls, e, k, q, note, c1, b1)


def arch_point(arch, **kw) -> Point:
    return point(arch.compute, arch.state_bits, arch.constants, tape=arch.tape, **kw)


def length_trajectory(arch, lengths, **kw) -> list[Point]:
    """Sweep L* (docs/theory.md section 7): the curve a hybrid traces as context grows."""
    return [arch_point(arch, length=n, **kw) for n in lengths]


def share_trajectory(arch, share: str, shares, **kw) -> list[tuple[float, Point]]:
    """Sweep a hybrid's share constant (e.g. the attention-layer share `a`)."""
    if share not in arch.constants:
        raise ValueError(f"{arch.name} has no constant {share!r}")
    out = []
    for s in shares:
        values = {**arch.constants, share: sympy.Rational(str(s))}
        out.append((float(s), point(arch.compute, arch.state_bits, values, tape=arch.tape, **kw)))
    return out


def barycentric(e: float, k: float, q: float) -> tuple[float, float] | None:
    """2-D point of (e, k, q) in the triangle with E=(0,0), C=(1,0), R=(1/2, sqrt(3)/2).

    Undefined at (0, 0, 0), and it forgets the magnitude: (1,1,1) and
    (0.1,0.1,0.1) land on the same point, so show e + k + q beside it.
    """
    total = e + k + q
    if total <= 0:
        return None
    return ((k + 0.5 * q) / total, (math.sqrt(3) / 2) * q / total)
