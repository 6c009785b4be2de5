"""Theorem 2 measured (`--theorem2`; docs/theory.md section 4, "what the harness may assert").

One norm throughout: l2 of the flattened real state (a complex scalar counts
as two). D = real scalars of s_T per example.
- R: the largest ||s_T|| on the calibration split (a measurement); on the
  test split an example whose state lies outside the ball scores 1.
- eps_plus: an upper confidence bound (confidence.py) on the mean of the
  per-example scores: 1 if ||s_T|| > R, else the fraction of answers that are
  wrong or not delta-confident (top value logit not above every other by > delta).
- Lam: the spectral norm of the Jacobian of s_T -> value logits at one query
  (through every query-phase step), by power iteration on sampled examples
  and queries. It bounds each logit's Lipschitz constant at the points probed
  only: a LOWER estimate of the true constant. So a violation is
  INCONCLUSIVE, never a refutation; the check holds or is vacuous otherwise.
- Assert N Dfn(eps_plus, V) <= D log2(1 + 4 R Lam / delta) (+ Delta in
  zoology's layout) for each delta of the grid DELTA_GRID (logit units).
"""

from __future__ import annotations

import contextlib
import math
import warnings
from dataclasses import dataclass
from fractions import Fraction

import torch
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils import _pytree as pytree

from osp import exact, mqar
from osp.decimals import float_up
from osp.harness.checks import Check, compare, is_vacuous
from osp.harness.confidence import ErrorBound, error_upper
from osp.harness.data import Task
from osp.harness.state import (inside_ball, readable, real_scalars, require_batch_rows, run_queries, state_norms,
                               storing_state)
from osp.runtime.contract import OSP
from osp.status import Status

#: margins delta (logit units) at which Theorem 2 is asserted
DELTA_GRID = (Fraction(1, 8), Fraction(1, 2), Fraction(2))
#: power iteration: examples and queries probed, iterations each
PROBE_EXAMPLES, PROBE_QUERIES, POWER_ITERATIONS = 2, 2, 12


@dataclass(frozen=True)
class Theorem2Row:
    pairs: int
    delta: Fraction
    real_scalars: int
    radius: Fraction | None
    lipschitz: float | None  # probed
    eps_plus: ErrorBound | None
    bits_lo: Fraction | None
    bits_hi: Fraction | None
    check: Check | None
    status: Status
    reason: str

    def to_json(self) -> dict:
        return {"pairs": self.pairs, "delta": str(self.delta), "real_scalars": self.real_scalars,
                "radius": None if self.radius is None else float(self.radius), "lipschitz": self.lipschitz,
                "lipschitz_is": "probed on the states seen (power iteration; the whole Jacobian where "
                "torch has no forward mode): a lower estimate", "norm": "l2 of the flattened real state",
                "eps_plus": None if self.eps_plus is None else float(self.eps_plus.upper),
                "bound_bits": None if self.bits_lo is None else float(exact.decimal_down(self.bits_lo, 6)),
                "recall_bits": None if self.check is None else float(exact.decimal_down(self.check.recall_bits, 6)),
                "status": str(self.status), "holds": self.status.passes, "reason": self.reason}

    def findings(self) -> list[str]:
        return [] if self.status.passes else [f"Theorem 2 at N = {self.pairs}, delta = {self.delta}: {self.reason}"]


def _leaves(state):
    leaves, spec = pytree.tree_flatten(state)
    if not leaves or not all(isinstance(x, torch.Tensor) for x in leaves):
        return None, None
    return leaves, spec


@contextlib.contextmanager
def _differentiable_kernels():
    """The math attention kernel and no oneDNN / cuDNN RNN kernels: the fused ones have no
    forward-mode derivative (nn.LSTM's oneDNN kernel raises NotImplementedError under jvp)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")  # flags restored
        with sdpa_kernel([SDPBackend.MATH]), torch.backends.mkldnn.flags(enabled=False), \
                torch.backends.cudnn.flags(enabled=False):
            yield


def probe_lipschitz(model: OSP, batch: mqar.MqarBatch, examples: int = PROBE_EXAMPLES,
                    queries: int = PROBE_QUERIES, iterations: int = POWER_ITERATIONS) -> float | None:
    """Largest spectral norm of d(value logits at query j) / d(real s_T) seen; None when the
    state is not a tree of tensors (then Lam is not probed)."""
    g = torch.Generator().manual_seed(0)
    best = 0.0
    for one in batch.rows()[:examples]:
        leaves, spec = _leaves(storing_state(model, one))
        if leaves is None:
            return None
        real = [i for i, x in enumerate(leaves) if x.dtype.is_floating_point]
        sizes = [leaves[i].numel() for i in real]
        x0 = torch.cat([leaves[i].reshape(-1) for i in real]).detach()
        for j in torch.randperm(batch.num_pairs, generator=g)[:queries].tolist():
            def f(flat, j=j):
                new = list(leaves)
                for i, part in zip(real, flat.split(sizes)):
                    new[i] = part.view_as(leaves[i])
                return run_queries(model, pytree.tree_unflatten(new, spec), one)[0, j]  # (V,)
            v = torch.randn(x0.shape, generator=g, dtype=x0.dtype).to(x0.device)  # CPU draws, any device
            try:
                with _differentiable_kernels():
                    sigma = _power_iteration(f, x0, v / v.norm(), iterations)
            except NotImplementedError:  # an op with no forward-mode derivative: the whole Jacobian
                with _differentiable_kernels():
                    sigma = _spectral_norm_reverse(f, x0)
            best = max(best, sigma)
    return best


def _power_iteration(f, x0: torch.Tensor, v: torch.Tensor, iterations: int) -> float:
    """||J v|| after power iteration on J^T J, J = df/dx at x0 (forward mode for J v)."""
    sigma = 0.0
    for _ in range(iterations):
        # the math attention kernel: the fused CPU kernel has no forward-mode derivative
        with torch.enable_grad(), sdpa_kernel([SDPBackend.MATH]):
            _, jv = torch.func.jvp(f, (x0,), (v,))
            _, vjp = torch.func.vjp(f, x0)
            (w,) = vjp(jv)
        sigma = float(jv.norm())
        if float(w.norm()) == 0:
            break
        v = w / w.norm()
    return sigma


def _spectral_norm_reverse(f, x0: torch.Tensor) -> float:
    """||J||_2 from the whole Jacobian, one reverse pass per logit (V of them): for the ops
    that have a backward but no forward-mode derivative."""
    with torch.enable_grad(), sdpa_kernel([SDPBackend.MATH]):
        out, vjp = torch.func.vjp(f, x0)  # out: (V,)
        rows = [vjp(torch.nn.functional.one_hot(torch.tensor(k), out.numel()).to(out))[0]
                for k in range(out.numel())]
    return float(torch.linalg.matrix_norm(torch.stack(rows).detach(), ord=2))  # (V, S) -> largest singular value


def certainly_above(gap: torch.Tensor, delta: Fraction) -> torch.Tensor:
    """Where the true margin top1 - top2 certainly exceeds delta: the float64 difference errs by at
    most 2^-53 relative, so gap (1 - 2^-51), rounded, stays below the true margin; delta is rounded
    up. A margin too close to call counts as not delta-confident, which can only raise the error."""
    return gap * (1 - 2.0 ** -51) > float_up(delta)


@torch.no_grad()
def measure_theorem2(model: OSP, task: Task, tc, n: int, deltas, test_examples: int, calibration_examples: int,
                     alpha: Fraction) -> list[Theorem2Row]:
    probe = next(task.examples("calibration", tc.seed, n, PROBE_EXAMPLES)).to(tc.device)
    first = next(readable(model, [probe], tc.device))
    probe_state = storing_state(model, first)
    require_batch_rows(model, probe_state, first.tokens.shape[0], "--theorem2")
    D = real_scalars(model, probe_state, first.tokens.shape[0])
    if D == 0:
        return [Theorem2Row(n, d, 0, None, None, None, None, None, None, Status.VACUOUS,
                            "vacuous: the state has no real scalars (Theorem 2 is about continuous states)")
                for d in deltas]
    norms = [state_norms(model, storing_state(model, b), b.tokens.shape[0])
             for b in readable(model, task.examples("calibration", tc.seed, n, calibration_examples), tc.device)]
    R_float = float(torch.cat(norms).max())
    if not math.isfinite(R_float):  # Fraction() of it would crash (exit 3) or read NaN as a radius
        raise ValueError(f"{model.name}: a calibration state's norm is not finite ({R_float}; a diverged training?)")
    R = Fraction(R_float)  # >= every calibration norm: the bounds are certified
    try:
        lam, not_probed = probe_lipschitz(model, probe), "Lam not probed: the state is not a tree of tensors"
    except NotImplementedError as err:  # an op without a forward-mode derivative: no Lam, never a crash
        lam, not_probed = None, f"Lam not probed: {str(err).splitlines()[0] if str(err) else type(err).__name__}"
    per_delta: dict[Fraction, list[Fraction]] = {d: [] for d in deltas}
    for b in readable(model, task.examples("test", tc.seed, n, test_examples), tc.device):
        state = storing_state(model, b)
        outside = ~inside_ball(model, state, b.tokens.shape[0], R)  # (B,) certainly inside or scores 1
        logits = run_queries(model, state, b).double()  # (B, N, V), exact: logits widen exactly
        top2 = logits.topk(2, dim=-1).values
        gap, wrong = top2[..., 0] - top2[..., 1], logits.argmax(-1) != b.target_values
        for d in deltas:
            bad = (wrong | ~certainly_above(gap, d)).sum(dim=1)
            per_delta[d] += [Fraction(1) if o else Fraction(int(k), n) for o, k in zip(outside.tolist(), bad.tolist())]
    rows = []
    for d in deltas:
        eb = error_upper(per_delta[d], alpha)
        if is_vacuous(eb.upper, task.num_values):  # nothing to assert, whatever Lam is
            c = compare(n, eb.upper, task.num_values, Fraction(0))
            rows.append(Theorem2Row(n, d, D, R, lam, eb, None, None, c, c.status, c.reason))
            continue
        if lam is None or lam == 0:
            why = not_probed if lam is None else "probed Lam is 0"
            rows.append(Theorem2Row(n, d, D, R, lam, eb, None, None, None, Status.INCONCLUSIVE, why))
            continue
        logs = ((D, 1 + 4 * R * Fraction(lam) / d),)  # D log2(1 + 4 R Lam / delta), exact inputs
        if task.layout(n).values_without_replacement:
            logs += mqar.delta_bits(n, task.num_values).logs
        c = compare(n, eb.upper, task.num_values, Fraction(0), logs)
        lo, hi = c.rhs_lo, c.rhs_hi
        status, reason = c.status, c.reason
        if c.status is Status.VIOLATED:
            status = Status.INCONCLUSIVE
            reason = ("inconclusive: N Dfn(eps_plus, V) exceeds D log2(1 + 4 R Lam / delta) with a PROBED Lam, "
                      "a lower estimate of the true constant; not a refutation")
        rows.append(Theorem2Row(n, d, D, R, lam, eb, lo, hi, c, status, reason))
    return rows
