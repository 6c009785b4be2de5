"""The one MQAR module: layouts, generator statistics, scoring and Delta."""

import math
from collections import Counter
from fractions import Fraction

import pytest
import torch

from osp import mqar


def test_paper_layout_and_targets():
    layout = mqar.paper_layout(16, 20)
    b = mqar.generate(layout, 8, batch=50, seed=1, length=40)
    assert b.tokens.shape == (50, 40) and b.query_positions.shape == (50, 8)
    assert torch.equal(b.target_tokens, layout.value_offset + b.target_values)
    for row in range(50):
        keys, vals = b.tokens[row, 0:16:2], b.tokens[row, 1:16:2]
        assert len(set(keys.tolist())) == 8 and int(keys.min()) >= 17 and int(keys.max()) <= 36
        assert 1 <= int(vals.min()) and int(vals.max()) <= 16
        stored = dict(zip(keys.tolist(), vals.tolist()))
        pos = b.query_positions[row].tolist()
        assert pos == list(range(16, 32, 2))  # the query phase follows the pairs
        queried = [int(b.tokens[row, p]) for p in pos]
        assert sorted(queried) == sorted(keys.tolist())  # every key exactly once
        for p, t in zip(pos, b.target_tokens[row].tolist()):
            assert stored[int(b.tokens[row, p])] == t
            assert int(b.tokens[row, p + 1]) == t  # teacher-forced after the prediction
        assert b.tokens[row, 32:].eq(0).all()  # fillers
    assert int(b.is_query.sum()) == 50 * 8


def test_paper_values_iid_uniform_and_orders_random():
    V, N, B = 4, 4, 4000
    b = mqar.generate(mqar.paper_layout(V, 12), N, B, seed=7)
    counts = Counter(b.target_values.flatten().tolist())
    for v in range(V):  # each value has probability 1/4: 16000 draws, sd ~55
        assert abs(counts[v] - B * N / V) < 6 * math.sqrt(B * N / V)
    # i.i.d., not without replacement: all-distinct only 4!/4^4 = 9.4% of the time
    distinct = sum(len(set(r)) == N for r in b.target_values.tolist())
    assert abs(distinct / B - 24 / 256) < 0.03
    # query order independent of storing order: the first query hits the first stored key 1/N of the time
    same = (b.tokens[:, 2 * N] == b.tokens[:, 0]).double().mean().item()
    assert abs(same - 1 / N) < 0.03
    # storing order uniform: the smallest key sits at each of the N pair slots 1/N of the time
    slots = Counter(b.tokens[:, 0:2 * N:2].argmin(dim=1).tolist())
    assert all(abs(slots[i] / B - 1 / N) < 0.03 for i in range(N))


def test_zoology_layout_statistics():
    vocab, N, L, B = 64, 4, 48, 3000
    layout = mqar.zoology_layout(vocab)
    assert (layout.num_values, layout.num_keys, layout.key_offset, layout.value_offset) == (32, 31, 1, 32)
    b = mqar.generate(layout, N, B, seed=3, length=L)
    keys, vals = b.tokens[:, 0:2 * N:2], b.tokens[:, 1:2 * N:2]
    assert int(keys.min()) >= 1 and int(keys.max()) < 32 and int(vals.min()) >= 32 and int(vals.max()) < 64
    assert all(len(set(r)) == N for r in keys.tolist()) and all(len(set(r)) == N for r in vals.tolist())
    for row in range(0, B, 97):
        stored = dict(zip(keys[row].tolist(), vals[row].tolist()))
        pos = b.query_positions[row].tolist()
        assert pos == sorted(pos) and all((p - 2 * N) % 2 == 0 for p in pos)
        assert sorted(int(b.tokens[row, p]) for p in pos) == sorted(stored)
        assert [stored[int(b.tokens[row, p])] for p in pos] == b.target_tokens[row].tolist()
    # power-law placement: gap g has probability proportional to g^(a - 1), a = 0.01
    space = (L - 2 * N) // 2
    w = [g ** (mqar.ZOOLOGY_POWER_A - 1) for g in range(1, space + 1)]
    first_gap = ((b.query_positions[:, 0] - 2 * N) // 2 == 0).double().mean().item()
    # P(gap 0 among N draws without replacement) >= P(first draw) = w[0] / sum(w)
    assert first_gap > w[0] / sum(w) and first_gap > 0.5
    # random filler from the whole vocabulary (both halves), not zeros
    mask = torch.ones(B, L, dtype=torch.bool)
    mask[:, :2 * N] = False
    mask.scatter_(1, b.query_positions, False)
    filler = b.tokens[mask]
    assert abs(filler.double().mean().item() - (vocab - 1) / 2) < 0.5 and int(filler.max()) >= 32


def test_generator_is_deterministic_and_checks_its_input():
    layout = mqar.paper_layout(8, 8)
    assert torch.equal(mqar.generate(layout, 3, 4, seed=5).tokens, mqar.generate(layout, 3, 4, seed=5).tokens)
    assert not torch.equal(mqar.generate(layout, 3, 4, seed=5).tokens, mqar.generate(layout, 3, 4, seed=6).tokens)
    with pytest.raises(ValueError, match="length"):
        mqar.generate(layout, 3, 1, seed=0, length=11)
    with pytest.raises(ValueError, match="distinct keys"):
        mqar.generate(layout, 9, 1, seed=0, length=40)
    with pytest.raises(ValueError, match="vocab_size > length"):
        mqar.generate(mqar.zoology_layout(32), 2, 1, seed=0, length=32)
    with pytest.raises(ValueError, match="fixes V"):
        mqar.layout_for("zoology", 64, num_values=10)


def test_value_only_loss_is_full_vocabulary_cross_entropy_restricted_to_the_values():
    layout = mqar.layout_for("paper", 40, num_values=12)
    b = mqar.generate(layout, 5, 6, seed=2, length=24)
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(6, 24, 40, generator=g, dtype=torch.float64)  # (B, L, vocab)
    loss = mqar.value_loss(mqar.query_value_logits(logits, b), b)
    # full-vocabulary cross-entropy at every scored step, with every non-value token masked out
    masked = torch.full_like(logits, -math.inf)
    masked[..., 1:13] = logits[..., 1:13]
    targets = torch.full((6, 24), -100, dtype=torch.long)
    targets.scatter_(1, b.query_positions, b.target_tokens)
    full = torch.nn.functional.cross_entropy(masked.flatten(0, 1), targets.flatten(), ignore_index=-100)
    assert torch.allclose(loss.double(), full, atol=1e-6)
    # unmasked full-vocabulary CE is larger: the other 28 tokens take probability mass
    plain = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
    assert plain > full


def test_error_fractions_per_example():
    layout = mqar.paper_layout(4, 8)
    b = mqar.generate(layout, 2, 3, seed=0)
    logits = torch.zeros(3, 2, 4)
    logits.scatter_(2, b.target_values[:, :, None], 1.0)  # every answer right
    logits[0, 1] = 0
    logits[0, 1, (int(b.target_values[0, 1]) + 1) % 4] = 1.0  # one wrong answer in example 0
    assert mqar.error_fractions(logits, b).tolist() == [0.5, 0.0, 0.0]


def test_delta_bits_enclosure():
    assert mqar.delta_bits(1, 10).upper == 0 and mqar.delta_bits(0, 10).lower == 0
    d = mqar.delta_bits(2, 4)  # 2 log2 4 - log2(4 * 3) = log2(16/12)
    assert d.lower <= Fraction(math.log2(16 / 12)) * (1 + Fraction(1, 10 ** 12)) and d.lower > Fraction(415, 1000)
    assert d.upper - d.lower < Fraction(1, 10 ** 30)
    # about N(N-1) / (2 V ln 2) for N << V
    d = mqar.delta_bits(64, 4096)
    approx = 64 * 63 / (2 * 4096 * math.log(2))
    assert abs(float(d.lower) - approx) / approx < 0.01
    # all of log2 V when N = V (V^V / V!)
    d = mqar.delta_bits(5, 5)
    assert d.lower <= Fraction(math.log2(5 ** 5 / 120)) + Fraction(1, 10 ** 12) and d.upper >= d.lower
    with pytest.raises(ValueError):
        mqar.delta_bits(6, 5)
