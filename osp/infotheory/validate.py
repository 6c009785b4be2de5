"""Fixed-seed numeric validation of the cited lemmas: the evidence of `cited` nodes.

`validate_lemma(name, draws, seed)` draws `draws` random finite distributions
(numpy Generator seeded by `seed` and the lemma's name), evaluates the lemma's
slack on each and reports how many held to TOL (1e-9 bits).
`validate_broken(name, ...)` runs the lemma's broken twin on its own draws and
must come back with a counterexample. A validation samples; it proves nothing.
"""

from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from osp.infotheory import draws as dr
from osp.infotheory import factorial
from osp.infotheory import lemmas as lm
from osp.infotheory import toy
from osp.settings import DEFAULTS



@dataclass(frozen=True)
class Validation:
    name: str
    passed: int
    total: int
    worst_slack: float
    counterexample: dict | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.passed == self.total


@dataclass(frozen=True)
class Lemma:
    name: str
    statement: str
    reference: str
    draw: Callable[[np.random.Generator], dict]
    slack: Callable[..., float]
    broken_statement: str
    broken_draw: Callable[[np.random.Generator], dict]
    broken_slack: Callable[..., float]


# --- draws, one per lemma -----------------------------------------------------

def _values(rng) -> int:
    return int(rng.choice([2, 2, 3, 4, 5, 8]))


def _x_marginal(rng, values):
    # MQAR values are uniform; the lemmas hold for any marginal, so test both
    return np.full(values, 1.0 / values) if rng.random() < 0.5 else dr.random_pmf(rng, (values,))


def _draw_fano(rng):
    v = _values(rng)
    if rng.random() < 0.5:
        return {"p_x_y": dr.random_pmf(rng, (v, v))}
    return {"p_x_y": _x_marginal(rng, v)[:, None] * dr.random_channel(rng, v, v)}


def _draw_projection(rng):
    v, extra = _values(rng), int(rng.integers(1, 4))
    p = _x_marginal(rng, v)[:, None] * dr.random_channel(rng, v, v + extra)
    return {"p_x_yhat": p, "v0": int(rng.integers(v))}


def _draw_dpi(rng):
    return {"p_xyz": dr.random_markov_chain(rng)}


def _draw_triple(rng):
    return {"p_xyz": dr.random_joint(rng, 3, 2, 3)}


def _draw_conditioning(rng):
    nx, na = dr.random_size(rng, 1, 4), dr.random_size(rng, 1, 6)
    return {"p_x_a": dr.random_pmf(rng, (nx, na)), "g": rng.integers(dr.random_size(rng, 1, 4), size=na)}


def _draw_conditioning_broken(rng):
    nx, na, nb = dr.random_size(rng, 2, 3), dr.random_size(rng, 1, 3), dr.random_size(rng, 1, 3)
    p_xa = dr.random_pmf(rng, (nx, na))
    k = dr.random_channel(rng, nx * na, nb).reshape(nx, na, nb)  # B peeks at X
    return {"p_x_a_b": p_xa[:, :, None] * k}


def _draw_chain(rng):
    return {"p": dr.random_joint(rng, int(rng.integers(2, 6)), 1, 3)}


def _draw_zsw(rng):
    return {"p_zsw": dr.random_joint(rng, 3, 1, 4)}


def _draw_zsw_broken(rng):
    # S a (possibly deterministic) function of Z and W: where conditioning can raise MI
    nz, nw, ns = (dr.random_size(rng, 2, 3) for _ in range(3))
    p_zw = dr.random_pmf(rng, (nz, nw))
    k = dr.random_channel(rng, nz * nw, ns).reshape(nz, nw, ns)
    return {"p_zsw": np.transpose(p_zw[:, :, None] * k, (0, 2, 1))}


def _point(rng) -> float:
    """A point of [0, 1], often at or near the endpoints where h is steep."""
    kind = rng.integers(4)
    if kind == 0:
        return float(rng.random())
    if kind == 1:
        return float(rng.choice([0.0, 1.0, 0.5]))
    tiny = 10.0 ** -rng.uniform(1, 12)
    return tiny if kind == 2 else 1.0 - tiny


def _draw_jensen(rng):
    n = int(rng.integers(1, 6))
    return {"weights": dr.random_pmf(rng, (n,)), "points": np.array([_point(rng) for _ in range(n)]),
            "values": _values(rng)}


def _draw_pair(rng):
    return {"a": _point(rng), "b": _point(rng), "values": _values(rng)}


def _draw_mvt(rng):
    values = int(rng.choice([2, 3, 4, 10, 2 ** 20]))
    while True:
        a, b = sorted((_point(rng), _point(rng)))
        if b - a > lm.MVT_MIN_WIDTH:  # wide enough for the mean-value point to be located
            return {"a": a, "b": b, "values": values}


def _draw_list_fano(rng):
    n = int(rng.integers(2, 9))
    k = dr.random_channel(rng, n, dr.random_size(rng, 1, 6))
    return {"p_pos_s": k / n, "cbar": int(rng.integers(1, n))}


def _draw_toy(rng):
    keys, values, states = int(rng.integers(1, 4)), int(rng.integers(2, 4)), int(rng.integers(1, 5))
    return {"encoder": toy.random_encoder(rng, keys, values, states), "keys": keys, "values": values,
            "states": states, "tf": bool(rng.integers(2))}


def _toy_slack(encoder, keys, values, states, tf):
    return toy.processor_result(encoder, keys, values, states, tf).slack


def _toy_wrong_slack(encoder, keys, values, states, tf):
    """WRONG claim: N * Dfn(epsbar) <= b_T - 0.5."""
    return toy.processor_result(encoder, keys, values, states, tf).slack - 0.5


LEMMAS: dict[str, Lemma] = {lemma.name: lemma for lemma in [
    Lemma("fano", "H(X|Y') <= h(Pe) + Pe log2(V-1), X, Y' on [V]",
          "Cover & Thomas, Elements of Information Theory, 2nd ed., Thm 2.10.1",
          _draw_fano, lm.fano_slack,
          "Fano with log2(V-1) for a prediction that may fall outside [V]",
          _draw_projection, lm.broken_fano_unprojected_slack),
    Lemma("fano-projection", "Y' = Yhat if a value else v0: eps' <= eps and Fano for Y'",
          "docs/theory.md step 1; Cover & Thomas Thm 2.10.1",
          _draw_projection, lm.fano_projection_slack,
          "Fano with log2(V-1) applied to the unprojected Yhat",
          _draw_projection, lm.broken_fano_unprojected_slack),
    Lemma("dpi", "X -> Y -> Z: I(X;Z) <= I(X;Y), I(X;Z) <= I(Y;Z)",
          "Cover & Thomas Thm 2.8.1",
          _draw_dpi, lm.dpi_slack,
          "the DPI for a triple that is not a Markov chain",
          _draw_triple, lm.broken_dpi_slack),
    Lemma("conditioning", "B = g(A): H(X|A) <= H(X|B) <= H(X)",
          "Cover & Thomas Thm 2.6.5, with H(X|A) = H(X|A, g(A))",
          _draw_conditioning, lm.conditioning_slack,
          "H(X|A) <= H(X|B) for B not a function of A",
          _draw_conditioning_broken, lm.broken_conditioning_slack),
    Lemma("chain-rule", "H(X,Y) = H(X) + H(Y|X); sum_i H(v_i|C, v_<i) = H(v|C); chain rule for I",
          "Cover & Thomas Thms 2.5.1, 2.5.2",
          _draw_chain, lm.chain_rule_slack,
          "the chain rule without the past: sum_i H(v_i|C) = H(v|C)",
          _draw_chain, lm.broken_chain_rule_slack),
    Lemma("entropy-support", "I(Z;S|W) <= H(S|W) <= H(S) <= log2 |supp S|",
          "Cover & Thomas Thms 2.6.4, 2.6.5",
          _draw_zsw, lm.entropy_support_slack,
          "conditioning reduces mutual information: I(Z;S|W) <= I(Z;S)",
          _draw_zsw_broken, lm.broken_entropy_support_slack),
    Lemma("jensen-h", "mean of f(e_i) <= f(mean e_i) for f = h and f = h + e log2(V-1)",
          "Cover & Thomas Thm 2.6.2 (Jensen)",
          _draw_jensen, lm.jensen_slack,
          "Jensen reversed: h(mean) <= mean of h",
          _draw_jensen, lm.broken_jensen_slack),
    Lemma("h-continuity", "|h(a)-h(b)| <= h(|a-b|), |Dfn(a)-Dfn(b)| <= h(d) + d log2(V-1) on [0,1]",
          "Cover & Thomas Thm 17.3.3 (continuity of entropy); subadditivity of concave f, f(0)=0",
          _draw_pair, lm.h_continuity_slack,
          "h is 10-Lipschitz on [0,1]",
          _draw_pair, lm.broken_h_continuity_slack),
    Lemma("mvt-dfn", "Dfn(b)-Dfn(a) = Dfn'(c)(b-a), c bisected; Dfn decreasing on [0, 1-1/V]",
          "Rudin, Principles of Mathematical Analysis, Thm 5.10 (mean value theorem)",
          _draw_mvt, lm.mvt_dfn_slack,
          "Dfn decreasing on all of [0, 1]",
          _draw_mvt, lm.broken_mvt_dfn_slack),
    Lemma("toy-processors", "every toy pure OSP with MAP answers: N Dfn(epsbar, V) <= log2 |S|",
          "docs/theory.md Theorem 1 (exhaustive at N <= 3, V <= 3, |S| <= 4)",
          _draw_toy, _toy_slack,
          "N Dfn(epsbar, V) <= log2 |S| - 0.5",
          _draw_toy, _toy_wrong_slack),
    Lemma("list-fano", "pos uniform on [N], list of cbar from S: P(hit) <= (I(pos;S)+1)/log2(N/cbar)",
          "list-decoding Fano: H(pos|S) <= 1 + P(miss) log2 N + P(hit) log2 cbar (Ahlswede, Gacs & Korner 1976)",
          _draw_list_fano, lm.list_fano_slack,
          "list Fano without the +1",
          _draw_list_fano, lm.broken_list_fano_slack),
]}


def _jsonable(kwargs: dict) -> dict:
    return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in kwargs.items()}


def _run(name: str, draw, slack, draws: int, seed: int) -> Validation:
    rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
    start = time.perf_counter()
    passed, worst, counterexample = 0, math.inf, None
    for i in range(draws):
        kwargs = draw(rng)
        s = float(slack(**kwargs))
        worst = min(worst, s)
        if s >= -lm.TOL:
            passed += 1
        elif counterexample is None:
            counterexample = {"draw": i, "slack": s, **_jsonable(kwargs)}
    return Validation(name, passed, draws, worst, counterexample, time.perf_counter() - start)


def _lemma(name: str) -> Lemma:
    if name not in LEMMAS:
        raise KeyError(f"unknown lemma {name!r}; known: {', '.join(LEMMAS)}")
    return LEMMAS[name]


def validate_lemma(name: str, draws: int = DEFAULTS.draws, seed: int = DEFAULTS.seed) -> Validation:
    """Sample the lemma on `draws` random distributions. For `toy-processors` the
    exhaustive best processors of every enumerated size are checked too and
    counted in `total` (44 configurations)."""
    lemma = _lemma(name)
    result = _run(name, lemma.draw, lemma.slack, draws, seed)
    if name != "toy-processors":
        return result
    start = time.perf_counter()
    passed, worst, counterexample = result.passed, result.worst_slack, result.counterexample
    configs = toy.exhaustive_configs()
    for cfg in configs:
        r = toy.best_result(*cfg)
        worst = min(worst, r.slack)
        if r.slack >= -lm.TOL:
            passed += 1
        elif counterexample is None:
            counterexample = {"best_processor": cfg, "epsbar": str(r.epsbar), "slack": r.slack}
    return Validation(name, passed, draws + len(configs), worst, counterexample,
                      result.seconds + time.perf_counter() - start)


def validate_broken(name: str, draws: int = DEFAULTS.draws, seed: int = DEFAULTS.seed) -> Validation:
    """Run the lemma's broken twin: a sound machinery reports a counterexample."""
    lemma = _lemma(name)
    return _run(name + ":broken", lemma.broken_draw, lemma.broken_slack, draws, seed)


def validate_log_factorial(n_max: int = 10 ** 5) -> Validation:
    """log2 N! >= N log2(N/e): sympy checks the all-N proof (factorial module docstring)
    and arb balls check N = 1..n_max rigorously. A failed sympy step counts as a failure."""
    start = time.perf_counter()
    proof_ok = factorial.integral_identity_holds() and factorial.step_bound_holds()
    passed, total, worst_bits, _ = factorial.check_range(n_max)
    counterexample = None if proof_ok else {"sympy": "integral identity or step bound not confirmed"}
    return Validation("log-factorial", passed + int(proof_ok), total + 1, worst_bits, counterexample,
                      time.perf_counter() - start)
