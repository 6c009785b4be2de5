"""hypothesis strategies for the lemma checks (shared by tests/test_infotheory_*.py).

Distributions are built from small non-negative integer weights, so that
hypothesis shrinks a failing case to zeros and ones: a readable counterexample
such as "X uniform on two values, Yhat always outside the alphabet".
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from osp.infotheory import draws as dr
from osp.infotheory import lemmas as lm
from osp.infotheory import toy

WEIGHT = st.integers(0, 4)


@st.composite
def pmfs(draw, shape):
    n = int(np.prod(shape))
    return dr.from_weights(draw(st.lists(WEIGHT, min_size=n, max_size=n)), shape)


@st.composite
def channels(draw, n_in, n_out):
    return np.stack([draw(pmfs((n_out,))) for _ in range(n_in)])


sizes = st.integers(1, 3)
values = st.integers(2, 4)


@st.composite
def fano_draws(draw):
    v = draw(values)
    return {"p_x_y": draw(pmfs((v, v)))}


@st.composite
def projection_draws(draw):
    v, extra = draw(values), draw(st.integers(1, 2))
    return {"p_x_yhat": draw(pmfs((v, v + extra))), "v0": draw(st.integers(0, v - 1))}


@st.composite
def markov_draws(draw):
    nx, ny, nz = draw(sizes), draw(sizes), draw(sizes)
    return {"p_xyz": dr.markov_chain(draw(pmfs((nx,))), draw(channels(nx, ny)), draw(channels(ny, nz)))}


@st.composite
def triple_draws(draw):
    return {"p_xyz": draw(pmfs((draw(sizes), draw(sizes), draw(sizes))))}


@st.composite
def conditioning_draws(draw):
    nx, na, nb = draw(sizes), draw(st.integers(1, 5)), draw(sizes)
    g = np.array(draw(st.lists(st.integers(0, nb - 1), min_size=na, max_size=na)))
    return {"p_x_a": draw(pmfs((nx, na))), "g": g}


@st.composite
def general_xab_draws(draw):
    return {"p_x_a_b": draw(pmfs((draw(sizes), draw(sizes), draw(sizes))))}


@st.composite
def chain_draws(draw):
    ndim = draw(st.integers(2, 4))
    return {"p": draw(pmfs(tuple(draw(sizes) for _ in range(ndim))))}


@st.composite
def zsw_draws(draw):
    return {"p_zsw": draw(pmfs((draw(sizes), draw(sizes), draw(sizes))))}


UNIT = st.one_of(st.sampled_from([0.0, 1.0, 0.5, 1e-12, 1 - 1e-12]),
                 st.floats(0.0, 1.0, allow_nan=False))


@st.composite
def jensen_draws(draw):
    n = draw(st.integers(1, 4))
    return {"weights": draw(pmfs((n,))), "points": np.array([draw(UNIT) for _ in range(n)]),
            "values": draw(values)}


@st.composite
def pair_draws(draw):
    return {"a": draw(UNIT), "b": draw(UNIT), "values": draw(values)}


@st.composite
def mvt_draws(draw):
    a, b = sorted((draw(UNIT), draw(UNIT)))
    assume(b - a > lm.MVT_MIN_WIDTH)  # the MVT point must be locatable strictly between a and b
    return {"a": a, "b": b, "values": draw(st.sampled_from([2, 3, 4, 10, 2 ** 20]))}


@st.composite
def list_fano_draws(draw):
    n = draw(st.integers(2, 6))
    return {"p_pos_s": draw(channels(n, draw(st.integers(1, 4)))) / n, "cbar": draw(st.integers(1, n - 1))}


@st.composite
def toy_draws(draw):
    keys, vals, states = draw(st.integers(1, 3)), draw(st.integers(2, 3)), draw(st.integers(1, 4))
    n_sigma, n_z = math.factorial(keys), vals ** keys
    cells = draw(st.lists(st.integers(0, states - 1), min_size=n_sigma * n_z, max_size=n_sigma * n_z))
    return {"encoder": np.array(cells).reshape(n_sigma, n_z), "keys": keys, "values": vals,
            "states": states, "tf": draw(st.booleans())}


def toy_slack(encoder, keys, values, states, tf):
    return toy.processor_result(encoder, keys, values, states, tf).slack
