"""Theorem 2's probed Lam: forward mode where torch has it, the whole Jacobian where it does not;
and the per-example readers (Lam, R, the quantizer) refuse states that are not batch first."""

import math

import pytest
import torch

from osp.harness import theorem2 as thm2
from osp.harness.state import require_batch_rows
from osp.harness.train import make_task
from osp.runtime import zoo
from osp.runtime.contract import StateTensor

torch.set_num_threads(1)


def test_reverse_mode_spectral_norm_is_exact_on_a_linear_map():
    W = torch.tensor([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]])  # ||W||_2 = 2 sqrt(2)
    sigma = thm2._spectral_norm_reverse(lambda x: W @ x, torch.tensor([0.3, -1.0]))
    assert abs(sigma - 2 * math.sqrt(2)) < 1e-6


def test_both_routes_agree_where_forward_mode_exists():
    W = torch.randn(5, 3, generator=torch.Generator().manual_seed(1))
    f = lambda x: torch.tanh(W @ x)  # noqa: E731
    x0 = torch.tensor([0.1, 0.2, -0.3])
    v = torch.ones(3) / math.sqrt(3)
    power, full = thm2._power_iteration(f, x0, v, 50), thm2._spectral_norm_reverse(f, x0)
    assert power <= full + 1e-9 and abs(power - full) < 1e-4 * full


def test_lstm_is_probed_although_its_cpu_kernel_has_no_forward_mode():
    # `osp measure lstm --theorem2` exited 3: mkldnn_rnn_layer has no forward-mode derivative
    model = zoo.build("lstm", {"d_model": "16", "hidden": "16"})
    batch = next(make_task(model, (2,), 16).examples("calibration", 0, 2, 2))
    lam = thm2.probe_lipschitz(model, batch, examples=1, queries=1)
    assert lam is not None and math.isfinite(lam) and lam > 0


class _RowsFirst:
    """A state handed as per-row tensors (HF RWKV decodes each row alone): (1, D) per example."""
    name = "rows-first"

    def state_tensors(self, state):
        return [StateTensor(f"row{i}", t) for i, t in enumerate(state)]


def test_per_row_states_are_refused_not_misread():
    # hf:rwkv's quantized b_T(8) read 108800 bits for a 20480-bit state: 20 rows as one example
    state = [torch.zeros(1, 4) for _ in range(3)]
    with pytest.raises(ValueError, match=r"--quantize-bits: .*row0.* has shape \(1, 4\); the harness needs the batch"):
        require_batch_rows(_RowsFirst(), state, 3, "--quantize-bits")
    require_batch_rows(_RowsFirst(), [torch.zeros(3, 4)], 3, "--quantize-bits")  # batch first: fine


def test_margins_too_close_to_call_are_not_confident():
    from fractions import Fraction
    from osp.decimals import float_up
    # 0.1 as a float is above 1/10: "gap > 1/10" must not hold at gap = float(0.1) - a hair
    assert float_up(Fraction(1, 10)) >= 0.1 and float_up(Fraction(1, 8)) == 0.125
    gap = torch.tensor([0.125, 0.125 * (1 + 2 ** -52), 0.126, 0.0], dtype=torch.float64)
    assert thm2.certainly_above(gap, Fraction(1, 8)).tolist() == [False, False, True, False]


def test_state_norms_are_certified_upper_bounds():
    from fractions import Fraction
    from osp.harness.state import state_norms

    rows = torch.randn(4, 1000, generator=torch.Generator().manual_seed(0), dtype=torch.float32)
    norms = state_norms(_Flat(), [rows], 4)
    for row, bound in zip(rows.tolist(), norms.tolist()):
        exact_sq = sum(Fraction(v) ** 2 for v in row)
        assert Fraction(bound) ** 2 >= exact_sq  # never below the exact norm
        assert Fraction(bound) ** 2 <= exact_sq * (1 + Fraction(1, 10 ** 9))  # and barely above it


class _Flat:
    name = "flat"

    def state_tensors(self, state):
        return [StateTensor("s", t) for t in state]


def test_inside_ball_never_counts_a_state_past_R_as_inside():
    from fractions import Fraction
    from osp.harness.state import TINY_NORM, inside_ball, state_norms

    # ||(1, 1, 1)|| = sqrt 3, which float64 rounds DOWN: against R = that float, an uncertified
    # norm calls the state inside a ball it lies outside of (eps_plus would come out too low)
    ones = torch.ones(1, 3, dtype=torch.float64)
    R = Fraction(math.sqrt(3))
    assert R ** 2 < 3 and bool(ones.norm(dim=1)[0] <= float(R))  # the trap is real
    assert inside_ball(_Flat(), [ones], 1, R).tolist() == [False]
    assert inside_ball(_Flat(), [ones], 1, Fraction(1733, 1000)).tolist() == [True]
    # squares that underflow: torch's norm of (1e-200, 1e-200) is 0, the state is not in the R = 0 ball
    tiny = torch.tensor([[1e-200, 1e-200], [0.0, 0.0]], dtype=torch.float64)
    assert float(tiny.norm(dim=1)[0]) == 0
    assert inside_ball(_Flat(), [tiny], 2, Fraction(0)).tolist() == [False, True]
    assert state_norms(_Flat(), [tiny], 2).tolist() == [2 * TINY_NORM, 0.0]
    # not finite: outside, never inside
    bad = torch.tensor([[float("nan"), 0.0], [1e300, 1e300]], dtype=torch.float64)
    assert inside_ball(_Flat(), [bad], 2, Fraction(10) ** 400).tolist() == [False, False]
