"""docs/theory.md section 6 witnesses: recall, state bits by hand, and the
triangle's edges (E, C, R) each one has or lacks, all measured."""

import math

import pytest
import torch

from osp.bound import theorem1_bound
from osp.runtime import zoo
from osp.runtime.flops import measure_step_flops
from osp.runtime.profile import profile

torch.set_num_threads(1)
V = 16
LOG_V = math.ceil(math.log2(V))


def _mqar(osp, n, seed=0, batch=2):
    return osp.mqar_batch(n, batch, seed)


@pytest.mark.parametrize("name", ["key-table", "direct-address", "rescan"])
@pytest.mark.parametrize("n", [3, 40])
def test_exact_recall(name, n):
    osp = zoo.build(name)
    assert osp.recall_accuracy(_mqar(osp, n, seed=n)) == 1.0


@pytest.mark.parametrize("name", ["window", "decaying-recurrence"])
def test_recall_collapses_for_constant_state(name):
    osp = zoo.build(name)
    small = osp.recall_accuracy(_mqar(osp, 2, seed=0, batch=16))
    large = osp.recall_accuracy(_mqar(osp, 128, seed=0, batch=2))
    assert small >= 0.5
    assert large <= 0.2  # chance is 1/16


def test_key_table_bits_and_theorem1_tightness():
    osp = zoo.build("key-table")
    for n in (8, 64):
        mq = _mqar(osp, n, seed=n, batch=1)
        storing = mq.tokens[:, :2 * n]
        bits = osp.state_bits(osp.prefill(storing))
        assert bits == n * LOG_V + math.ceil(math.log2(n + 1))  # table + one-pair register
        bound = theorem1_bound(bits, V, 0, rests_on=False).bound
        # Theorem 1 at eps = 0 is tight up to the register (V is a power of 2)
        assert n <= bound <= n + math.ceil(math.log2(n + 1)) / LOG_V


def test_direct_address_bits():
    osp = zoo.build("direct-address")
    tokens = torch.tensor([[V + 1 + 9, 3, V + 1 + 2, 5]])  # keys 9 and 2: slots 0..9 exist
    state = osp.prefill(tokens)
    assert osp.state_bits(state) == 10 * (LOG_V + 1) + math.ceil(math.log2(11))
    assert int(state["table"][0, 9]) == 2 and bool(state["valid"][0, 2]) and not bool(state["valid"][0, 0])


def test_rescan_carries_nothing_and_reads_the_tape():
    osp = zoo.build("rescan")
    assert osp.is_tape
    x = osp.profile_input(1, 200, seed=0)
    state = osp.prefill(x[:, :-1])
    assert osp.state_tensors(state) == [] and osp.state_bits(state) == 0
    cost = measure_step_flops(osp, state, x[:, -1])
    assert cost.tape_reads >= 2 * 50 - 2  # scanned past all 50 stored pairs but the last


def test_window_and_recurrence_bits():
    w = zoo.build("window", {"window": "6", "precision_bits": "7"})
    assert w.state_bits(w.prefill(torch.tensor([[V + 1, 2, V + 300, 0]]))) == 6 * 7
    r = zoo.build("decaying-recurrence", {"d": "4", "precision_bits": "5"})
    state = r.prefill(torch.tensor([[V + 1, 2, V + 9]]))
    assert r.state_bits(state) == V * 4 * 5 + 4 + 1
    lo, hi = -(2 ** 4), 2 ** 4 - 1  # p = 5 signed (two's complement) bits
    assert lo <= int(state["M"].min()) and int(state["M"].max()) <= hi


EDGES = {  # name -> (E, C, R)
    "key-table": (True, False, True),
    "direct-address": (True, False, True),
    "rescan": (False, True, True),
    "window": (True, True, False),
    "decaying-recurrence": (True, True, False),
}


@pytest.mark.parametrize("name", list(EDGES))
def test_triangle_edges_by_measurement(name):
    osp = zoo.build(name)
    p = profile(osp, name, [64, 256, 1024], seed=7)
    recall = p.recall[-1]  # MQAR with 256 pairs
    assert (p.efficient, p.compact, recall >= 0.9) == EDGES[name], (p.compute_exponent, p.state_exponent, recall)
    if osp.is_tape:
        assert p.bound_pairs is None and "tape" in p.bound_note


@pytest.mark.parametrize("name,n", [("key-table", 64), ("direct-address", 64), ("window", 8),
                                    ("decaying-recurrence", 8)])
def test_measured_recall_respects_theorem1(name, n):
    """N Dfn(eps, V) <= b_T with b_T measured after the storing phase and eps measured on
    the queries. n is small enough for the lossy witnesses to beat guessing: at eps >= 1 - 1/V
    Theorem 1 would say nothing, so that setup fails rather than passing vacuously."""
    osp = zoo.build(name)
    mq = _mqar(osp, n, seed=3, batch=1)
    eps = 1 - osp.recall_accuracy(mq)
    assert eps < 1 - 1 / V, f"measured eps {eps:.3f} >= 1 - 1/V: the check would be vacuous"
    b_T = osp.state_bits(osp.prefill(mq.tokens[:, :2 * n]))
    assert n <= theorem1_bound(b_T, V, round(eps, 6), rests_on=False).bound
