"""Text view of a measurement (osp.harness.measure.MeasureResult)."""

from __future__ import annotations

from fractions import Fraction

from osp.decimals import decimal_down, decimal_up


def render_measure(r) -> str:
    lines = [f"{r.model}: MQAR {r.layout} layout, V = {r.values} (the value alphabet); "
             f"confidence {float(r.config.confidence):g} split over {r.split.checks} checks"]
    if r.training is not None:
        t = r.training
        reached = "" if t.seconds_to_target is None else f", target reached in {t.seconds_to_target:.1f} s"
        lines.append(f"  trained {t.steps} steps in {t.seconds:.1f} s, validation accuracy {t.accuracy:.4f}{reached}")
    elif r.config.load is not None:
        lines.append(f"  weights loaded from {r.config.load}")
    else:
        lines.append("  no trainable parameters: evaluated as it is")
    lines.append(f"  {'N':>5} {'accuracy':>9} {'err_upper':>10} {'b_T bits':>10} {'recall bits':>12} "
                 f"{'used':>7} {'bound N':>8}  Theorem 1")
    for row in r.rows:
        # a lower bound on the share of the state in use: printed rounded down, never to nearest
        used = "-" if not row.state_bits else decimal_down(row.theorem1.recall_bits / row.state_bits, 3)
        bound = "-" if row.bound_pairs is None else str(row.bound_pairs)
        lines.append(f"  {row.pairs:>5} {row.accuracy:>9.4f} {decimal_up(row.error.upper, 6):>10} "
                     f"{row.state_bits:>10} {decimal_down(row.theorem1.recall_bits, 3):>12} {used:>7} "
                     f"{bound:>8}  {row.theorem1.status}")
        if row.declared is not None:
            lines.append(f"        declared {decimal_down(r.config.declared_state_bits, 6)} bits: "
                         f"{row.declared.status}")
    na = sorted({row.theorem1.reason for row in r.rows if row.theorem1.reason.startswith("not applicable")})
    lines += [f"  Theorem 1 {reason}" for reason in na]
    cap = "none" if r.capacity_pairs is None else str(r.capacity_pairs)
    lines.append(f"  capacity_pairs = {cap} (largest N with error_upper <= {float(r.config.error):g})")
    if r.quantized:
        lines.append(f"  quantized state: {'N':>5} {'bits':>5} {'accuracy':>9} {'b_T bits':>10}  Theorem 1")
        for q in r.quantized:
            lines.append(f"                   {q.pairs:>5} {q.bits_per_scalar:>5} {q.accuracy:>9.4f} "
                         f"{q.state_bits:>10}  {q.check.status}")
        untouched = sorted({n for q in r.quantized for n in q.quantized.untouched})
        if untouched:
            lines.append(f"    integer tensors left as they are: {', '.join(untouched)}")
    if r.config.theorem2:
        lines.append("  Theorem 2 (l2 norm; R from the calibration split; Lam probed, a lower estimate):")
        for t in r.theorem2:
            # R (a largest norm) up, the probed Lam (a lower estimate) down: each stays what it is
            lam = "-" if t.lipschitz is None else decimal_down(Fraction(t.lipschitz), 4)
            R = "-" if t.radius is None else decimal_up(t.radius, 4)
            lines.append(f"    N = {t.pairs:>4}, delta = {str(t.delta):>4}: D = {t.real_scalars}, R = {R}, "
                         f"Lam = {lam}: {t.status} ({t.reason})")
    lines.append(f"verdict: {r.status}")
    for f in r.findings:
        lines.append(f"  finding: {f}")
    return "\n".join(lines)
