"""Exhaustive toy processors: Theorem 1 checked on every small pure OSP.

MQAR as docs/theory.md section 2 draws it, at toy sizes: the N keys are [N] (N
distinct keys out of [N]), values z in [V]^N i.i.d. uniform, a uniform storing
order sigma and an independent uniform query order pi. A pure OSP ends the
storing phase in a state s = E(sigma, z) in [|S|]; at query i it answers from
s, the queried key k = pi(i), the earlier queried keys and, with teacher
forcing, their true values z_J (J = earlier queried keys).

Exact reductions (each is also checked by brute force in the tests):

1. MAP decoding. For a fixed encoder the best answer at each query is the
   mode of z_k given what the decoder sees, so the best achievable error is a
   function of the counts C[s, z] = #{sigma : E(sigma, z) = s}. Without teacher
   forcing the earlier queried keys are independent of (s, z) and do not help.
2. Weights. Averaged over pi, query i has earlier set J (|J| = i - 1) and key
   k with probability |J|! (N-1-|J|)! / N!, so
   epsbar = 1 - (1/N) sum_{J, k not in J} w(J, k) P(answer to k correct | J).
3. The storing order can be ignored by the BEST processor: the decoder never
   sees sigma, and max_v sum_sigma a_sigma(v) <= sum_sigma max_v a_sigma(v), so
   the success of a sigma-dependent encoder is at most the average, hence the
   max, over sigma of the success of E(sigma, .). Best encoders are partitions
   of [V]^N into at most |S| blocks: found by a DP over subsets (every
   partition, exactly) when V^N <= MAX_DP_POINTS.
4. Without teacher forcing the decoder is one codeword c_s in [V]^N per state,
   and the best encoder for fixed codewords sends z to the codeword agreeing
   with it most: best success = max over codebooks of sum_z max_s agree(z, c_s).
   That enumeration covers N = 3, V = 3 (C(27, 4) = 17,550 codebooks).

Sizes: N in {1, 2, 3}, V in {2, 3}, |S| in {1, 2, 3, 4}; teacher forcing is
enumerated where V^N <= 9 (all but N = V = 3). Arithmetic is exact
(integers and Fractions) up to the final logarithms.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from osp.infotheory.entropy import dfn

MAX_DP_POINTS = 9
SIZES_KEYS = (1, 2, 3)
SIZES_VALUES = (2, 3)
SIZES_STATES = (1, 2, 3, 4)


@dataclass(frozen=True)
class ToyResult:
    keys: int  # N
    values: int  # V
    states: int  # |S|
    teacher_forcing: bool
    epsbar: Fraction  # best (or given processor's) mean error, exact
    lhs_bits: float  # N * Dfn(epsbar, V)
    state_bits: float  # log2 |S| = b_T
    method: str

    @property
    def applicable(self) -> bool:
        return self.epsbar <= 1 - Fraction(1, self.values)

    @property
    def slack(self) -> float:
        """b_T - N Dfn(epsbar, V); +inf when epsbar > 1 - 1/V (the theorem says nothing)."""
        return self.state_bits - self.lhs_bits if self.applicable else math.inf


def query_weights(keys: int, teacher_forcing: bool) -> list[tuple[tuple[int, ...], int, int]]:
    """(J, k, W): W * N!^-1 = expected number of queries that ask k after exactly the keys J.

    Without teacher forcing J is replaced by () (it carries no information):
    every key is asked once, W = N!.
    """
    out = []
    if not teacher_forcing:
        return [((), k, math.factorial(keys)) for k in range(keys)]
    for j in range(keys):
        w = math.factorial(j) * math.factorial(keys - 1 - j)
        for J in itertools.combinations(range(keys), j):
            out.extend((J, k, w) for k in range(keys) if k not in J)
    return out


def map_success_total(counts: np.ndarray, keys: int, teacher_forcing: bool) -> int:
    """sum_{(J,k)} W * sum_{s, z_J} max_v C[s, z_J, z_k = v]: the MAP decoder's weighted hits.

    counts has shape (|S|, V, ..., V) (N value axes), integer.
    """
    total = 0
    for J, k, w in query_weights(keys, teacher_forcing):
        keep = {0, *(1 + j for j in J), 1 + k}
        drop = tuple(a for a in range(counts.ndim) if a not in keep)
        m = counts.sum(axis=drop) if drop else counts
        k_axis = sorted(keep).index(1 + k)
        total += w * int(m.max(axis=k_axis).sum())
    return total


def map_epsbar(counts: np.ndarray, keys: int, teacher_forcing: bool) -> Fraction:
    """Exact mean error of the best decoder for an encoder summarised by counts C[s, z]."""
    mass = int(counts.sum())  # number of equally likely (sigma, z) storing inputs
    hits = map_success_total(counts, keys, teacher_forcing)
    return 1 - Fraction(hits, keys * math.factorial(keys) * mass)


def counts_of_encoder(encoder: np.ndarray, keys: int, values: int, states: int) -> np.ndarray:
    """C[s, z] from an encoder table E[sigma_index, z_index] (sigma-dependent allowed)."""
    counts = np.zeros((states,) + (values,) * keys, dtype=np.int64)
    zs = list(itertools.product(range(values), repeat=keys))
    for row in encoder:
        for zi, z in enumerate(zs):
            counts[(int(row[zi]),) + z] += 1
    return counts


def _result(keys, values, states, tf, epsbar, method) -> ToyResult:
    return ToyResult(keys, values, states, tf, epsbar, keys * dfn(float(epsbar), values),
                     math.log2(states), method)


def processor_result(encoder: np.ndarray, keys: int, values: int, states: int, tf: bool) -> ToyResult:
    """Theorem 1's two sides for one given encoder with its MAP decoder."""
    counts = counts_of_encoder(encoder, keys, values, states)
    return _result(keys, values, states, tf, map_epsbar(counts, keys, tf), "given encoder + MAP")


@functools.lru_cache(maxsize=None)
def _block_scores(keys: int, values: int, tf: bool) -> list[int]:
    """Weighted MAP hits of one state holding exactly the value tuples in `mask`, for every mask."""
    n = values ** keys
    scores = []
    for mask in range(1 << n):
        counts = np.array([(mask >> i) & 1 for i in range(n)], dtype=np.int64).reshape((1,) + (values,) * keys)
        scores.append(map_success_total(counts, keys, tf))
    return scores


@functools.lru_cache(maxsize=None)
def best_epsbar_partition(keys: int, values: int, states: int, tf: bool) -> Fraction:
    """Best epsbar over ALL encoders [V]^N -> [|S|], by a DP over subsets (every partition)."""
    n = values ** keys
    if n > MAX_DP_POINTS:
        raise ValueError(f"V^N = {n} > {MAX_DP_POINTS}: partition DP too large")
    score = _block_scores(keys, values, tf)
    full = (1 << n) - 1
    best = [score[m] if m else 0 for m in range(1 << n)]  # one block per state: |S| = 1
    for _ in range(states - 1):
        nxt = best[:]
        for mask in range(1, 1 << n):
            low = mask & -mask
            rest = mask ^ low
            sub = rest  # blocks containing the lowest element of mask
            while True:
                block = sub | low
                cand = score[block] + best[mask ^ block]
                if cand > nxt[mask]:
                    nxt[mask] = cand
                if sub == 0:
                    break
                sub = (sub - 1) & rest
        best = nxt
    return 1 - Fraction(best[full], keys * math.factorial(keys) * n)


@functools.lru_cache(maxsize=None)
def best_epsbar_codebook(keys: int, values: int, states: int) -> Fraction:
    """Best epsbar without teacher forcing: max over codebooks of sum_z max_s agree(z, c_s)."""
    zs = np.array(list(itertools.product(range(values), repeat=keys)), dtype=np.int64)  # (n, N)
    n = len(zs)
    agree = (zs[:, None, :] == zs[None, :, :]).sum(axis=2)  # (codeword, z)
    m = min(states, n)  # repeated codewords never help
    best = 0
    for book in itertools.combinations(range(n), m):
        best = max(best, int(agree[list(book)].max(axis=0).sum()))
    return 1 - Fraction(best, keys * n)


def best_result(keys: int, values: int, states: int, tf: bool) -> ToyResult:
    if values ** keys <= MAX_DP_POINTS:
        eps, method = best_epsbar_partition(keys, values, states, tf), "partition DP"
    elif not tf:
        eps, method = best_epsbar_codebook(keys, values, states), "codebook enumeration"
    else:
        raise ValueError("teacher forcing is enumerated only for V^N <= 9")
    return _result(keys, values, states, tf, eps, method)


def exhaustive_configs() -> list[tuple[int, int, int, bool]]:
    """Every (N, V, |S|, teacher forcing) that `best_result` enumerates."""
    out = []
    for keys, values, states in itertools.product(SIZES_KEYS, SIZES_VALUES, SIZES_STATES):
        for tf in (False, True):
            if tf and values ** keys > MAX_DP_POINTS:
                continue
            out.append((keys, values, states, tf))
    return out


def random_encoder(rng: np.random.Generator, keys: int, values: int, states: int) -> np.ndarray:
    """A random encoder table E[sigma, z]: sigma-dependent, sigma-blind, or a few fixed coordinates."""
    n_sigma, n_z = math.factorial(keys), values ** keys
    kind = rng.integers(3)
    if kind == 0:
        return rng.integers(states, size=(n_sigma, n_z))
    if kind == 1:
        return np.tile(rng.integers(states, size=n_z), (n_sigma, 1))
    # store the first few values of the *storing order*: sigma-dependent and sensible
    zs = list(itertools.product(range(values), repeat=keys))
    table = np.zeros((n_sigma, n_z), dtype=np.int64)
    for si, sigma in enumerate(itertools.permutations(range(keys))):
        for zi, z in enumerate(zs):
            code = 0
            for key in sigma:
                code = code * values + z[key]
            table[si, zi] = code % states
    return table
