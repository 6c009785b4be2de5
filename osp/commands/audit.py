"""`osp audit CLAIM.toml [CLAIM.toml ...] [--json]`: check recall claims against Theorem 1.

Every file is read before any is audited, so bad input in one is exit 2 with
no verdict printed. Exit 0 when every claim is consistent, 1 when any is
refuted or undecided, 2 bad input.
"""

from __future__ import annotations

import argparse

from osp.commands.common import add_json_flag, emit_json
from osp.errors import OspInputError
from osp.registry import audit as audit_mod
from osp.render import audit as render_audit
from osp.status import worst


EXIT_CODES = """exit codes (several claims: the worst of them):
  0  consistent: Theorem 1 does not exclude the claim (not evidence that the model achieves it)
  1  refuted (with a certificate) OR undecided: exit 1 means "not shown consistent"
     (the project-wide rule: 1 = refuted or unknown). Tell the two apart by the
     "verdict:" line of each claim, or by "verdict" in --json ("refuted" | "undecided").
  2  bad input (a one-line message naming the field; among several files, the file too)"""


def register(subparsers) -> None:
    p = subparsers.add_parser("audit", help="audit a recall claim (TOML) against the proved bounds",
                              description="Check a recall claim (N pairs, or a fraction <= 1/3 of the context, "
                              "at mean error eps) against Theorem 1, with b_T the state bits after the 2N "
                              "storing tokens. Every comparison is exact or on a certified enclosure.",
                              epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("claim", nargs="+", help="claim file(s) (TOML): [claim], optional [model] and [parameters]; "
                   "with several, --json prints a list in the order given")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    claims = [audit_mod.read_claim(path) for path in args.claim]
    verdicts = [_audit(path, claim, several=len(claims) > 1) for path, claim in zip(args.claim, claims)]
    if args.json:
        out = [render_audit.to_json(v) for v in verdicts]
        emit_json(out[0] if len(out) == 1 else [{"file": path, **o} for path, o in zip(args.claim, out)])
    else:
        texts = [render_audit.text(v) for v in verdicts]
        print(texts[0] if len(texts) == 1 else "\n\n".join(f"== {path}\n{t}" for path, t in zip(args.claim, texts)))
    return worst(v.status for v in verdicts).exit_code


def _audit(path: str, claim: dict, *, several: bool):
    """One claim's verdict; among several files, bad input names the file it is in."""
    try:
        return audit_mod.audit(claim)
    except OspInputError as exc:
        if not several:
            raise
        raise OspInputError(f"{path}: {exc}") from None
