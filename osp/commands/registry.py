"""`osp registry [--json] [--check]`: the architecture registry, classified.

Every class is computed from the entry's complexity expressions. `--check`
exits 1 if an entry lands in E+C+R (it would contradict Theorem 1 for a
pure OSP) or, for a tape OSP, in the separately labelled region
"E+C+R? (tape OSP: open statement tape.open)" (it would contradict the open,
unproved tape statement), or lacks a source.
"""

from __future__ import annotations

import sympy

from osp.commands.common import add_json_flag, emit_json
from osp.errors import OspInputError
from osp.registry import classify, loader


def register(subparsers) -> None:
    p = subparsers.add_parser("registry", help="list the architecture registry with computed E/C/R classes")
    add_json_flag(p)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="exit 1 if any entry lands in E+C+R or lacks a source")
    mode.add_argument("--trajectory", metavar="NAME",
                      help="print one entry's triangle coordinates as L* grows (and as its share 'a' sweeps, "
                      "for a hybrid)")
    p.set_defaults(func=run)


TRAJECTORY_LENGTHS = (1 << 14, 1 << 17, 1 << 20, 1 << 24, 1 << 30)
TRAJECTORY_SHARES = ("0", "1/16", "1/8", "1/4", "1/2", "1")


def _point_json(p) -> dict:
    return {"Lstar": p.length, "e": p.e, "k": p.k, "q": p.q, "q_note": p.q_note}


def trajectory(name: str) -> dict:
    entries = loader.load_registry()
    arch = loader.find(name, entries)
    if arch is None:
        raise OspInputError(f"--trajectory: unknown architecture {name!r}")
    out = {"name": arch.name, "L0": classify.REFERENCE["L0"], "reference": classify.REFERENCE,
           "lengths": [_point_json(p) for p in classify.length_trajectory(arch, TRAJECTORY_LENGTHS)]}
    if "a" in arch.constants:
        shares = [sympy.Rational(s) for s in TRAJECTORY_SHARES]
        out["shares"] = [{"a": str(a), **_point_json(p)}
                         for a, p in zip(TRAJECTORY_SHARES, (p for _, p in classify.share_trajectory(arch, "a", shares)))]
    return out


def _print_trajectory(t: dict) -> None:
    def q(v):
        return "n/a (tape)" if v is None else f"{v:.4f}"
    print(f"{t['name']}: coordinates (e, k, q) against L0 = {t['L0']}")
    for p in t["lengths"]:
        print(f"  L* = {p['Lstar']:>11}  e = {p['e']:.4f}  k = {p['k']:.4f}  q = {q(p['q'])}")
    for p in t.get("shares", []):
        print(f"  a = {p['a']:>5} (L* = {p['Lstar']})  e = {p['e']:.4f}  k = {p['k']:.4f}  q = {q(p['q'])}")


def rows(entries) -> list[dict]:
    out = []
    for arch in entries:
        cl = classify.classify(arch)
        pt = classify.arch_point(arch)
        out.append({
            "name": arch.name, "year": arch.year, "source": arch.source,
            "efficient": cl.efficient, "compact": cl.compact, "recall_possible": cl.recall_possible,
            "region": cl.region,
            "family": arch.family, "tape": arch.tape,
            "compute_growth": cl.compute_growth.label(), "state_bits_growth": cl.state_growth.label(),
            "cites": list(cl.cites), "reason": cl.reason, "configuration": arch.configuration,
            "coordinates": {"L0": classify.REFERENCE["L0"], "Lstar": pt.length, "e": pt.e, "k": pt.k,
                            "q": pt.q, "q_note": pt.q_note},
        })
    return out


def problems(table: list[dict]) -> list[str]:
    found = []
    for r in table:
        if r["region"] in ("E+C+R", classify.TAPE_ECR):
            # a tape entry there is not refuted by a theorem, but it would contradict the open statement
            what = "the open tape statement (tape.open, not proved)" if r["tape"] else "Theorem 1 (cor1.1)"
            found.append(f"{r['name']}: lands in {r['region']}, which contradicts {what}")
        if not r["source"].strip():
            found.append(f"{r['name']}: no source")
    return found


def run(args) -> int:
    if args.trajectory is not None:
        t = trajectory(args.trajectory)
        if args.json:
            emit_json(t)
        else:
            _print_trajectory(t)
        return 0
    table = rows(loader.load_registry())
    counts = {region: 0 for region in classify.REGIONS}
    for r in table:
        counts[r["region"]] += 1
    bad = problems(table)
    if args.json:
        emit_json({"architectures": table, "regions": counts, "problems": bad})
    elif not args.check:
        print(f"{'name':36} {'year':4}  {'region':6} {'compute':16} {'state bits':16} source")
        for r in table:
            tape = " (tape)" if r["tape"] else ""
            print(f"{r['name'][:36]:36} {r['year']:4}  {r['region']:6} {r['compute_growth']:16} "
                  f"{r['state_bits_growth']:16} {r['source']}{tape}")
        print("regions: " + ", ".join(f"{k} {v}" for k, v in counts.items()
                                      if v or k in ("E+C+R", classify.TAPE_ECR)))
    if args.check and not args.json:  # with --json the problems are in the JSON, which must stay valid
        for line in bad:
            print(f"registry check: {line}")
        print(f"registry check: {len(table)} entries, {len(bad)} problem(s)")
    return 1 if (args.check and bad) else 0
