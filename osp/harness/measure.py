"""`osp measure`: a model's recall capacity, asserted below Theorem 1 (and 2).

For each pair count N, on the test split: accuracy (argmax over the value
alphabet), `error_upper` (confidence.py, the example as the unit), b_T read
from the live state after the 2N storing tokens, and Theorem 1's check
N Dfn(error_upper, V) <= b_T (+ Delta in zoology's layout). `recall_bits`
is a certified lower bound on N Dfn(error_upper, V) (- Delta): at the run's
confidence, the information the state provably carries. Every bound of the
run shares one --confidence through a Bonferroni split. Verdicts are
osp.status values; the exit code is the worst one's.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from fractions import Fraction

import torch

from osp import exact, mqar
from osp.harness import quantize as quant
from osp.harness import theorem2 as thm2
from osp.harness.checks import Check, compare
from osp.harness.confidence import ConfidenceSplit, ErrorBound, error_upper
from osp.harness.data import Task
from osp.harness.provenance import provenance
from osp.harness.state import per_example_bits, storing_state
from osp.harness.store import load_checkpoint
from osp.harness.train import TrainConfig, TrainResult, make_task, train, trainable_parameters, value_logits
from osp.runtime import zoo
from osp.runtime.contract import OSP
from osp.status import Status, worst


@dataclass(frozen=True)
class MeasureConfig:
    train: TrainConfig = TrainConfig()
    model_overrides: tuple[tuple[str, str], ...] = ()  # `--set` for a model given by name
    error: Fraction = Fraction(1, 20)  # capacity_pairs: largest N with error_upper <= error
    confidence: Fraction = Fraction(19, 20)
    test_examples: int = 1000  # per pair count
    calibration_examples: int = 256  # per pair count (Theorem 2's R)
    declared_state_bits: Fraction | None = None
    quantize_bits: tuple[int, ...] = ()
    theorem2: bool = False
    deltas: tuple[Fraction, ...] = thm2.DELTA_GRID
    load: str | None = None  # a checkpoint instead of training

    def __post_init__(self):
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must lie in (0, 1), got {self.confidence}")
        if not 0 <= self.error <= 1:
            raise ValueError(f"error must lie in [0, 1], got {self.error}")
        if self.test_examples < 2 or self.calibration_examples < 1:
            raise ValueError("need at least 2 test examples and 1 calibration example per pair count")
        if self.declared_state_bits is not None and self.declared_state_bits < 0:
            raise ValueError(f"declared state bits must be >= 0, got {self.declared_state_bits}")
        if any(not 1 <= p <= 32 for p in self.quantize_bits):
            raise ValueError(f"quantize bits must lie in [1, 32], got {list(self.quantize_bits)}")
        if any(d <= 0 for d in self.deltas):
            raise ValueError("every margin delta must be > 0")

    def checks_per_pairs(self) -> int:
        return 1 + len(self.quantize_bits) + (len(self.deltas) if self.theorem2 else 0)

    def to_json(self) -> dict:
        out = dataclasses.asdict(self)
        out["train"] = self.train.to_json()
        for k in ("error", "confidence", "declared_state_bits"):
            out[k] = None if out[k] is None else str(out[k])
        out["deltas"] = [str(d) for d in self.deltas]
        out["quantize_bits"] = list(self.quantize_bits)
        out["model_overrides"] = dict(self.model_overrides)
        return out


@dataclass(frozen=True)
class Row:
    pairs: int
    accuracy: float
    error: ErrorBound
    state_bits: int
    bound_pairs: int | None  # floor((b_T + Delta) / Dfn(error_upper, V)); None when vacuous
    theorem1: Check
    delta: mqar.DeltaBits | None
    declared: Check | None
    state_tensors: tuple[str, ...]

    def to_json(self) -> dict:
        t = self.theorem1
        out = {"pairs": self.pairs, "accuracy": self.accuracy, "error_mean": float(self.error.mean),
               "error_upper": float(self.error.upper), "error_bound": self.error.to_json(),
               "state_bits": self.state_bits, "bound_pairs": self.bound_pairs,
               "recall_bits": float(exact.decimal_down(t.recall_bits, 6)),
               "recall_fraction_of_state": None if not self.state_bits else
               float(exact.decimal_down(t.recall_bits / self.state_bits, 6)),
               "holds": t.status.passes, "status": str(t.status), "reason": t.reason,
               "delta_bits": None if self.delta is None else self.delta.to_json(),
               "state_tensors": list(self.state_tensors)}
        if self.declared is not None:
            out["declared"] = {"status": str(self.declared.status), "reason": self.declared.reason}
        return out


@dataclass(frozen=True)
class MeasureResult:
    model: str
    config: MeasureConfig
    values: int  # V, the value alphabet
    layout: str
    training: TrainResult | None
    rows: list[Row]
    capacity_pairs: int | None
    theorem2: list[thm2.Theorem2Row]
    quantized: list[quant.QuantRow]
    split: ConfidenceSplit
    status: Status
    findings: list[str]
    provenance: dict = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return self.status.exit_code

    def to_json(self) -> dict:
        return {"model": self.model, "values": self.values, "layout": self.layout,
                "accuracy_is": "argmax over the value alphabet (V values), test split",
                "capacity_pairs": self.capacity_pairs, "per_pairs": [r.to_json() for r in self.rows],
                "theorem2": [r.to_json() for r in self.theorem2] if self.config.theorem2 else None,
                "quantized": [q.to_json() for q in self.quantized], "verdict": str(self.status),
                "findings": self.findings, "confidence": self.split.to_json(),
                "training": None if self.training is None else self.training.to_json(),
                "provenance": self.provenance}


def build_model(model: str | OSP, config: MeasureConfig) -> OSP:
    if isinstance(model, str):
        return zoo.build(model, dict(config.model_overrides), config.train.device)
    return model


def _test_split(model: OSP, task: Task, config: MeasureConfig, n: int):
    """Per-example error fractions (exact), accuracy and b_T on the test split for N pairs."""
    fractions: list[Fraction] = []
    bits, names = 0, ()
    for b in task.examples("test", config.train.seed, n, config.test_examples):
        b = b.to(config.train.device)
        wrong = (value_logits(model, b).argmax(-1) != b.target_values).sum(dim=1)  # (B,)
        fractions += [Fraction(int(w), n) for w in wrong.tolist()]
        state = storing_state(model, b)
        bits = max(bits, per_example_bits(model, state, b.tokens.shape[0]))
        names = tuple(st.name for st in model.state_tensors(state))
    return fractions, bits, names


def _row(n: int, fractions, bits: int, names, task: Task, config: MeasureConfig, alpha: Fraction) -> Row:
    V = task.num_values
    eb = error_upper(fractions, alpha)
    delta = mqar.delta_bits(n, V) if task.layout(n).values_without_replacement else None
    logs = delta.logs if delta else ()
    t1 = compare(n, eb.upper, V, Fraction(bits), logs)
    bound = None
    if t1.status is not Status.VACUOUS:
        try:
            bound = exact.floor_bound(Fraction(bits), eb.upper, V, logs=logs)
        except exact.UndecidedError:  # a report, not a verdict: leave it out rather than guess
            bound = None
    declared = None
    if config.declared_state_bits is not None:
        d = compare(n, eb.upper, V, config.declared_state_bits, logs)
        declared = dataclasses.replace(d, status={Status.VIOLATED: Status.REFUTED,
                                                  Status.HOLDS: Status.CONSISTENT}.get(d.status, d.status))
    return Row(n, 1 - float(eb.mean), eb, bits, bound, t1, delta, declared, names)


def _findings(model: str, rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        if r.theorem1.status is Status.VIOLATED:
            out.append(f"{model}: Theorem 1 violated at N = {r.pairs}: recall_bits >= "
                       f"{exact.decimal_down(r.theorem1.recall_bits)} > b_T = {r.state_bits} bits measured in "
                       f"state tensors [{', '.join(r.state_tensors)}]: the state accounting misses something, or an "
                       f"event of probability <= 1 - confidence happened (error_upper = {float(r.error.upper):.6g})")
        elif r.theorem1.status is Status.INCONCLUSIVE:
            out.append(f"{model}: Theorem 1 at N = {r.pairs} inconclusive: {r.theorem1.reason}")
        if r.declared is not None and not r.declared.status.passes:
            out.append(f"{model}: declared state of {exact.decimal_down(r.declared.rhs_lo, 3)} bits "
                       f"{r.declared.status} at N = {r.pairs}: N Dfn(error_upper, V) >= "
                       f"{exact.decimal_down(r.declared.recall_bits)} bits must fit in the state")
    return out


def measure(model: str | OSP, config: MeasureConfig = MeasureConfig(), *, progress: bool = False) -> MeasureResult:
    """Train (or load) the model, then measure every pair count on the test split."""
    start = time.perf_counter()
    torch.set_num_threads(config.train.threads)
    osp = build_model(model, config)
    tc = config.train
    task = make_task(osp, tc.pairs, tc.run_length, tc.layout, tc.num_values)
    training = None
    if config.load is not None:
        load_checkpoint(osp, config.load)
    elif trainable_parameters(osp):  # models without parameters are evaluated as they are
        training = train(osp, tc, progress=progress, task=task)
    if isinstance(osp, torch.nn.Module):
        osp.eval()
    split = ConfidenceSplit(config.confidence, len(task.pairs) * config.checks_per_pairs())
    alpha = split.alpha_per_check
    rows, t2_rows, q_rows = [], [], []
    with torch.no_grad():
        for n in task.pairs:
            fractions, bits, names = _test_split(osp, task, config, n)
            rows.append(_row(n, fractions, bits, names, task, config, alpha))
            for p in config.quantize_bits:
                q_rows.append(quant.measure_quantized(osp, task, config.train, n, p, config.test_examples, alpha))
    if config.theorem2:
        for n in task.pairs:  # no_grad inside: the Lipschitz probe turns gradients on where it needs them
            t2_rows += thm2.measure_theorem2(osp, task, config.train, n, config.deltas, config.test_examples,
                                             config.calibration_examples, alpha)
    capacity = max((r.pairs for r in rows if r.error.upper <= config.error), default=None)
    statuses = [r.theorem1.status for r in rows] + [r.declared.status for r in rows if r.declared]
    statuses += [r.status for r in t2_rows] + [q.check.status for q in q_rows]
    findings = _findings(osp.name, rows) + [f for r in t2_rows for f in r.findings()]
    findings += [f for q in q_rows for f in q.findings(osp.name)]
    prov = provenance(seed=tc.seed, config=config.to_json(), device=tc.device, threads=tc.threads,
                      wall_seconds=time.perf_counter() - start)
    return MeasureResult(osp.name if isinstance(model, OSP) else model, config, task.num_values,
                         task.layouts[0][1].name, training, rows, capacity, t2_rows, q_rows, split,
                         worst(statuses, default=Status.HOLDS), findings, prov)
