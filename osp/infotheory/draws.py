"""Random finite distributions for the lemma checks.

Everything takes a seeded `numpy.random.Generator`. Besides dense Dirichlet
draws the generators deliberately produce the awkward cases where
inequalities are tight or where 0 log 0 matters: exact zeros, point masses,
deterministic maps (one-hot channel rows), near-uniform pmfs, and extreme
Dirichlet concentrations. `from_weights` turns non-negative integer weights
into a pmf: hypothesis strategies build on it so that shrinking gives small,
readable counterexamples.
"""

from __future__ import annotations

import numpy as np

#: the shapes of pmf a draw can take; each is chosen with equal probability
KINDS = ("dirichlet", "sparse", "point", "near-uniform", "uniform", "spiky")


def from_weights(weights, shape) -> np.ndarray:
    """Normalise non-negative weights into a pmf of `shape`; all-zero becomes a point mass at 0."""
    w = np.asarray(weights, dtype=float).reshape(shape)
    if np.any(w < 0):
        raise ValueError("weights must be non-negative")
    total = w.sum()
    if total <= 0:
        w = np.zeros(shape)
        w.flat[0] = 1.0
        return w
    return w / total


def random_pmf(rng: np.random.Generator, shape, kind: str | None = None) -> np.ndarray:
    """A pmf over `shape` (any number of axes) of the given or a random kind."""
    shape = tuple(int(s) for s in shape)
    n = int(np.prod(shape))
    kind = kind or KINDS[rng.integers(len(KINDS))]
    if kind == "dirichlet":
        w = rng.dirichlet(np.ones(n))
    elif kind == "sparse":
        w = rng.dirichlet(np.ones(n)) * (rng.random(n) < 0.5)
    elif kind == "point":
        w = np.zeros(n)
        w[rng.integers(n)] = 1.0
    elif kind == "near-uniform":
        w = np.ones(n) + 1e-6 * rng.standard_normal(n)
    elif kind == "uniform":
        w = np.ones(n)
    elif kind == "spiky":
        w = rng.dirichlet(np.full(n, 0.05))
    else:
        raise ValueError(f"unknown pmf kind {kind!r}")
    return from_weights(np.maximum(w, 0.0), shape)


def random_channel(rng: np.random.Generator, n_in: int, n_out: int, kind: str | None = None) -> np.ndarray:
    """Row-stochastic matrix K[a, b] = P(B=b | A=a); kind 'function' gives a deterministic map."""
    kind = kind or (("function",) + KINDS)[rng.integers(len(KINDS) + 1)]
    if kind == "function":
        k = np.zeros((n_in, n_out))
        k[np.arange(n_in), rng.integers(n_out, size=n_in)] = 1.0
        return k
    return np.stack([random_pmf(rng, (n_out,), kind) for _ in range(n_in)])


def random_size(rng: np.random.Generator, low: int = 1, high: int = 4) -> int:
    return int(rng.integers(low, high + 1))


def random_joint(rng: np.random.Generator, n_vars: int, low: int = 1, high: int = 4) -> np.ndarray:
    """A joint pmf of n_vars variables with random alphabet sizes in [low, high]."""
    return random_pmf(rng, [random_size(rng, low, high) for _ in range(n_vars)])


def markov_chain(px: np.ndarray, k_xy: np.ndarray, k_yz: np.ndarray) -> np.ndarray:
    """p[x, y, z] = p(x) p(y|x) p(z|y): a Markov chain X -> Y -> Z."""
    return px[:, None, None] * k_xy[:, :, None] * k_yz[None, :, :]


def random_markov_chain(rng: np.random.Generator, high: int = 4) -> np.ndarray:
    nx, ny, nz = (random_size(rng, 1, high) for _ in range(3))
    return markov_chain(random_pmf(rng, (nx,)), random_channel(rng, nx, ny), random_channel(rng, ny, nz))


def push_forward(p: np.ndarray, axis: int, f: np.ndarray, n_out: int) -> np.ndarray:
    """Append a new last axis holding f(value on `axis`), f an integer array: p[..., f(a)]."""
    k = np.zeros((p.shape[axis], n_out))
    k[np.arange(p.shape[axis]), f] = 1.0
    return apply_channel(p, axis, k)


def apply_channel(p: np.ndarray, axis: int, k: np.ndarray) -> np.ndarray:
    """Append a new last axis B drawn from K[a, b] given the value a on `axis`."""
    moved = np.moveaxis(p, axis, -1)  # (..., A)
    joint = moved[..., :, None] * k  # (..., A, B)
    return np.moveaxis(joint, -2, axis)
