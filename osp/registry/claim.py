"""A recall claim, read once: every field of [claim], [model] and [parameters]
parsed and validated here, into a typed `Claim` the verdict works on.

A claim names a registry architecture (or gives its own expressions),
concrete parameters, and the recall it claims: N pairs (or a fraction of the
context) at mean error eps on MQAR with a VALUE alphabet of size V
(docs/theory.md sections 2-3).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy

from osp.decimals import to_fraction
from osp.errors import OspInputError
from osp.registry import expr as expr_lang
from osp.registry import loader
from osp.tomlfile import read_toml

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


def resolve_model(data: dict, claim: dict, registry=None) -> Model:
    """The model a claim is about: a registry architecture (claim.architecture) or the inline [model]."""
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


#: why N <= context / 3 (docs/theory.md section 2)
MQAR_LAYOUT = ("an MQAR instance with N pairs needs 2N storing tokens and N query tokens, "
               "so 3N <= context (docs/theory.md section 2)")


@dataclass(frozen=True)
class Claim:
    """N pairs (or ceil(fraction * L)) at mean error eps, values V, at L = context (or every L >= context)."""
    model: Model
    context: int
    values: int
    error: Fraction
    pairs: int                      # N at L = context
    fraction: Fraction | None       # the claimed fraction of L, when the claim gives one
    all_lengths: bool

    def pairs_at(self, length: int) -> int:
        return pairs_for(self.fraction, length) if self.fraction is not None else self.pairs


def pairs_for(fraction: Fraction, length: int) -> int:
    """N for a claimed fraction of L: the smallest integer N >= fraction * L (docs/theory.md: N(L) >= rho L)."""
    n_pairs = math.ceil(fraction * length)
    if 3 * n_pairs > length:
        raise OspInputError(f"claim.recall_fraction: N = ceil({fraction} * {length}) = {n_pairs} pairs do not "
                            f"fit in L = {length}: {MQAR_LAYOUT}")
    return n_pairs


def parse_claim(data: dict, registry=None) -> Claim:
    """The whole claim file, validated once."""
    for key in data:
        if key not in ("claim", "model", "parameters"):
            raise OspInputError(f"{key}: unknown table or field (a claim has [claim], [model], [parameters])")
    claim = _table(data, "claim", CLAIM_FIELDS)
    model = resolve_model(data, claim, registry)
    for k in ("context", "values", "error"):
        if k not in claim:
            raise OspInputError(f"claim.{k}: missing")
    context, V = claim["context"], claim["values"]
    if context < 1:
        raise OspInputError(f"claim.context must be >= 1, got {context}")
    if V < 2:
        raise OspInputError(f"claim.values must be >= 2 (the value alphabet), got {V}")
    eps = to_fraction(expr_lang.to_rational(claim["error"], "claim.error"))
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
            raise OspInputError(f"claim.recall_pairs = {n_pairs} exceeds context/3 = {Fraction(context, 3)}: "
                                f"{MQAR_LAYOUT}")
    else:
        fraction = to_fraction(expr_lang.to_rational(claim["recall_fraction"], "claim.recall_fraction"))
        if not 0 < fraction <= Fraction(1, 3):
            raise OspInputError(f"claim.recall_fraction must lie in (0, 1/3], got {claim['recall_fraction']}: "
                                f"{MQAR_LAYOUT}")
        n_pairs = pairs_for(fraction, context)
    all_lengths = claim.get("all_lengths", False)
    if all_lengths and fraction is None:
        raise OspInputError("claim.all_lengths needs claim.recall_fraction (a fixed N cannot grow with L)")
    return Claim(model, context, V, eps, n_pairs, fraction, all_lengths)
