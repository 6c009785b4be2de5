"""Text rendering of a sweep summary (osp/sweep/summary.py)."""

from __future__ import annotations


def _num(x, fmt: str = ".3f") -> str:
    return "-" if x is None else format(x, fmt)


def render_sweep(outcome) -> str:
    s = outcome.summary
    lines = [f"sweep {s['sweep']}: {s['finished']}/{s['runs']} runs finished ({outcome.skipped} already done, "
             f"{outcome.ran} run now); verdict: {s['verdict']}"
             + (" (INCOMPLETE: the verdict covers the finished runs only)" if s["finished"] < s["runs"] else ""),
             f"capacities are {s['capacity_label']}; learning rates chosen on the {s['learning_rate_selection']['split']} "
             "split, never the test split", ""]
    fractions = {f["group"]: f for f in s["figures"]["recall_fraction"]}
    header = f"{'model':<44} {'lr':>8} {'cap N':>6} {'b_T at cap':>11} {'recall/b_T':>10}  {'at N':>4}"
    lines += [header, "-" * len(header)]
    for p in s["figures"]["capacity_vs_state_bits"]["points"]:
        f = fractions.get(p["group"], {})
        lines.append(f"{p['group'][:44]:<44} {_num(p['learning_rate'], 'g'):>8} {p['capacity_pairs']:>6} "
                     f"{p['state_bits_at_capacity']:>11} {_num(f.get('recall_fraction_of_state'), '.4f'):>10}  "
                     f"{f.get('at_pairs', '-'):>4}")
    for line in s["figures"]["capacity_vs_state_bits"]["theorem1_lines"]:
        lines.append(f"Theorem 1 line, V = {line['V']}: N <= b_T / Dfn({line['error']}, V), "
                     f"Dfn >= {line['dfn_lower']}")
    for t in s["tape_osps"]:
        lines.append(f"tape OSP {t['model']}: measure verdict {t['measure_verdict']}, outside Theorem 1 "
                     "(pure OSPs only; not part of the sweep's verdict)")
    for f in s["failed"]:
        lines.append(f"FAILED {f['group']} lr={f['learning_rate']} seed={f['seed']}: {f['error']}")
    for finding in s["findings"]:
        lines.append(f"finding: {finding}")
    lines.append(f"summary: {outcome.summary_path}")
    return "\n".join(lines)
