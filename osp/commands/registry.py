"""`osp registry [--json] [--check]`: the architecture registry, classified.

Every class is computed from the entry's complexity expressions. `--check`
exits 1 if an entry lands in E+C+R (it would contradict Theorem 1 for a
pure OSP) or, for a tape OSP, in the separately labelled region
"E+C+R? (tape OSP: open statement tape.open)" (it would contradict the open,
unproved tape statement), or lacks a source.
"""

from __future__ import annotations

from osp.commands.common import add_json_flag, emit_json
from osp.registry import loader, table
from osp.render import registry as render


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


def run(args) -> int:
    if args.trajectory is not None:
        t = table.trajectory(args.trajectory)
        if args.json:
            emit_json(t)
        else:
            print(render.trajectory_text(t))
        return 0
    rows = table.rows(loader.load_registry())
    counts = table.region_counts(rows)
    bad = table.problems(rows)
    if args.json:
        emit_json({"architectures": rows, "regions": counts, "problems": bad})
    elif not args.check:
        print(render.table_text(rows, counts))
    if args.check and not args.json:  # with --json the problems are in the JSON, which must stay valid
        print(render.check_text(rows, bad))
    return 1 if (args.check and bad) else 0
