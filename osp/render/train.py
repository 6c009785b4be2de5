"""Text view of a training run (osp.harness.train.TrainResult)."""

from __future__ import annotations


def render_train(r) -> str:
    c = r.config
    lines = [f"{r.model}: MQAR {c.layout} layout, L = {c.run_length}, pairs {', '.join(map(str, c.pairs))}"]
    if not r.trained:
        lines.append("  no trainable parameters: evaluated as it is")
    else:
        tps = f"{r.train_tokens_per_second:,.0f}" if r.train_tokens_per_second else "-"
        lines.append(f"  {r.steps} steps in {r.seconds:.1f} s, {tps} train tokens/s, {c.threads} thread(s), "
                     f"final loss {r.loss:.4f}")
        if c.target_accuracy is not None:
            reached = (f"reached in {r.seconds_to_target:.1f} s" if r.seconds_to_target is not None
                       else "not reached")
            lines.append(f"  target accuracy {c.target_accuracy:g}: {reached}")
    lines.append(f"  validation accuracy {r.accuracy:.4f} (argmax over the value alphabet)")
    for n, a in r.accuracy_by_pairs.items():
        lines.append(f"    N = {n:>4}: {a:.4f}")
    return "\n".join(lines)
