"""Theorem 1 on exhaustive toy processors, and the reductions toy.py relies on,
each checked against a slow obvious simulation of the whole MQAR process."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, find, given, settings

import infotheory_strategies as S
from osp.infotheory import toy

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the slow obvious reference: play every (sigma, z, pi) ---------------------

def views(keys, values, sigma, z, pi, tf):
    """What the decoder sees at each query: (queried key, earlier keys and, with TF, their values)."""
    out = []
    for i, k in enumerate(pi):
        earlier = tuple((j, z[j]) for j in pi[:i]) if tf else tuple(pi[:i])
        out.append((k, earlier))
    return out


def games(keys, values):
    for sigma in itertools.permutations(range(keys)):
        for z in itertools.product(range(values), repeat=keys):
            for pi in itertools.permutations(range(keys)):
                yield sigma, z, pi


def sigma_index(sigma):
    return list(itertools.permutations(range(len(sigma)))).index(tuple(sigma))


def encode(encoder, values, sigma, z):
    zi = int(np.ravel_multi_index(z, (values,) * len(z))) if z else 0
    return int(encoder[sigma_index(sigma), zi])


def simulate_epsbar(encoder, keys, values, tf, decoder):
    errors = total = 0
    for sigma, z, pi in games(keys, values):
        s = encode(encoder, values, sigma, z)
        for (k, earlier) in views(keys, values, sigma, z, pi, tf):
            errors += decoder(s, k, earlier) != z[k]
            total += 1
    return Fraction(errors, total)


def simulated_map_decoder(encoder, keys, values, tf):
    """MAP from tallies over every game, using EVERYTHING the decoder sees (earlier key order included)."""
    tally = {}
    for sigma, z, pi in games(keys, values):
        s = encode(encoder, values, sigma, z)
        for (k, earlier) in views(keys, values, sigma, z, pi, tf):
            tally.setdefault((s, k, earlier), np.zeros(values, dtype=int))[z[k]] += 1
    return lambda s, k, earlier: int(np.argmax(tally[(s, k, earlier)])), tally


# --- the reductions -------------------------------------------------------------

@SETTINGS
@given(S.toy_draws())
def test_map_epsbar_matches_simulation(kw):
    if kw["keys"] == 3 and kw["values"] == 3:
        kw["keys"] = 2  # keep the slow reference quick
        kw["encoder"] = kw["encoder"][:2, :9]
    decoder, _ = simulated_map_decoder(kw["encoder"], kw["keys"], kw["values"], kw["tf"])
    simulated = simulate_epsbar(kw["encoder"], kw["keys"], kw["values"], kw["tf"], decoder)
    assert simulated == toy.processor_result(kw["encoder"], kw["keys"], kw["values"], kw["states"], kw["tf"]).epsbar


@pytest.mark.parametrize("tf", [False, True])
def test_map_is_the_best_decoder_by_brute_force(tf):
    keys, values, states = 2, 2, 2
    rng = np.random.default_rng(11)
    encoder = rng.integers(states, size=(2, 4))
    _, tally = simulated_map_decoder(encoder, keys, values, tf)
    view_keys = sorted(tally)
    best = min(
        simulate_epsbar(encoder, keys, values, tf, lambda s, k, e, t=dict(zip(view_keys, table)): t[(s, k, e)])
        for table in itertools.product(range(values), repeat=len(view_keys)))
    assert best == toy.processor_result(encoder, keys, values, states, tf).epsbar


@pytest.mark.parametrize("tf", [False, True])
@pytest.mark.parametrize("states", [2, 3])
def test_sigma_dependent_encoders_never_beat_the_partition_optimum(states, tf):
    keys, values = 2, 2
    best = min(toy.processor_result(np.array(cells).reshape(2, 4), keys, values, states, tf).epsbar
               for cells in itertools.product(range(states), repeat=8))
    assert best == toy.best_epsbar_partition(keys, values, states, tf)


@pytest.mark.parametrize("keys,values,states", [(2, 2, 3), (1, 3, 2), (3, 2, 2), (2, 3, 2)])
@pytest.mark.parametrize("tf", [False, True])
def test_partition_dp_equals_enumerating_every_sigma_blind_encoder(keys, values, states, tf):
    n = values ** keys
    best = min(toy.processor_result(np.array([cells]), keys, values, states, tf).epsbar
               for cells in itertools.product(range(states), repeat=n))
    assert best == toy.best_epsbar_partition(keys, values, states, tf)


@pytest.mark.parametrize("keys,values", [(1, 2), (1, 3), (2, 2), (2, 3), (3, 2)])
@pytest.mark.parametrize("states", [1, 2, 3, 4])
def test_codebook_search_equals_partition_dp_without_teacher_forcing(keys, values, states):
    assert toy.best_epsbar_codebook(keys, values, states) == toy.best_epsbar_partition(keys, values, states, False)


# --- Theorem 1 ------------------------------------------------------------------

@pytest.mark.parametrize("cfg", toy.exhaustive_configs(), ids=lambda c: "N%d-V%d-S%d-%s" % (c[0], c[1], c[2], "tf" if c[3] else "free"))
def test_best_processor_obeys_theorem1(cfg):
    r = toy.best_result(*cfg)
    assert r.applicable  # the best processor is at least as good as guessing
    assert r.lhs_bits <= r.state_bits + 1e-12, r


def test_exhaustive_sizes_cover_both_teacher_forcing_modes():
    cfgs = toy.exhaustive_configs()
    assert sum(c[3] for c in cfgs) == 20 and sum(not c[3] for c in cfgs) == 24


@SETTINGS
@given(S.toy_draws())
def test_every_random_processor_obeys_theorem1(kw):
    assert S.toy_slack(**kw) >= -1e-12


@SETTINGS
@given(S.toy_draws())
def test_teacher_forcing_never_hurts(kw):
    free = toy.processor_result(kw["encoder"], kw["keys"], kw["values"], kw["states"], False).epsbar
    forced = toy.processor_result(kw["encoder"], kw["keys"], kw["values"], kw["states"], True).epsbar
    assert forced <= free


@pytest.mark.parametrize("keys,values", [(1, 2), (2, 3), (3, 2)])
def test_one_state_is_guessing(keys, values):
    for tf in (False, True):
        assert toy.best_epsbar_partition(keys, values, 1, tf) == 1 - Fraction(1, values)


def test_parity_state_helps_only_with_teacher_forcing():
    zs = list(itertools.product(range(2), repeat=3))
    enc = np.tile([sum(z) % 2 for z in zs], (6, 1))
    assert toy.processor_result(enc, 3, 2, 2, False).epsbar == Fraction(1, 2)
    assert toy.processor_result(enc, 3, 2, 2, True).epsbar == Fraction(1, 3)


def test_a_wrong_claim_is_violated_by_some_toy_processor():
    # N Dfn <= b_T - 0.5 is false: a key-indexed table is tight (N = 1, V = 2, |S| = 2, eps = 0)
    wrong = [c for c in toy.exhaustive_configs() if toy.best_result(*c).slack < 0.5]
    assert (1, 2, 2, False) in wrong and (1, 2, 2, True) in wrong
    example = find(S.toy_draws(), lambda kw: S.toy_slack(**kw) - 0.5 < -1e-9,
                   settings=settings(max_examples=2000, deadline=None, database=None,
                                     suppress_health_check=list(HealthCheck)))
    assert S.toy_slack(**example) < 0.5


def test_tight_at_zero_error_when_the_state_holds_every_value():
    r = toy.best_result(2, 2, 4, False)
    assert r.epsbar == 0 and math.isclose(r.lhs_bits, r.state_bits)
