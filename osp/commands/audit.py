"""`osp audit CLAIM.toml [--json]`: check a recall claim against Theorem 1.

Exit 0 consistent, 1 refuted or undecided, 2 bad input.
"""

from __future__ import annotations

import argparse

from osp.commands.common import add_json_flag, emit_json
from osp.registry import audit as audit_mod


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
                              "storing tokens.",
                              epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("claim", help="claim file (TOML): [claim], optional [model] and [parameters]")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args) -> int:
    verdict = audit_mod.audit(audit_mod.read_claim(args.claim))
    if args.json:
        emit_json(verdict.to_json())
    else:
        print(render(verdict))
    return verdict.exit_code


def render(v: audit_mod.Verdict) -> str:
    d = v.details
    yes = {True: "yes", False: "no"}
    lines = [
        f"verdict:    {v.verdict}",
        f"model:      {d.get('architecture')} (region {d.get('region')}: efficient {yes[v.properties['efficient']]}, "
        f"compact {yes[v.properties['compact']]}, recall possible {yes[v.properties['recall_possible']]})",
        f"claimed:    N = {v.claimed:.6g} pairs at error {d.get('error')}, V = {d.get('values')}, "
        f"L = {d.get('length')}"
        + (f" (claimed at every L >= {d.get('context')})" if d.get("length") != d.get("context") else ""),
        f"bound:      {'none' if v.bound is None else f'N <= {v.bound:.6g} (Theorem 1)'}",
        f"reason:     {v.reason}",
    ]
    if v.certificate:
        c = v.certificate
        lines += [f"certificate at L = {c['length']}:",
                  f"  state bits = {c['state_bits_expression']} = {c['state_bits']:.6g}",
                  f"  {c['arithmetic']}",
                  f"  fails: {c['fails']}"]
    if v.rests_on:
        lines.append(f"rests on:   {', '.join(v.rests_on)}")
    return "\n".join(lines)
