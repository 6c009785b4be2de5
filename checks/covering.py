"""Numeric validation of the covering argument (docs/theory.md section 4, step 2).

Two fixed-seed samplers back the cited node `lemma.volume-scaling`:
- `volume_scaling`: vol(rho B) = rho^D vol(B) for several norms on R^D
  (l1, l2, l-infinity and ||A x||_2 with a random matrix A), by Monte Carlo
  counts compared at 6 standard deviations;
- `covering_count`: a greedy maximal r-separated subset of random points in
  an R-ball has at most (1 + 2R/r)^D points and is an r-net (exact on each draw).
Each has a broken twin (radius^(D-1); (1 + R/r)^D) that must fail.
A validation samples; it proves nothing.
"""

from __future__ import annotations

import math
import time
import zlib

import numpy as np

from osp.infotheory.validate import Validation
from osp.settings import DEFAULTS




def _norm(rng, d: int):
    kind = rng.choice(["l1", "l2", "linf", "linear"])
    if kind == "linear":
        a = rng.normal(size=(d, d)) + 2.0 * np.eye(d)  # (D, D), well conditioned
        return kind, lambda x: np.linalg.norm(x @ a.T, axis=-1)
    order = {"l1": 1, "l2": 2, "linf": np.inf}[kind]
    return kind, lambda x: np.linalg.norm(x, ord=order, axis=-1)


def _rng(name: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def volume_scaling(draws: int = DEFAULTS.sampler_draws, seed: int = DEFAULTS.seed, exponent_shift: int = 0,
                   samples: int = 40000) -> Validation:
    """Estimate vol(rho B) / vol(B) and compare with rho^(D - exponent_shift)."""
    t0 = time.perf_counter()
    name = "volume-scaling" if exponent_shift == 0 else "volume-scaling:broken"
    rng = _rng(name, seed)
    passed, worst, cex = 0, math.inf, None
    for i in range(draws):
        d = int(rng.integers(1, 4))
        kind, norm = _norm(rng, d)
        rho = float(rng.uniform(0.4, 0.9))
        # the unit ball lies in a box of half-width h: max |x_j| over ||x|| <= 1, bounded by sampling rays
        rays = rng.normal(size=(4096, d))                                       # (4096, D)
        h = 1.5 * float(np.max(np.abs(rays / norm(rays)[:, None])))
        x = rng.uniform(-h, h, size=(samples, d))                               # (samples, D)
        n = norm(x)
        inside_1, inside_rho = int(np.sum(n <= 1.0)), int(np.sum(n <= rho))
        expected = rho ** (d - exponent_shift) * inside_1
        sigma = math.sqrt(inside_rho + rho ** (2 * (d - exponent_shift)) * inside_1 + 1.0)
        slack = 6.0 - abs(inside_rho - expected) / sigma                         # in standard deviations
        worst = min(worst, slack)
        if slack >= 0:
            passed += 1
        elif cex is None:
            cex = {"draw": i, "dim": d, "norm": kind, "rho": rho, "count_rho": inside_rho, "count_1": inside_1}
    return Validation(name, passed, draws, worst, cex, time.perf_counter() - t0)


def _greedy_net(points: np.ndarray, r: float, norm) -> list[int]:
    """Scan in order, keeping a point unless it lies within r of one already kept: the
    kept points are r-separated and (being maximal) an r-net. Each kept point marks its
    r-neighbourhood at once, so the scan costs one vector operation per net point."""
    net: list[int] = []
    near = np.zeros(len(points), dtype=bool)
    i = 0
    while i < len(points):
        net.append(i)
        near |= norm(points - points[i]) < r
        rest = np.flatnonzero(~near[i + 1:])
        if rest.size == 0:
            break
        i = i + 1 + int(rest[0])
    return net


def covering_count(draws: int = DEFAULTS.sampler_draws, seed: int = DEFAULTS.seed, factor: float = 2.0) -> Validation:
    """Greedy maximal r-separated subsets of points in the R-ball: size <= (1 + factor R/r)^D."""
    t0 = time.perf_counter()
    name = "covering-count" if factor == 2.0 else "covering-count:broken"
    rng = _rng(name, seed)
    passed, worst, cex = 0, math.inf, None
    for i in range(draws):
        d = int(rng.integers(1, 4))
        kind, norm = _norm(rng, d)
        radius = float(rng.uniform(0.5, 3.0))
        r = float(rng.uniform(0.3, 1.5)) * radius
        raw = rng.normal(size=(600, d))                                         # (600, D)
        pts = raw / norm(raw)[:, None] * radius * rng.uniform(0, 1, size=(600, 1)) ** (1.0 / d)
        pts = np.vstack([pts, raw / norm(raw)[:, None] * radius])               # include the sphere
        net = _greedy_net(pts, r, norm)
        bound = (1.0 + factor * radius / r) ** d
        # the count bound's premise: the kept points are r-separated (the net property is
        # _greedy_net's construction, tested against its definition in tests/test_covering.py)
        kept = pts[net]
        gaps = np.stack([norm(kept - p) for p in kept], axis=1)                 # (net, net)
        separated = bool(np.all(gaps[~np.eye(len(net), dtype=bool)] >= r))
        slack = bound - len(net)
        worst = min(worst, slack)
        if slack >= 0 and separated:
            passed += 1
        elif cex is None:
            cex = {"draw": i, "dim": d, "norm": kind, "R": radius, "r": r, "net": len(net), "bound": bound,
                   "separated": separated}
    return Validation(name, passed, draws, worst, cex, time.perf_counter() - t0)
