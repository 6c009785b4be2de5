"""What a finished sweep shows: the learning-rate choice and the figure data the report reads.

The learning rate of each model and width is the candidate with the highest
validation accuracy (the trainer's validation split, mean over seeds; ties go
to the first candidate in the spec): never the test split. Only chosen runs
enter the figures; every run's verdict enters the sweep's verdict, so a
Theorem 1 violation in any run shows.

Figures (one entry each, data only; labels say what is measured):
- capacity_vs_state_bits: per chosen run and pair count, b_T, accuracy and
  Theorem 1's largest N; capacity_pairs "at this budget"; the Theorem 1 line
  N = b_T / Dfn(error, V) for each V.
- recall_fraction: recall_bits / b_T per model (the share of its state it provably uses).
- quantized: accuracy and b_T(p) against bits per scalar p, with Theorem 1 at b_T(p).
- theorem2: delta-confident capacity against D log2(1 + 4 R Lam / delta),
  a measurement (Lam probed, a lower estimate).
- references: an outer-product memory holds about d pairs in a d x d state
  (N ~ sqrt(D)); Gardner: 2 bits per coupling (N ~ 2 D / log2 V at eps = 0).
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from fractions import Fraction

import osp
from osp import exact
from osp.harness.provenance import git_commit
from osp.runtime import zoo
from osp.status import Status, worst
from osp.sweep.plan import Run
from osp.sweep.spec import SweepSpec

SELECTION_RULE = ("per model and width: the candidate learning rate with the highest validation accuracy "
                  "(validation split, mean over seeds; ties to the first listed); the test split is never used")


def _validation_accuracy(result: dict) -> float | None:
    training = result.get("training") or {}
    acc = training.get("accuracy")
    return float(acc) if isinstance(acc, (int, float)) else None


def select(runs: list[Run], results: dict[str, dict]) -> list[dict]:
    """One record per group: each candidate's validation accuracy and the chosen learning rate."""
    groups: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        groups[run.group].append(run)
    out = []
    for group, members in groups.items():
        by_lr: dict = defaultdict(list)
        for run in members:
            acc = _validation_accuracy(results[run.key]) if run.key in results else None
            by_lr[run.lr].append(acc)
        complete = {lr: sum(a) / len(a) for lr, a in by_lr.items() if all(x is not None for x in a)}
        chosen = max(complete, key=lambda lr: (complete[lr], -list(by_lr).index(lr)), default=None)
        out.append({"group": group, "model": members[0].model, "width": members[0].width,
                    "candidates": [{"learning_rate": lr, "validation_accuracy": complete.get(lr)} for lr in by_lr],
                    "chosen": chosen, "complete": len(complete) == len(by_lr)})
    return out


def _dfn_line(V: int, error: Fraction) -> dict:
    d = exact.dfn_lower(error, V)
    return {"V": V, "error": str(error), "dfn_lower": float(exact.decimal_down(d, 9)),
            "line": "N = b_T / Dfn(error, V) (Theorem 1; pairs per state bit at the target error)"}


def _real_scalars(result: dict) -> int | None:
    for row in (result.get("quantized") or []) + (result.get("theorem2") or []):
        if row.get("real_scalars"):
            return int(row["real_scalars"])
    return None


def _references(D: int | None, V: int) -> dict | None:
    if not D:
        return None
    return {"real_scalars": D, "outer_product_pairs": math.isqrt(D),
            "outer_product_is": "an outer-product (Hopfield/linear-attention) memory holds about d pairs in a "
                                "d x d state: N ~ sqrt(D); a classical reference, not a bound",
            "gardner_pairs": math.floor(2 * D / math.log2(V)),
            "gardner_is": "Gardner: 2 bits per coupling, D couplings store 2 D bits, N ~ 2 D / log2 V; "
                          "a classical reference, not a bound"}


def _capacity_point(sel: dict, result: dict) -> dict:
    rows = result["per_pairs"]
    cap = result.get("capacity_pairs")
    at = next((r for r in rows if r["pairs"] == cap), rows[0])
    return {"group": sel["group"], "model": sel["model"], "width": sel["width"], "learning_rate": sel["chosen"],
            "training_tokens": (result.get("training") or {}).get("config", {}).get("tokens"),
            "values": result["values"], "tape_osp": is_tape(sel["model"]), "capacity_pairs": cap or 0,
            "capacity_is": "largest N with error_upper <= error, at this budget (test split)",
            "state_bits_at_capacity": at["state_bits"],
            "rows": [{k: r.get(k) for k in ("pairs", "accuracy", "error_upper", "state_bits", "bound_pairs",
                                              "recall_bits", "recall_fraction_of_state", "status")} for r in rows],
            "references": _references(_real_scalars(result), result["values"])}


def _recall_fraction(sel: dict, result: dict) -> dict:
    best = max(result["per_pairs"], key=lambda r: r.get("recall_fraction_of_state") or 0)
    return {"group": sel["group"], "model": sel["model"], "width": sel["width"],
            "recall_fraction_of_state": best.get("recall_fraction_of_state") or 0, "at_pairs": best["pairs"],
            "recall_bits": best["recall_bits"], "state_bits": best["state_bits"],
            "is": "recall_bits / b_T: a lower bound, at the run's confidence, on the share of its state the model uses"}


#: the JSON's eps_plus is a float; nudged up before Dfn so the figure stays a lower bound
EPS_NUDGE = Fraction(1, 10 ** 12)


def _n_dfn(pairs: int, eps_plus: float | None, V: int) -> float | None:
    """N Dfn(eps_plus, V), a lower bound for the Theorem 2 figure (0 past the edge 1 - 1/V)."""
    if eps_plus is None:
        return None
    eps = Fraction(eps_plus) + EPS_NUDGE
    if eps >= 1 - Fraction(1, V):
        return 0.0
    return float(exact.decimal_down(pairs * exact.dfn_lower(eps, V), 6))


def _theorem2(sel: dict, result: dict, error: Fraction) -> list[dict]:
    out = []
    V = result["values"]
    by_delta: dict[str, list[dict]] = defaultdict(list)
    for row in result.get("theorem2") or []:
        by_delta[row["delta"]].append(row)
    for delta, rows in by_delta.items():
        # on the float's enclosure, as in _n_dfn: never a capacity the certified eps_plus does not give
        ok = [r["pairs"] for r in rows
              if r.get("eps_plus") is not None and Fraction(r["eps_plus"]) + EPS_NUDGE <= error]
        out.append({"group": sel["group"], "model": sel["model"], "delta": delta,
                    "delta_confident_capacity_pairs": max(ok, default=0),
                    "rows": [{**{k: r.get(k) for k in ("pairs", "real_scalars", "radius", "lipschitz", "eps_plus",
                                                         "bound_bits", "status")},
                              "n_dfn_eps_plus": _n_dfn(r["pairs"], r.get("eps_plus"), V)} for r in rows],
                    "is": "a measurement: Lam probed by power iteration (a lower estimate), R the largest "
                          "calibration norm; bound_bits = D log2(1 + 4 R Lam / delta); n_dfn_eps_plus = "
                          "N Dfn(eps_plus, V) rounded down (eps_plus nudged up by 1e-12 from its JSON float)"})
    return out


TAPE_NOTE = ("a tape OSP (it re-reads its input): Theorem 1 bounds pure OSPs only, so recall above its carried "
             "state is the witness working as designed (docs/theory.md section 5), not a violation; its measure "
             "verdict is listed here and left out of the sweep's verdict")


@functools.cache  # a witness is built to ask; the answer is fixed per registry name
def is_tape(model: str) -> bool:
    entry = zoo.MODELS.get(model)
    return entry is not None and entry.kind == "witness" and zoo.build(model).is_tape


def summarize(spec: SweepSpec, runs: list[Run], results: dict[str, dict], failures: list[dict],
              results_commit: str | None = None) -> dict:
    """The sweep's summary: selection, figure data and the verdict over every run."""
    selection = select(runs, results)
    chosen = {}
    for sel in selection:
        for run in runs:
            if run.group == sel["group"] and run.lr == sel["chosen"] and run.key in results:
                chosen.setdefault(sel["group"], (sel, results[run.key]))  # first seed carries the figures
    capacity, fractions, quantized, theorem2 = [], [], [], []
    for sel, result in chosen.values():
        capacity.append(_capacity_point(sel, result))
        fractions.append(_recall_fraction(sel, result))
        quantized += [{"group": sel["group"], "model": sel["model"], **q} for q in result.get("quantized") or []]
        theorem2 += _theorem2(sel, result, spec.error)
    values = sorted({r["values"] for r in results.values()})
    tape = {run.key for run in runs if run.key in results and is_tape(run.model)}
    statuses = [Status(r["verdict"]) for k, r in results.items() if k not in tape]
    findings = [f for k, r in results.items() if k not in tape for f in r.get("findings", [])]
    tape_osps = [{"model": results[k]["model"], "measure_verdict": results[k]["verdict"],
                  "findings": results[k].get("findings", []), "note": TAPE_NOTE} for k in sorted(tape)]
    budget = (f"{spec.tokens} training tokens per run" if spec.tokens else f"{spec.steps} steps per run")
    commit = git_commit()
    return {
        "sweep": spec.name, "spec": spec.path, "osp_version": osp.__version__, "git_commit": commit,
        "results_commit": results_commit or commit,
        "budget": budget, "capacity_label": f"at this budget ({budget})",
        "runs": len(runs), "finished": len(results), "failed": failures,
        "verdict": str(worst(statuses, default=Status.INCONCLUSIVE)),
        "findings": findings, "tape_osps": tape_osps,
        "learning_rate_selection": {"split": "validation", "rule": SELECTION_RULE, "groups": selection},
        "figures": {
            "capacity_vs_state_bits": {"points": capacity,
                                       "theorem1_lines": [_dfn_line(V, spec.error) for V in values]},
            "recall_fraction": fractions,
            "quantized": {"rows": quantized, "bound": "Theorem 1 at b_T(p) = D p + scale bits + integer bits"},
            "theorem2": theorem2,
            "references": {"outer_product": "about d pairs in a d x d state (N ~ sqrt(D))",
                           "gardner": "2 bits per coupling (N ~ 2 D / log2 V)"},
        },
    }
