"""The training and measuring harness (osp.harness): fixed step counts, tiny models."""

import json
import math
from fractions import Fraction

import pytest
import torch

from harness_models import (KnownBit, KnownBit64, LayerFirst, LinearReadout, NanLogits, NegativeBits,
                            UnderDeclaredTable)
from osp import mqar
from osp.cli import main
from osp.harness import theorem2 as thm2
from osp.harness.checks import compare
from osp.harness.confidence import error_upper
from osp.harness.data import seed_of
from osp.harness.measure import MeasureConfig, measure
from osp.harness.store import load_checkpoint, save_checkpoint
from osp.harness.train import TrainConfig, make_task, train
from osp.runtime import zoo
from osp.runtime.witnesses.key_table import KeyTableConfig
from osp.status import Status

torch.set_num_threads(1)


def test_split_seeds_are_disjoint():
    seeds = {seed_of(s, split, i) for s in (0, 1) for split in ("train", "validation", "calibration", "test")
             for i in (0, 1, 2 ** 32 - 1)}
    assert len(seeds) == 2 * 4 * 3


def test_key_table_at_eps_zero_sits_between_the_bounds():
    V = 16
    r = measure("key-table", MeasureConfig(train=TrainConfig(pairs=(1, 2, 3, 5, 8), length=32), test_examples=64))
    assert r.status is Status.HOLDS and r.exit_code == 0
    for row in r.rows:
        N = row.pairs
        assert row.accuracy == 1.0
        assert N * math.log2(V) <= row.state_bits <= N * math.ceil(math.log2(V)) + math.ceil(math.log2(N + 1))
    assert r.capacity_pairs is None  # 64 examples cannot certify error <= 0.05 at 95%
    assert r.rows[-1].theorem1.recall_bits > 0


@pytest.mark.parametrize("N", [8, 16])
def test_window_error_past_half_window_matches_closed_form(N):
    w, V = 8, 16
    r = measure("window", MeasureConfig(train=TrainConfig(pairs=(N,), length=4 * N), test_examples=400))
    # a key is found iff its pair is among the last w tokens: query i finds it with probability
    # max(0, w/2 - i) / N; a miss answers value 0, right 1/V of the time
    found = (w // 2) * (w // 2 + 1) / (2 * N * N)
    closed = (1 - found) * (1 - 1 / V)
    mean = float(r.rows[0].error.mean)
    assert abs(mean - closed) < 0.02, (mean, closed)
    assert r.rows[0].error.upper >= r.rows[0].error.mean


def test_small_model_learns_in_fixed_steps():
    model = zoo.build("attention", {"vocab_size": "16", "d_model": "16"})
    config = TrainConfig(pairs=(1,), length=8, num_values=4, steps=100, eval_every=100, seed=0)
    r = train(model, config, progress=False)
    assert r.trained and r.steps == 100
    assert r.accuracy >= 0.95  # chance is 1/4
    again = train(zoo.build("attention", {"vocab_size": "16", "d_model": "16"}), config, progress=False)
    assert again.accuracy == r.accuracy and again.loss == r.loss  # deterministic


def test_query_logits_match_forward():
    model = zoo.build("attention", {"vocab_size": "32"})
    b = mqar.generate(mqar.layout_for("paper", 32), 3, 2, seed=0, length=16)
    cols = b.layout.value_tokens
    fast = model.query_logits(b.tokens, b.query_positions, cols)
    full = mqar.query_value_logits(model.forward(b.tokens), b)
    assert torch.allclose(fast, full, atol=1e-6)


def test_under_declared_state_is_a_violation():
    r = measure(UnderDeclaredTable(KeyTableConfig(num_values=16)),
                MeasureConfig(train=TrainConfig(pairs=(8,), length=32), test_examples=200))
    assert r.status is Status.VIOLATED and r.exit_code == 1
    assert any("pending" in f and "violated" in f for f in r.findings)


def test_declared_state_bits_refuted_with_numbers():
    r = measure("key-table", MeasureConfig(train=TrainConfig(pairs=(8,), length=32), test_examples=200,
                                           declared_state_bits=Fraction(10)))
    assert r.rows[0].declared.status is Status.REFUTED and r.status is Status.REFUTED
    assert "10" in r.findings[0]


def test_theorem2_quantities_on_a_known_model():
    model = LinearReadout()
    task = make_task(model, (1,), 4)
    tc = TrainConfig(pairs=(1,), length=4)
    rows = thm2.measure_theorem2(model, task, tc, 1, (Fraction(1, 2),), 300, 64, Fraction(1, 100))
    (row,) = rows
    # R is the largest norm seen (3 here), as a certified upper bound: above 3 by rounding slack only
    assert row.real_scalars == 2 and 3 <= row.radius <= 3 * (1 + Fraction(1, 2 ** 40))
    assert abs(row.lipschitz - LinearReadout.LAM) < 1e-6
    # every answer is right with gap 2 * 3 = 6 > delta, no state outside the ball
    assert row.eps_plus.mean == 0 and row.status is Status.HOLDS
    want = 2 * math.log2(1 + 4 * 3 * row.lipschitz / 0.5)  # D log2(1 + 4 R Lam / delta) at the probed Lam
    assert row.bits_lo <= row.bits_hi and row.bits_hi - row.bits_lo < Fraction(1, 10 ** 20)
    assert abs(float(row.bits_lo) - want) < 1e-9


def test_text_view_prints_R_rounded_up_and_the_probed_Lam_down():
    """R is a largest norm (an upper bound), the probed Lam a lower estimate: each printed value must stay
    on its side (to nearest, 1.2344999 printed as 1.234 and 2.82864 as 2.829, both on the wrong side)."""
    import dataclasses

    from osp.render.measure import render_measure

    r = measure(LinearReadout(), MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=50,
                                               calibration_examples=8, theorem2=True, deltas=(Fraction(1, 2),)))
    row = dataclasses.replace(r.theorem2[0], radius=Fraction(12344999, 10 ** 7), lipschitz=2.82864)
    line = next(x for x in render_measure(dataclasses.replace(r, theorem2=(row,))).splitlines() if "Lam =" in x)
    assert "R = 1.235," in line and "Lam = 2.828:" in line, line


def test_theorem2_violation_with_probed_lipschitz_is_inconclusive(monkeypatch):
    model = LinearReadout()
    task = make_task(model, (1,), 4)
    tc = TrainConfig(pairs=(1,), length=4)
    # a huge delta: nothing is delta-confident, eps_plus = 1 >= 1 - 1/V: vacuous
    (row,) = thm2.measure_theorem2(model, task, tc, 1, (Fraction(100),), 50, 8, Fraction(1, 100))
    assert row.status is Status.VACUOUS
    # a probe that underestimates Lam 10^6-fold makes the bound fail: inconclusive, never a refutation
    monkeypatch.setattr(thm2, "probe_lipschitz", lambda *a, **k: LinearReadout.LAM * 1e-6)
    (row,) = thm2.measure_theorem2(model, task, tc, 1, (Fraction(1, 2),), 300, 64, Fraction(1, 100))
    assert row.check.status is Status.VIOLATED and row.status is Status.INCONCLUSIVE
    assert "PROBED" in row.reason and row.findings()


def test_quantization_loses_a_known_bit():
    r = measure(KnownBit(), MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=400,
                                          quantize_bits=(1, 2)))
    one, two = r.quantized
    assert abs(one.accuracy - 0.5) < 0.08 and two.accuracy == 1.0
    assert (one.state_bits, two.state_bits) == (3 * 1 + 64, 3 * 2 + 64)
    assert r.split.checks == 3  # one per bound: plain, p = 1, p = 2


def test_edge_is_vacuous():
    V = 16
    c = compare(4, 1 - Fraction(1, V), V, Fraction(0), Fraction(0))
    assert c.status is Status.VACUOUS and c.recall_bits == 0
    r = measure("window", MeasureConfig(train=TrainConfig(pairs=(16,), length=64), test_examples=30))
    (row,) = r.rows
    assert row.error.upper >= 1 - Fraction(1, V)
    assert row.theorem1.status is Status.VACUOUS and row.bound_pairs is None and r.exit_code == 0


def test_confidence_bound():
    eb = error_upper([Fraction(0)] * 1000, Fraction(1, 20))
    assert eb.mean == 0 and 0 < eb.upper < Fraction(3, 100) and eb.method == "empirical-bernstein"
    half = error_upper([Fraction(0), Fraction(1)] * 500, Fraction(1, 20))
    hoeffding = 0.5 + math.sqrt(math.log(2 / (1 / 20)) / 2000)
    assert half.method == "hoeffding" and hoeffding <= float(half.upper) < hoeffding + 1e-11
    with pytest.raises(ValueError):
        error_upper([Fraction(2), Fraction(0)], Fraction(1, 20))


def test_checkpoint_round_trip(tmp_path):
    model = zoo.build("attention", {"vocab_size": "16", "d_model": "16"})
    train(model, TrainConfig(pairs=(1,), length=8, num_values=4, steps=5, eval_every=5), progress=False)
    save_checkpoint(model, tmp_path / "m.pt", {})
    fresh = zoo.build("attention", {"vocab_size": "16", "d_model": "16", "seed": "1"})
    load_checkpoint(fresh, tmp_path / "m.pt")
    x = torch.randint(0, 16, (2, 8))
    assert torch.equal(model(x), fresh(x))


def test_cli_measure_json_out_and_exit_codes(tmp_path, capsys):
    out = tmp_path / "r.json"
    code = main(["measure", "key-table", "--pairs", "2,4", "--length", "16", "--test-examples", "50", "--json",
                 "--out", str(out)])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads(out.read_text())
    assert printed["per_pairs"] == saved["per_pairs"]
    for key in ("model", "capacity_pairs", "per_pairs", "theorem2", "quantized", "verdict", "findings",
                "confidence", "provenance"):
        assert key in saved
    for key in ("pairs", "accuracy", "error_upper", "state_bits", "bound_pairs", "recall_bits", "holds"):
        assert key in saved["per_pairs"][0]
    assert saved["confidence"]["checks"] == 2
    assert {"osp_version", "torch", "seed", "threads", "wall_seconds", "git_commit"} <= set(saved["provenance"])
    assert main(["measure", "key-table", "--pairs", "2", "--declared-state-bits", "1", "--test-examples", "50",
                 "--json"]) == 1


@pytest.mark.parametrize("argv", [["measure", "key-table", "--pairs", "0"],
                                  ["measure", "key-table", "--pairs", "40", "--length", "16"],
                                  ["measure", "key-table", "--confidence", "2"],
                                  ["train", "attention", "--steps", "-1"],
                                  ["train", "attention", "--load", "/nonexistent.pt"],
                                  # sizes that once exhausted memory (exit 3) or overflowed a batch index
                                  ["train", "lstm", "--steps", "1", "--length", "99999999999"],
                                  ["train", "lstm", "--steps", "1", "--batch-size", "99999999"],
                                  ["train", "lstm", "--tokens", "100000000000000000000"],
                                  ["measure", "key-table", "--test-examples", "99999999999"]])
def test_cli_bad_input_exits_2(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("osp: error:") and len(err.strip().splitlines()) == 1


def test_zoology_delta_enters_the_check_exactly():
    # eps = 0, V = 4, N = 4: N log2 V = 8 bits; Delta = log2(4^4 / (4*3*2*1)) = 3.415 bits
    delta = mqar.delta_bits(4, 4)
    assert delta.ratio == Fraction(256, 24)
    assert compare(4, Fraction(0), 4, Fraction(5)).status is Status.VIOLATED
    with_delta = compare(4, Fraction(0), 4, Fraction(5), delta.logs)
    assert with_delta.status is Status.HOLDS and with_delta.rhs_lo <= 5 + delta.upper
    assert compare(4, Fraction(0), 4, Fraction(4), delta.logs).status is Status.VIOLATED  # 8 > 7.415


def test_zoology_layout_measure_runs_and_reports_delta():
    r = measure("attention", MeasureConfig(train=TrainConfig(pairs=(2,), length=16, layout="zoology", steps=0),
                                           model_overrides=(("vocab_size", "32"),), test_examples=20))
    (row,) = r.rows
    assert r.layout == "zoology" and r.values == 16 and row.delta is not None and row.delta.pairs == 2


def test_decaying_recurrence_falls_as_the_bounds_say():
    r = measure("decaying-recurrence", MeasureConfig(train=TrainConfig(pairs=(2, 8, 32), length=128),
                                                     test_examples=40))
    acc = [row.accuracy for row in r.rows]
    assert acc[0] > acc[1] > acc[2]  # constant state: recall collapses as N grows
    assert len({row.state_bits for row in r.rows}) == 1  # b_T does not grow with N
    assert all(row.theorem1.status in (Status.HOLDS, Status.VACUOUS) for row in r.rows) and r.exit_code == 0


def test_position_embeddings_let_attention_learn_two_pairs():
    model = zoo.build("attention", {"vocab_size": "32", "d_model": "32", "positions": "16"})
    r = train(model, TrainConfig(pairs=(1, 2), length=16, num_values=8, steps=300, eval_every=300, batch_size=32),
              progress=False)
    assert r.accuracy_by_pairs[1] >= 0.95 and r.accuracy_by_pairs[2] >= 0.4  # chance is 1/8


def test_the_deciding_module_touches_no_float():
    """osp/harness/checks.py decides every measured verdict: exact inputs only."""
    import ast
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "osp/harness/checks.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "float", f"checks.py:{node.lineno} calls float()"
        if isinstance(node, ast.Constant):
            assert not isinstance(node.value, float), f"checks.py:{node.lineno} has a float literal"


def test_lstm_theorem2_and_quantization_are_per_example():
    """nn.LSTM keeps (n_layers, B, hidden): norms, R and quantizers must still be per example, and
    its fused kernel has no forward-mode derivative (the probe once crashed with exit 3)."""
    config = MeasureConfig(train=TrainConfig(pairs=(2,), length=16, steps=0), test_examples=20,
                           calibration_examples=8, theorem2=True, quantize_bits=(2,), deltas=(Fraction(1, 8),),
                           model_overrides=(("d_model", "8"), ("hidden", "8"), ("n_layers", "2")))
    r = measure("lstm", config)
    (t2,), (q,) = r.theorem2, r.quantized
    D = 2 * 2 * 8  # h and c, 2 layers, 8 each, per example
    assert t2.real_scalars == D and q.quantized.real_scalars == D
    assert q.state_bits == D * 2 + 2 * 64 and r.rows[0].state_bits == D * 32
    assert t2.eps_plus.examples == 20 and q.error.examples == 20
    assert t2.lipschitz is not None and t2.lipschitz > 0


def test_quantizer_counts_its_offset_and_scale_in_the_state_dtype():
    r = measure(KnownBit64(), MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=50,
                                            quantize_bits=(2,)))
    (q,) = r.quantized
    assert q.state_bits == 3 * 2 + 2 * 64 and q.to_json()["scale_bits"] == 128


def test_an_empty_state_tensor_is_quantized_as_nothing():
    """conv-attention with d_conv = 1 keeps an empty convolution window (B, 0, D) per layer: it holds
    no scalars and needs no offset or scale (its min() once crashed the quantizer with exit 3)."""
    config = MeasureConfig(train=TrainConfig(pairs=(2,), length=16, steps=0), test_examples=10, quantize_bits=(4,),
                           model_overrides=(("d_conv", "1"), ("d_model", "8"), ("n_heads", "1")))
    (q,) = measure("conv-attention", config).quantized
    D = 2 * 2 * 4 * 8  # k and v of the 4 storing tokens, 8 wide, 2 layers; the windows hold nothing
    assert q.quantized.real_scalars == D and q.quantized.real_tensors == 4
    assert q.state_bits == 4 * D + 4 * 64


def test_a_state_without_the_batch_first_is_an_error_not_a_guess():
    with pytest.raises(ValueError, match="'s' has shape"):
        measure(LayerFirst(), MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=20,
                                            quantize_bits=(2,)))


def test_text_view_prints_the_used_share_rounded_down():
    from osp.render.measure import render_measure

    r = measure("key-table", MeasureConfig(train=TrainConfig(pairs=(8,), length=32), test_examples=200))
    (row,) = r.rows
    share = row.theorem1.recall_bits / row.state_bits
    line = next(x for x in render_measure(r).splitlines() if x.split()[:1] == ["8"])
    printed = Fraction(line.split()[5])
    assert printed <= share < printed + Fraction(1, 100)


@pytest.mark.parametrize("flag", ["--out", "--save"])
@pytest.mark.parametrize("where", ["folder", "under-a-file", "missing-folder"])
def test_cli_bad_output_path_exits_2_before_training(tmp_path, capsys, flag, where):
    (tmp_path / "file").write_text("x")
    out = {"folder": tmp_path, "under-a-file": tmp_path / "file" / "r", "missing-folder": tmp_path / "no" / "r"}[where]
    assert main(["train", "attention", "--steps", "100000", flag, str(out)]) == 2  # would train for minutes
    err = capsys.readouterr().err
    assert err.startswith(f"osp: error: {flag}") and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("model, message", [(NanLogits(), "not finite"), (NegativeBits(), "< 0")])
def test_junk_from_a_model_is_an_error_not_a_measurement(model, message):
    """NaN logits once scored as answers (argmax picks the NaN) and negative widths as 0-bit states:
    both passed with exit 0."""
    with pytest.raises(ValueError, match=message):
        measure(model, MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=20))


def test_a_tape_osp_is_not_held_to_theorem_1():
    """The rescan witness (W2) recalls with no carried state: that is docs/theory.md's point about tape
    OSPs, not a violation (it was reported as "Theorem 1 violated ... the state accounting misses something")."""
    from osp.render.measure import render_measure

    r = measure("rescan", MeasureConfig(train=TrainConfig(pairs=(4,), length=16), test_examples=50,
                                        declared_state_bits=Fraction(1), quantize_bits=(2,)))
    (row,) = r.rows
    assert row.accuracy == 1.0 and row.state_bits == 0
    assert row.theorem1.status is Status.VACUOUS and "tape OSP" in row.theorem1.reason
    assert row.declared.status is Status.VACUOUS and r.quantized == [] and r.findings == []
    assert r.exit_code == 0 and "not applicable" in render_measure(r)
    pure = measure(UnderDeclaredTable(KeyTableConfig(num_values=16)),
                   MeasureConfig(train=TrainConfig(pairs=(4,), length=16), test_examples=50))
    assert pure.status is Status.VIOLATED  # a pure OSP with the same zero-bit listing is still a finding


def test_cli_train_zero_steps_renders(capsys):
    """--steps 0 (the model as initialised) has no loss: the text view once crashed on it (exit 3)."""
    assert main(["train", "attention", "--set", "vocab_size=16", "--steps", "0", "--length", "8", "--pairs", "1",
                 "--values", "4"]) == 0
    assert "0 steps" in capsys.readouterr().out


def test_theorem2_at_the_edge_is_vacuous_even_without_a_probed_lam(monkeypatch):
    """eps_plus >= 1 - 1/V asserts nothing whatever Lam is: it was 'inconclusive' (exit 1) when Lam could
    not be probed (every HF cache, any untrained model)."""
    model = LinearReadout()
    task = make_task(model, (1,), 4)
    monkeypatch.setattr(thm2, "probe_lipschitz", lambda *a, **k: None)
    (row,) = thm2.measure_theorem2(model, task, TrainConfig(pairs=(1,), length=4), 1, (Fraction(100),), 50, 8,
                                   Fraction(1, 100))
    assert row.status is Status.VACUOUS
    (row,) = thm2.measure_theorem2(model, task, TrainConfig(pairs=(1,), length=4), 1, (Fraction(1, 2),), 50, 8,
                                   Fraction(1, 100))
    assert row.status is Status.INCONCLUSIVE and "not probed" in row.reason


def test_zoology_declared_finding_names_the_declared_size_not_size_plus_delta():
    """In zoology's layout the declared check's right side is B + Delta: the finding once printed that sum
    (rounded down) as "declared state of ... bits"."""
    import dataclasses

    from osp.harness import measure as measure_mod

    r = measure("key-table", MeasureConfig(train=TrainConfig(pairs=(8,), length=32), test_examples=200,
                                           declared_state_bits=Fraction(10)))
    (row,) = r.rows
    delta = mqar.delta_bits(8, 16)
    zoo_row = dataclasses.replace(row, delta=delta, declared=dataclasses.replace(row.declared, rhs_lo=10 + delta.lower))
    (finding,) = measure_mod._findings("m", [zoo_row], Fraction(10))
    assert "declared state of 10 bits refuted" in finding and "N Dfn(error_upper, V) - Delta >=" in finding
