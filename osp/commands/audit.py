"""`osp audit CLAIM.toml [--json]`: check a recall claim against Theorem 1.

Exit 0 consistent, 1 refuted or undecided, 2 bad input.
"""

from __future__ import annotations

import argparse

from osp.commands.common import add_json_flag, emit_json
from osp.registry import audit as audit_mod
from osp.render import audit as render_audit


EXIT_CODES = """exit codes:
  0  consistent: Theorem 1 does not exclude the claim (not evidence that the model achieves it)
  1  refuted (with a certificate) OR undecided: exit 1 means "not shown consistent"
     (the project-wide rule: 1 = refuted or unknown). Tell the two apart by the
     first output line, or by "verdict" in --json ("refuted" | "undecided").
  2  bad input (a one-line message naming the field)"""


def register(subparsers) -> None:
    p = subparsers.add_parser("audit", help="audit a recall claim (TOML) against the proved bounds",
                              description="Check a recall claim (N pairs, or a fraction <= 1/3 of the context, "
                              "at mean error eps) against Theorem 1, with b_T the state bits after the 2N "
                              "storing tokens. Every comparison is exact or on a certified enclosure.",
                              epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("claim", help="claim file (TOML): [claim], optional [model] and [parameters]")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    verdict = audit_mod.audit(audit_mod.read_claim(args.claim))
    if args.json:
        emit_json(render_audit.to_json(verdict))
    else:
        print(render_audit.text(verdict))
    return verdict.exit_code
