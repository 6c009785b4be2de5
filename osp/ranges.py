"""Parameter boxes for `osp check --ranges FILE.toml`.

```toml
[ranges]
B = [1, 1099511627776]   # state bits; or D = [..] with P = [..] (scalars, bits per scalar)
V = [2, 1048576]         # value alphabet size
eps = [0, 0.45]          # mean error
```
Bounds are read exactly (decimals become exact fractions). Every problem is
reported as one line naming the field.
"""

from __future__ import annotations

from fractions import Fraction

from osp.errors import OspInputError
from osp.numbers import exact
from osp.tomlfile import read_toml

THEOREM1_NAMES = ("B", "D", "P", "V", "eps")
#: names a Theorem 2 box may use (handled by osp.checks.theorem2_box when present)
THEOREM2_NAMES = ("dim", "radius", "lipschitz", "margin", "decay", "input_bound", "init_norm", "length")


def load(path: str) -> dict[str, tuple[Fraction, Fraction]]:
    return parse(read_toml(path, "ranges file"), path)


def _bound(value, where: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise OspInputError(f"{where} must be a number, got {value!r}")
    return exact(value, where)


def parse(data: dict, path: str = "ranges") -> dict[str, tuple[Fraction, Fraction]]:
    extra = set(data) - {"ranges"}
    if extra:
        raise OspInputError(f"{path}: unknown table or key {sorted(extra)[0]!r} (expected [ranges])")
    table = data.get("ranges")
    if not isinstance(table, dict):
        raise OspInputError(f"{path}: missing [ranges] table")
    out: dict[str, tuple[Fraction, Fraction]] = {}
    for name, value in table.items():
        where = f"{path}: ranges.{name}"
        if name not in THEOREM1_NAMES + THEOREM2_NAMES:
            raise OspInputError(f"{where}: unknown parameter (known: {', '.join(THEOREM1_NAMES + THEOREM2_NAMES)})")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = [value, value]
        if not isinstance(value, list) or len(value) != 2:
            raise OspInputError(f"{where} must be [low, high] or a single number")
        lo, hi = _bound(value[0], where + "[0]"), _bound(value[1], where + "[1]")
        if lo > hi:
            raise OspInputError(f"{where}: low {value[0]} exceeds high {value[1]}")
        out[name] = (lo, hi)
    _validate(out, path)
    return out


def _validate(r: dict, path: str) -> None:
    def need(name, cond, text):
        if name in r and not cond(*r[name]):
            raise OspInputError(f"{path}: ranges.{name} {text}")

    need("V", lambda lo, hi: lo >= 2, "must be >= 2 (a value alphabet has at least two letters)")
    need("V", lambda lo, hi: lo.denominator == 1 and hi.denominator == 1, "must have integer ends (V is an alphabet size)")
    need("eps", lambda lo, hi: lo >= 0 and hi <= 1, "must lie in [0, 1]")
    need("B", lambda lo, hi: lo >= 0, "must be >= 0 (state bits)")
    need("D", lambda lo, hi: lo >= 1, "must be >= 1 (scalars)")
    need("P", lambda lo, hi: lo >= 1, "must be >= 1 (bits per scalar)")
    if not r:
        raise OspInputError(f"{path}: [ranges] is empty")
    if wants_theorem1(r):
        if "B" in r and ("D" in r or "P" in r):
            raise OspInputError(f"{path}: give ranges.B or ranges.D with ranges.P, not both")
        if ("D" in r) != ("P" in r):
            missing = "P" if "D" in r else "D"
            raise OspInputError(f"{path}: ranges.{missing} is required with ranges.{'D' if missing == 'P' else 'P'}")
        for name in ("V", "eps"):
            if name not in r:
                raise OspInputError(f"{path}: ranges.{name} is required")
        if "B" not in r and "D" not in r:
            raise OspInputError(f"{path}: ranges.B (or ranges.D and ranges.P) is required")


def wants_theorem1(r: dict) -> bool:
    """Theorem 1 is checked when state bits are given, or when nothing marks the box as Theorem 2's."""
    return any(k in r for k in ("B", "D", "P")) or not wants_theorem2(r)


def wants_theorem2(r: dict) -> bool:
    return any(k in r for k in THEOREM2_NAMES)


def state_bits_range(r: dict) -> tuple[Fraction, Fraction]:
    if "B" in r:
        return r["B"]
    return r["D"][0] * r["P"][0], r["D"][1] * r["P"][1]
