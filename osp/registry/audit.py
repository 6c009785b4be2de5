"""Audit a recall claim against Theorem 1 (docs/theory.md sections 2-3).

A claim names a registry architecture (or gives its own expressions),
concrete parameters, and the recall it claims: N pairs at mean error eps on
MQAR with a VALUE alphabet of size V. The verdict is

- input error: N > context / 3 (N pairs need 2N storing and N query tokens);
- refuted: N > b_T / Dfn(eps, V) at the claimed length (Theorem 1; b_T is the
  state after the 2N storing tokens, evaluated at L = 2N), or, for
  a claim said to hold at every length (`all_lengths = true`), at an explicit
  longer length found by search (Corollary 1.2 says where to look);
- undecided: the bound says nothing (a tape OSP; eps >= 1 - 1/V; an
  all-lengths claim with no violating length found);
- consistent: the claim does not exceed the bound. This only means Theorem 1
  does not exclude it; it is not evidence that the model achieves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from osp.bound import theorem1_bound
from osp.errors import OspInputError
from osp.numbers import exact_rational
from osp.proofs import functions
from osp.tomlfile import read_toml
from osp.registry import budget
from osp.registry import classify as classify_mod
from osp.registry import expr as expr_lang
from osp.registry import loader
from osp.registry import growth
from osp.registry.growth import L

CLAIM_FIELDS = {
    "architecture": (str,), "recall_pairs": (int,), "recall_fraction": (int, float, str),
    "context": (int,), "values": (int,), "error": (int, float, str), "all_lengths": (bool,),
    "bits_per_scalar": (int,),
}
MODEL_FIELDS = {
    "name": (str,), "per_step_compute": (str,), "state_scalars": (str,), "bits_per_scalar": (int,),
    "tape": (bool,), "content_retrieval": (bool,),
}
MODEL_REQUIRED = ("per_step_compute", "state_scalars", "bits_per_scalar")
#: an all-lengths claim is searched for a violating length up to context * 2^MAX_DOUBLINGS
MAX_DOUBLINGS = 200
#: lengths checked (context * 2^j) before an all-lengths claim on Omega(L) state is called consistent
CHECKED_DOUBLINGS = 40


@dataclass
class Verdict:
    verdict: str                 # consistent | refuted | undecided
    bound: float | None
    claimed: float
    properties: dict
    rests_on: list[str]
    reason: str
    certificate: dict | None = None
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        out = {"verdict": self.verdict, "bound": self.bound, "claimed": self.claimed,
               "properties": self.properties, "rests_on": self.rests_on, "reason": self.reason}
        if self.certificate is not None:
            out["certificate"] = self.certificate
        out.update(self.details)
        return out

    @property
    def exit_code(self) -> int:
        return 0 if self.verdict == "consistent" else 1


# ---- the proof graph, behind one function -------------------------------

def proof_nodes(*node_ids: str) -> list[str]:
    """The cited nodes first, then everything they rest on in the proof graph."""
    from osp.proofs.nodes import load_graph
    return list(dict.fromkeys([*node_ids, *load_graph().rests_on_all(*node_ids)]))


# ---- reading a claim file ------------------------------------------------

@dataclass(frozen=True)
class Model:
    name: str
    compute: sympy.Expr
    state: sympy.Expr
    bits_per_scalar: int
    tape: bool
    content_retrieval: bool
    values: dict
    fields: tuple[str, str] = ("model.per_step_compute", "model.state_scalars")

    @property
    def state_bits(self) -> sympy.Expr:
        return self.state * self.bits_per_scalar


def _typed(table: dict, key: str, kinds: tuple, where: str):
    value = table[key]
    if isinstance(value, bool) and bool not in kinds:
        raise OspInputError(f"{where}.{key} must be {_kind_names(kinds)}, got a boolean")
    if not isinstance(value, kinds):
        raise OspInputError(f"{where}.{key} must be {_kind_names(kinds)}, got {type(value).__name__}")
    return value


def _kind_names(kinds: tuple) -> str:
    names = {int: "an integer", float: "a number", str: "a string", bool: "true or false"}
    return " or ".join(names[k] for k in kinds)


def _table(data: dict, key: str, fields: dict | None) -> dict:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise OspInputError(f"[{key}] must be a table")
    if fields is not None:
        for k in table:
            if k not in fields:
                raise OspInputError(f"{key}.{k} is not a known field (known: {', '.join(fields)})")
        for k in table:
            _typed(table, k, fields[k], key)
    return table


def read_claim(path) -> dict:
    return read_toml(path, "claim file")


def resolve_model(data: dict, registry=None) -> Model:
    for key in data:
        if key not in ("claim", "model", "parameters"):
            raise OspInputError(f"{key}: unknown table or field (a claim has [claim], [model], [parameters])")
    claim = _table(data, "claim", CLAIM_FIELDS)
    params = _table(data, "parameters", None)
    values = {}
    for k, v in params.items():
        if k == "L":
            raise OspInputError("parameters.L: the length is claim.context, not a parameter")
        q = expr_lang.to_rational(v, f"parameters.{k}")
        if q < 0:
            raise OspInputError(f"parameters.{k} must be >= 0, got {v}")
        values[k] = q
    has_model = "model" in data
    if "architecture" in claim and has_model:
        raise OspInputError("claim.architecture and [model] both given: give one of them")
    if "architecture" in claim:
        arch = loader.find(claim["architecture"], registry)
        if arch is None:
            raise OspInputError(f"claim.architecture: unknown architecture {claim['architecture']!r} "
                                "(`osp registry` lists them)")
        bits = _bits(claim.get("bits_per_scalar", arch.bits_per_scalar), "claim.bits_per_scalar")
        where = f"architecture {arch.name!r}"
        _known_parameters(values, arch.compute, arch.state)
        return Model(arch.name, arch.compute, arch.state, bits, arch.tape, arch.content_retrieval,
                     {**arch.constants, **values}, (f"{where} per_step_compute", f"{where} state_scalars"))
    if not has_model:
        raise OspInputError("claim.architecture: missing (or give an inline [model] table)")
    model = _table(data, "model", MODEL_FIELDS)
    for k in MODEL_REQUIRED:
        if k not in model:
            raise OspInputError(f"model.{k}: missing")
    exprs = {}
    for k in ("per_step_compute", "state_scalars"):
        try:
            exprs[k] = expr_lang.parse(model[k])
        except OspInputError as exc:
            raise OspInputError(f"model.{k}: {exc}") from None
    _known_parameters(values, exprs["per_step_compute"], exprs["state_scalars"])
    bits = _bits(claim.get("bits_per_scalar", model["bits_per_scalar"]),
                 "claim.bits_per_scalar" if "bits_per_scalar" in claim else "model.bits_per_scalar")
    # content retrieval is a claim about the mechanism: never assumed (it would make R possible)
    return Model(model.get("name", "inline model"), exprs["per_step_compute"], exprs["state_scalars"], bits,
                 model.get("tape", False), model.get("content_retrieval", False), values)


def _known_parameters(values: dict, *exprs) -> None:
    """A parameter no formula uses is a typo that would silently leave the default in place."""
    symbols = set().union(*(expr_lang.names(e) for e in exprs)) - {"L"}
    for k in values:
        if k not in symbols:
            raise OspInputError(f"parameters.{k}: not a symbol of this model's formulas "
                                f"(they use: {', '.join(sorted(symbols)) or 'no symbols'})")


def _bits(value: int, where: str) -> int:
    if value < 1:
        raise OspInputError(f"{where} must be >= 1, got {value}")
    return value


# ---- the audit -----------------------------------------------------------

def _dfn(eps, V: int) -> float:
    """Dfn(eps, V) for the certificate, from the proof graph's own definition."""
    return float(sympy.N(functions.Dfn(exact_rational(eps, "claim.error"), sympy.Integer(V)), 20))


def _state_bits_at(model: Model, length: int) -> float:
    bits_expr = model.state_bits
    missing = sorted(expr_lang.names(bits_expr) - set(model.values) - {"L"})
    if missing:
        raise OspInputError(f"parameters.{missing[0]}: missing (the state expression uses it)")
    try:
        value = classify_mod.evaluate(bits_expr, model.values, length)
    except OspInputError as exc:
        raise OspInputError(f"state_scalars: {exc}") from None
    if value < 0:
        raise OspInputError(f"state_scalars: state bits are negative at L = {length} ({value:.6g})")
    return value


def audit(data: dict, registry=None) -> Verdict:
    model = resolve_model(data, registry)
    claim = _table(data, "claim", CLAIM_FIELDS)
    for k in ("context", "values", "error"):
        if k not in claim:
            raise OspInputError(f"claim.{k}: missing")
    context, V = claim["context"], claim["values"]
    if context < 1:
        raise OspInputError(f"claim.context must be >= 1, got {context}")
    if V < 2:
        raise OspInputError(f"claim.values must be >= 2 (the value alphabet), got {V}")
    eps = expr_lang.to_rational(claim["error"], "claim.error")
    if not 0 <= eps <= 1:
        raise OspInputError(f"claim.error must lie in [0, 1], got {claim['error']}")
    if ("recall_pairs" in claim) == ("recall_fraction" in claim):
        raise OspInputError("claim.recall_pairs: give exactly one of recall_pairs and recall_fraction")
    fraction = None
    if "recall_pairs" in claim:
        n_pairs = claim["recall_pairs"]
        if n_pairs < 1:
            raise OspInputError(f"claim.recall_pairs must be >= 1, got {n_pairs}")
        if 3 * n_pairs > context:
            raise OspInputError(f"claim.recall_pairs = {n_pairs} exceeds context/3 = {context / 3:.6g}: "
                                f"{MQAR_LAYOUT}")
    else:
        fraction = expr_lang.to_rational(claim["recall_fraction"], "claim.recall_fraction")
        if not 0 < fraction <= sympy.Rational(1, 3):
            raise OspInputError(f"claim.recall_fraction must lie in (0, 1/3], got {claim['recall_fraction']}: "
                                f"{MQAR_LAYOUT}")
        n_pairs = _pairs(fraction, context)
    all_lengths = claim.get("all_lengths", False)
    if all_lengths and fraction is None:
        raise OspInputError("claim.all_lengths needs claim.recall_fraction (a fixed N cannot grow with L)")

    bits_expr = model.state_bits
    # Theorem 1's b_T is the state after the storing phase: T = 2N tokens, not the whole context
    state_bits = _state_bits_at(model, 2 * n_pairs)
    cl = classify_mod.classify_expressions(model.compute, bits_expr, content_retrieval=model.content_retrieval,
                                           tape=model.tape, values=model.values, fields=model.fields)
    properties = {"efficient": cl.efficient, "compact": cl.compact, "recall_possible": cl.recall_possible}
    details = {"architecture": model.name, "region": cl.region, "state_bits": state_bits,
               "storing_tokens": 2 * n_pairs, "context": context, "length": context, "values": V,
               "error": float(eps)}
    claimed = float(n_pairs)

    if model.tape:
        nodes = proof_nodes("tape.open")
        return Verdict("undecided", None, claimed, properties, nodes,
                       "tape OSP: Theorem 1 covers pure OSPs only; the tape statement (tape.open) is OPEN, "
                       "so no proved bound decides this claim", details=details)
    if eps >= 1 - sympy.Rational(1, V):
        return Verdict("undecided", None, claimed, properties, [],
                       f"error {float(eps)} >= 1 - 1/V = {float(1 - sympy.Rational(1, V)):.6g}: "
                       "Dfn <= 0 there and Theorem 1 bounds nothing", details=details)

    bound = theorem1_bound(state_bits, V, eps, rests_on=False).bound
    dfn = _dfn(eps, V)
    if claimed > bound:
        cert = _certificate(context, 2 * n_pairs, state_bits, dfn, bound, claimed, float(eps), V, model)
        nodes = proof_nodes("thm1")
        return Verdict("refuted", bound, claimed, properties, nodes,
                       f"claimed N = {claimed:.6g} exceeds the Theorem 1 bound {bound:.6g} at L = {context} "
                       f"(b_T: state bits after the 2N = {2 * n_pairs} storing tokens): "
                       "Recall fails (state capacity)", cert, details)
    if all_lengths:
        return _audit_all_lengths(model, cl, fraction, eps, V, context, bound, claimed,
                                  properties, details)
    return Verdict("consistent", bound, claimed, properties, [],
                   f"claimed N = {claimed:.6g} <= bound {bound:.6g} at L = {context} (b_T: state bits after "
                   f"the 2N = {2 * n_pairs} storing tokens): Theorem 1 does not exclude it (this does not show "
                   "the model achieves it)", details=details)


#: why N <= context / 3 (docs/theory.md section 2)
MQAR_LAYOUT = ("an MQAR instance with N pairs needs 2N storing tokens and N query tokens, "
               "so 3N <= context (docs/theory.md section 2)")


def _pairs(fraction, length: int) -> int:
    """N for a claimed fraction of L: the smallest integer N >= fraction * L (docs/theory.md: N(L) >= rho L)."""
    n_pairs = int(sympy.ceiling(fraction * length))
    if 3 * n_pairs > length:
        raise OspInputError(f"claim.recall_fraction: N = ceil({fraction} * {length}) = {n_pairs} pairs do not "
                            f"fit in L = {length}: {MQAR_LAYOUT}")
    return n_pairs


def _certificate(length, storing_tokens, state_bits, dfn, bound, claimed, eps, V, model) -> dict:
    return {
        "length": length,
        "storing_tokens": storing_tokens,
        "state_bits": state_bits,
        "b_T": f"state bits after the 2N = {storing_tokens} storing tokens",
        "state_bits_expression": f"({sympy.sstr(model.state)}) * {model.bits_per_scalar} at L = {storing_tokens}",
        "dfn": dfn,
        "bound": bound,
        "claimed": claimed,
        "arithmetic": (f"b_T = {state_bits:.6g} bits (state bits after the 2N = {storing_tokens} storing tokens); "
                       f"Dfn({eps:g}, {V}) = log2 V - h(eps) - eps log2(V-1) "
                       f"= {dfn:.6g} bits; N <= b_T / Dfn = {state_bits:.6g} / {dfn:.6g} = {bound:.6g} "
                       f"< claimed {claimed:.6g}"),
        "fails": "Recall: N pairs at mean error eps need N * Dfn(eps, V) <= b_T (Theorem 1)",
    }


def _holds_for_every_length(bits, t0: int, dfn: float) -> bool:
    """b(T) > r T for every real T >= t0, with r a rational just above Dfn/2: then
    N Dfn <= b_(2N) for every N >= t0/2. Decided exactly by counting real roots."""
    if bits is None or bits.has(sympy.Min, sympy.Max):  # min/max resolve only eventually, not at every T
        return False
    expr = growth.same_L(bits)
    if not expr.is_polynomial(L):
        return False
    r = sympy.Rational(repr(dfn / 2)) * sympy.Rational(1 + 10**-9)  # above Dfn/2 despite float rounding
    poly = sympy.Poly(sympy.expand(expr - r * L), L)
    return bool(poly.eval(t0) > 0 and poly.count_roots(t0, None) == 0)


def _audit_all_lengths(model, cl, fraction, eps, V, context, bound, claimed, properties, details) -> Verdict:
    """A fraction claimed at every L >= context: search lengths context * 2^j for a violation.

    At length L the claim is N = ceil(fraction * L) pairs and b_T is the state
    after T = 2N storing tokens. If b_T(T) ~ s * T, the bound over the claim
    tends to 2 s / Dfn: with 2 s < Dfn (every o(L) state: s = 0) a violation
    must exist (Corollary 1.2) and the search finds it; with 2 s > Dfn the
    claim is consistent at the lengths checked and in the limit.
    """
    dfn = _dfn(eps, V)
    doublings = MAX_DOUBLINGS
    slope = None
    bits = None
    if cl.state_growth.at_least_linear:
        bits = model.state_bits.xreplace(
            {sym: expr_lang.to_rational(model.values[sym.name], sym.name)
             for sym in model.state.free_symbols if sym.name != "L"})
        with budget.time_budget(f"take the slope of {model.fields[1]}", lambda: sympy.sstr(bits)):
            try:
                slope = sympy.limit(growth.resolve_minmax(growth.same_L(bits)) / L, L, sympy.oo)
            except OspInputError:
                raise
            except Exception:  # noqa: BLE001 - Gruntz raises assorted types: search the long way
                slope = None
        if slope is not None and not (slope.is_number and slope.is_extended_real):
            slope = None
        if slope is not None and (slope == sympy.oo or 2 * float(slope) > dfn):
            doublings = CHECKED_DOUBLINGS
    length = context
    for _ in range(doublings):
        length *= 2
        n_pairs = _pairs(fraction, length)
        b = _state_bits_at(model, 2 * n_pairs)
        bd = theorem1_bound(b, V, eps, rests_on=False).bound
        if n_pairs > bd:
            cert = _certificate(length, 2 * n_pairs, b, dfn, bd, float(n_pairs), float(eps), V, model)
            nodes = proof_nodes("thm1", "cor1.2")
            details.update(length=length, state_bits=b, storing_tokens=2 * n_pairs)
            return Verdict("refuted", bd, float(n_pairs), properties, nodes,
                           f"claimed recall of {float(fraction):g} * L at every length fails at L = {length}: "
                           f"N = {n_pairs:.6g} > bound {bd:.6g} (b_T after {2 * n_pairs} storing tokens; "
                           f"{cl.state_growth.label()} state bits; Corollary 1.2)",
                           cert, details)
    if doublings == CHECKED_DOUBLINGS:
        # the doublings sample lengths; only a proof for every T >= 2N(context) may answer "consistent"
        if _holds_for_every_length(bits, 2 * _pairs(fraction, context), dfn):
            return Verdict("consistent", bound, claimed, properties, [],
                           f"state bits are a polynomial b(T) with b(T) > T * Dfn / 2 for every T >= "
                           f"{2 * _pairs(fraction, context)} (no root beyond; Dfn = {dfn:.6g}), so N * Dfn <= "
                           f"b_(2N) at every length: Theorem 1 does not exclude the claim", details=details)
        return Verdict("undecided", bound, claimed, properties, [],
                       f"no violation at L = {context} * 2^j, j = 0..{CHECKED_DOUBLINGS}, and asymptotically "
                       f"2 * slope = {2 * float(slope):.6g} > Dfn = {dfn:.6g}; lengths in between are not "
                       "proved (the state is not a polynomial in L)", details=details)
    return Verdict("undecided", bound, claimed, properties, [],
                   f"no violating length found up to {length}; the claim holds at L = {context}", details=details)
