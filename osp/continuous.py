"""Theorem 2 and Corollary 2.1 evaluated at concrete inputs, and the
comparison with the discrete (Theorem 1) bound of the same state.

Theorem 2 bounds delta-confident recall: it is a statement about margins,
not about decay. The formulas are the proof graph's own
(`osp.proofs.theorem2`: the statements of nodes thm2, thm2.S1,
thm2.S1.no-decay); this module validates inputs, substitutes and reports
which nodes each number rests on.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy

from osp import exact as ex
from osp.bound import Bound, certified, check_values_and_error, symbolic, theorem1_bound
from osp.errors import OspInputError
from osp.numbers import exact_integer, exact_rational
from osp.proofs import functions as formulas

THEOREM2_NODE = "thm2"
S1_NODE = "thm2.S1"
NO_DECAY_NODE = "thm2.S1.no-decay"
NO_DECAY_LABEL = "Theorem 2 at R(L) = ||s0|| + L beta (no decay)"
NO_DECAY_ASYMPTOTICS = "Corollary 2.1: this grows like D log L, so no delta-Recall (N >= rho L) for long inputs"
MARGINS_NOTE = ("Theorem 2 bounds delta-confident recall (top logit ahead of every other by more than "
                "delta): it is about margins, not decay")


def _rational(x, name: str) -> sympy.Rational:
    return exact_rational(x, name)


def _number(q: sympy.Rational):
    return int(q) if q.q == 1 else float(q)


def validate(dim, radius, lipschitz, margin, values, error):
    D = exact_integer(dim, "dimension D")
    R = _rational(radius, "radius R")
    Lam = _rational(lipschitz, "Lipschitz constant Lam")
    delta = _rational(margin, "margin delta")
    V = _rational(values, "values (V)")
    e = _rational(error, "error (eps_delta)")
    if R < 0:
        raise OspInputError(f"radius R must be >= 0, got {radius}")
    if Lam <= 0:
        raise OspInputError(f"Lipschitz constant Lam must be > 0, got {lipschitz}")
    if delta <= 0:
        raise OspInputError(f"margin delta must be > 0, got {margin}")
    check_values_and_error(V, e, values, error, "eps_delta",
                           "hypothesis H2; a never-confident processor has eps_delta = 1 and Theorem 2 bounds nothing")
    return D, R, Lam, delta, V, e


def _rests_on(nodes: tuple[str, ...], enabled: bool) -> list[str]:
    """Every node the number rests on: the union of each node's ancestors, in dependency order."""
    if not enabled:
        return []
    from osp.proofs.nodes import load_graph  # the graph is heavier than the formula
    return load_graph().rests_on_all(*nodes)


def theorem2_bound(dim, radius, lipschitz, margin, values, error, *, rests_on: bool = True,
                   node: str = THEOREM2_NODE, radius_node: str | None = None,
                   extra_inputs: dict | None = None) -> Bound:
    """Largest N with N Dfn(eps_delta, V) <= D log2(1 + 4 R Lam / delta).

    `radius_node` is the node that certifies R when R was derived (S1 or the no-decay lemma): the
    bound then rests on it too."""
    D, R, Lam, delta, V, e = validate(dim, radius, lipschitz, margin, values, error)
    inputs = {"dim": D, "radius": _number(R), "lipschitz": _number(Lam), "margin": _number(delta),
              "values": _number(V), "error": float(e), "radius_exact": str(R), "error_exact": str(e),
              **(extra_inputs or {})}
    nodes = (node,) if radius_node is None else (node, radius_node)
    # D log2(q) / Dfn with q = 1 + 4 R Lam / delta: certified by osp.exact, the log kept exact
    q = ex.to_fraction(1 + 4 * R * Lam / delta)
    return certified(Fraction(0), ex.to_fraction(e), int(V), logs=[(D, q)],
                     exact=symbolic(formulas.theorem2_bound_expr(D, R, Lam, delta, e, V)),
                     inputs=inputs, rests_on=_rests_on(nodes, rests_on))


def net_ratio(radius, lipschitz, margin) -> Fraction:
    """q = 1 + 4 R Lam / delta, exactly: Theorem 2 charges log2 q bits per scalar."""
    R, Lam, delta = (_rational(x, n) for x, n in ((radius, "radius R"), (lipschitz, "Lipschitz constant Lam"),
                                                   (margin, "margin delta")))
    if delta <= 0:
        raise OspInputError(f"margin delta must be > 0, got {margin}")
    return ex.to_fraction(1 + 4 * R * Lam / delta)


def bits_per_scalar_interval(radius, lipschitz, margin) -> tuple[Fraction, Fraction]:
    """A certified enclosure of log2(1 + 4 R Lam / delta)."""
    return ex.log2_interval(net_ratio(radius, lipschitz, margin))


def bits_per_scalar(radius, lipschitz, margin) -> float:
    """log2(1 + 4 R Lam / delta) as a float rounded up (for display; decisions use the enclosure).

    Pass the exact inputs (strings or Rationals), never floats read back from a report: a margin of
    1e-400 is a float 0.0."""
    return ex.float_up(bits_per_scalar_interval(radius, lipschitz, margin)[1])


@dataclass(frozen=True)
class Radius:
    radius: sympy.Rational
    node: str          # the node that certifies it
    inputs: dict


def radius_from_decay(decay, input_bound, init_norm=0, length=None) -> Radius:
    """R from S1 (0 <= lam < 1) or from the no-decay lemma (lam = 1, needs the length L)."""
    lam = _rational(decay, "decay lam")
    beta = _rational(input_bound, "input bound beta")
    s0 = _rational(init_norm, "initial norm ||s0||")
    if lam < 0:
        raise OspInputError(f"decay lam must be >= 0, got {decay} (the S1 invariant fails without lam >= 0)")
    if lam > 1:
        raise OspInputError(f"decay lam must be <= 1, got {decay}: with lam > 1 no radius bounds the states")
    if beta < 0:
        raise OspInputError(f"input bound beta must be >= 0, got {input_bound}")
    if s0 < 0:
        raise OspInputError(f"initial norm ||s0|| must be >= 0, got {init_norm}")
    inputs = {"decay": _number(lam), "input_bound": _number(beta), "init_norm": _number(s0)}
    if lam == 1:
        if length is None:
            raise OspInputError("decay 1 (no decay) needs the length L (R(L) = ||s0|| + L beta, thm2.S1.no-decay)")
        L = exact_integer(length, "length L")
        return Radius(sympy.Rational(formulas.no_decay_radius_expr(s0, beta, L)), NO_DECAY_NODE, {**inputs, "length": L})
    if length is not None:
        raise OspInputError("the length L applies only with decay 1 (no decay); S1's radius does not depend on L")
    return Radius(sympy.Rational(formulas.s1_radius_expr(s0, beta, lam)), S1_NODE, inputs)


def continuous_bound(dim, lipschitz, margin, values, error, *, radius=None, decay=None, input_bound=None,
                     init_norm=None, length=None, rests_on: bool = True) -> Bound:
    """Theorem 2 with R given, or derived by S1 (decay < 1) or the no-decay lemma (decay 1: R(L) = ||s0|| + L beta)."""
    if radius is not None and (decay is not None or input_bound is not None or init_norm is not None):
        given = [f for f, v in (("--decay", decay), ("--input-bound", input_bound), ("--init-norm", init_norm))
                 if v is not None]
        raise OspInputError(f"--radius gives R directly; {', '.join(given)} would derive it (S1): give one or the other")
    if radius is not None:
        if length is not None:
            raise OspInputError("the length L applies only with decay 1 (no decay)")
        return theorem2_bound(dim, radius, lipschitz, margin, values, error, rests_on=rests_on)
    r = derived_radius(decay, input_bound, init_norm, length)
    extra = {**r.inputs, "radius_from": r.node}
    return theorem2_bound(dim, r.radius, lipschitz, margin, values, error, rests_on=rests_on,
                          radius_node=r.node, extra_inputs=extra)


def derived_radius(decay, input_bound, init_norm=None, length=None) -> Radius:
    if decay is None or input_bound is None:
        raise OspInputError("give the radius R, or the decay lam with the input bound beta")
    return radius_from_decay(decay, input_bound, 0 if init_norm is None else init_norm, length)


@dataclass(frozen=True)
class Comparison:
    discrete: Bound
    continuous: Bound
    smaller: str                 # "discrete", "continuous" or "equal"
    bits_per_scalar: dict        # {"discrete": P, "continuous": log2(1 + 4 R Lam/delta)}


def compare(scalars, bits_per_scalar_p, radius, lipschitz, margin, values, error, *, rests_on: bool = True,
            radius_node: str | None = None) -> Comparison:
    """Theorem 1 on D*P state bits against Theorem 2 on D scalars. `error` is eps_delta; it is also an
    upper bound on the plain error, and Theorem 1's bound increases in eps, so both bounds are valid.
    Pass R exactly (a string or a Rational) and, when it was derived, the node that certifies it."""
    D = exact_integer(scalars, "scalars D")
    P = exact_integer(bits_per_scalar_p, "bits per scalar P")
    cont = theorem2_bound(D, radius, lipschitz, margin, values, error, rests_on=rests_on, radius_node=radius_node)
    disc = theorem1_bound(D * P, values, error, rests_on=rests_on)
    disc.inputs.update({"scalars": D, "bits_per_scalar": P})
    cbits = bits_per_scalar(radius, lipschitz, margin)
    # both bounds are (bits per scalar) * D / Dfn: compare P with log2 q exactly
    sign = ex.compare_log2(net_ratio(radius, lipschitz, margin), P)
    smaller = "equal" if sign == 0 else "continuous" if sign < 0 else "discrete"
    return Comparison(disc, cont, smaller, {"discrete": P, "continuous": cbits})
