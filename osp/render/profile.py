"""Text and JSON views of a measured profile (`osp profile`)."""

from __future__ import annotations

from fractions import Fraction

from osp.exact import decimal_down

from osp.runtime.profile import VERDICT_RULE, Profile


def to_json(p: Profile) -> dict:
    return {
        "model": p.model,
        "lengths": p.lengths,
        "state_bits": p.state_bits,
        "flops_per_step": p.flops_per_step,
        "state_exponent": p.state_exponent,
        "compute_exponent": p.compute_exponent,
        "efficient": p.efficient,
        "compact": p.compact,
        "bound_pairs": p.bound_pairs,
        # beyond the stable keys: how the numbers were obtained
        "state_exponent_total": p.state_exponent_total,
        "compute_exponent_total": p.compute_exponent_total,
        "state_constant_from": p.state_constant_from,
        "compute_constant_from": p.compute_constant_from,
        "verdict_rule": VERDICT_RULE,
        "inputs": {"values": p.values, "values_source": p.values_source, "error": p.error},
        "is_tape": p.is_tape,
        "bound_note": p.bound_note,
        "values": p.values,
        "error": p.error,
        "rests_on": p.rests_on,
        "recall": p.recall,
        "step_cost": [c.to_json() for c in p.costs],
        "wall_s": p.wall_s,
    }


def text(p: Profile) -> str:
    lines = [f"model {p.model}" + ("  (tape OSP)" if p.is_tape else ""),
             f"{'L':>8} {'state bits':>14} {'ops/step':>12} {'matmul':>10} {'sdpa':>10} {'elementwise':>11} "
             f"{'word ops':>9} {'tape reads':>10} {'bound N':>12}" + (f" {'recall':>7}" if p.recall else "")]
    for i, L in enumerate(p.lengths):
        c = p.costs[i]
        # rounded down (the float is already <= the bound): a printed bound never exceeds the true one
        bound = decimal_down(Fraction(p.bound_pairs[i]), 8) if p.bound_pairs is not None else "n/a"
        lines.append(f"{L:>8} {p.state_bits[i]:>14} {c.total:>12} {c.matmul_flops:>10} {c.sdpa_flops:>10} "
                     f"{c.elementwise_flops:>11} {c.word_ops:>9} {c.tape_reads:>10} {bound:>12}"
                     + (f" {p.recall[i]:>7.3f}" if p.recall else ""))
    for what, exp, total, since, ok, letter in (
            ("state", p.state_exponent, p.state_exponent_total, p.state_constant_from, p.compact, "C"),
            ("compute", p.compute_exponent, p.compute_exponent_total, p.compute_constant_from, p.efficient, "E")):
        why = (f"constant from L = {since}" if ok else f"grows: exponent {exp:.3f} of the part that changes with L")
        lines.append(f"{what + ' exponent':<17}{exp:.3f} -> {letter} {'yes' if ok else 'no'}  ({why}; "
                     f"total's log-log slope {total:.3f})")
    lines.append("E (C): per-step cost (state bits) identical at every measured length past a warm-up")
    if p.bound_pairs is None:
        lines.append(f"bound: none ({p.bound_note})")
    else:
        lines.append(f"bound N: Theorem 1 at V = {p.values}, eps = {p.error}: the measured state holds at most "
                     f"'bound N' MQAR pairs")
        lines.append(f"V = {p.values}: {p.values_source}")
    if p.recall:
        lines.append("recall: measured MQAR accuracy with N = L // 4 pairs (chance 1/V)")
    return "\n".join(lines)


def model_list(models: dict, families: list[str]) -> str:
    """`osp profile --list`: the built-in models and witnesses, then the Hugging Face families."""
    lines = [f"{name:<22} {entry.kind:<8} {entry.summary}" for name, entry in models.items()]
    lines += [f"{'hf:' + fam:<22} {'hf':<8} Hugging Face transformers family, random weights" for fam in families]
    if not families:
        lines.append("hf:<family>            (needs the optional extra: pip install 'osp[hf]')")
    return "\n".join(lines)
