"""The HTML proof report: one self-contained page (inline CSS, SVG, MathML and
data; no script, no font, no request to any host) rendered from
osp.report.build.Report with the jinja2 templates shipped in
osp/render/templates/."""

from __future__ import annotations

import html
import math
import re
from fractions import Fraction

import jinja2

from osp.decimals import decimal_down, decimal_up
from osp.render import mathml, svg
from osp.render.prove import SUMMARY_KEYS
from osp.status import Status

#: the one colour table: fill, stroke
_COLOURS = {
    Status.DEFINED: ("#e9ecef", "#495057"),
    Status.PROVED: ("#b7e4c7", "#2d6a4f"),
    Status.CITED_VALIDATED: ("#cfe8fc", "#1d4e89"),
    Status.CONSISTENT: ("#b7e4c7", "#2d6a4f"),
    Status.HOLDS: ("#b7e4c7", "#2d6a4f"),
    Status.VACUOUS: ("#e9ecef", "#495057"),
    Status.OPEN: ("#ffe08a", "#b35c00"),
    Status.UNKNOWN: ("#fff3bf", "#8a6d00"),
    Status.UNDECIDED: ("#fff3bf", "#8a6d00"),
    Status.INCONCLUSIVE: ("#fff3bf", "#8a6d00"),
    Status.REFUTED: ("#ffc9c9", "#c92a2a"),
    Status.VIOLATED: ("#ffc9c9", "#c92a2a"),
}
#: fill, stroke, dashed border; dashed = not checked (open and what rests on it, failures), i.e. not a pass
STATUS_STYLE = {s: (fill, stroke, not s.passes) for s, (fill, stroke) in _COLOURS.items()}
STATUS_MEANING = {
    Status.DEFINED: "a definition or hypothesis: nothing to check",
    Status.PROVED: "proved by its checkers, and every node it rests on is checked",
    Status.CITED_VALIDATED: "a classical lemma: cited, and validated numerically on random finite distributions",
    Status.OPEN: "a statement nobody has proved, or a node resting on one: not checked",
    Status.UNKNOWN: "a checker could not decide (e.g. a timeout): not a pass",
    Status.REFUTED: "a checker found a counterexample",
}
_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def inline(text: str) -> str:
    """theory.md's inline markup (`code`, **bold**) as HTML; everything else escaped."""
    out = html.escape(text, quote=False)
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    return _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", out)


def _fmt(v, digits: int = 4) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        # a narrow NO-BREAK space: a thin space let "4 194 304" wrap into "4" and "194 304"
        return f"{v:,}".replace(",", "\u202f")
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return str(v)


def _rounded(v, digits: int, up: bool) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return _fmt(v, digits)   # a word or a non-finite number from a results file: shown as it is
    if not up and abs(v) >= 1:
        # never fewer digits than the integer part: 123456789.5 cut to 6 digits would deny an allowed N
        digits = max(digits, len(str(int(abs(v)))))
    return (decimal_up if up else decimal_down)(Fraction(v), digits)   # the float's exact value


def fmt_down(v, digits: int = 6) -> str:
    """An upper bound on a capacity, or a lower bound such as recall bits, printed rounded down (never up)
    to `digits` significant digits."""
    return _rounded(v, digits, up=False)


def fmt_up(v, digits: int = 6) -> str:
    """An upper confidence bound on an error printed rounded up (never down), so it stays a bound."""
    return _rounded(v, digits, up=True)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("osp.render", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), trim_blocks=True,
                             lstrip_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["fmt"] = _fmt
    env.filters["down"] = fmt_down
    env.filters["up"] = fmt_up
    env.filters["ms"] = lambda s: "n/a" if s is None else f"{1000 * s:.0f} ms"
    env.filters["inline"] = lambda t: jinja2.filters.Markup(inline(t))
    env.filters["mathml"] = lambda s: jinja2.filters.Markup(mathml.to_mathml(s))
    env.filters["style"] = lambda s: STATUS_STYLE[Status(s)]
    return env


def _profile_figures(views, prefix: str) -> list[dict]:
    if not views:
        return []
    state = [(v.model, v.lengths, v.state_bits, v.is_tape) for v in views]
    ops = [(v.model, v.lengths, v.ops_per_step, v.is_tape) for v in views]
    return [
        {"id": f"{prefix}-state", "svg": svg.plot(state, title=f"state bits after L tokens ({prefix})", xlabel="L",
                                                   ylabel="state bits")},
        {"id": f"{prefix}-ops", "svg": svg.plot(ops, title=f"operations per step at L ({prefix})", xlabel="L",
                                                 ylabel="ops / step")},
    ]


def _sweep_figures(summaries) -> list[dict]:
    """Per sweep: capacity against state bits with the Theorem 1 line, and the share of its state each
    model provably uses (one line per model across its widths; tape OSPs are left out of both)."""
    figs = []
    for i, sw in enumerate(summaries):
        by_model: dict = {}
        for pt in sw.points:
            if not pt.tape_osp:
                by_model.setdefault(pt.model, []).append(pt)
        rows = [(m, sorted(ps, key=lambda p: p.state_bits)) for m, ps in by_model.items()]
        bits = sorted({p.state_bits for _, ps in rows for p in ps if p.state_bits > 0})
        line = ([("Theorem 1: N = b_T / Dfn", [bits[0], bits[-1]], [b / sw.dfn_lower for b in (bits[0], bits[-1])],
                  True)] if bits and sw.dfn_lower > 0 else [])
        capacity = svg.plot(line + [(m, [p.state_bits for p in ps], [p.capacity_pairs for p in ps], False)
                                    for m, ps in rows],
                            title=f"{sw.name}: capacity at this budget against state bits", xlabel="state bits b_T",
                            ylabel="pairs N")
        share = svg.plot([(m, [p.state_bits for p in ps], [p.recall_fraction for p in ps], False) for m, ps in rows],
                         title=f"{sw.name}: recall bits / b_T (a lower bound)", xlabel="state bits b_T",
                         ylabel="share of the state used")
        figs.append({"id": f"sweep-{i}", "svgs": [capacity, share]})
    return figs


def _measure_figures(results) -> list[dict]:
    figs = []
    for i, r in enumerate(results):
        xs = [row.pairs for row in r.rows]
        figs.append({"model": r.model, "id": f"measure-{i}", "svg": svg.plot(
            [("pairs (asked)", xs, xs, False), ("Theorem 1 bound", xs, [row.bound_pairs for row in r.rows], True)],
            title=f"{r.model}: pairs against the Theorem 1 bound", xlabel="pairs N", ylabel="pairs"),
            "bits": svg.plot(
            [("recall bits", xs, [row.recall_bits for row in r.rows], False),
             ("state bits", xs, [row.state_bits for row in r.rows], True)],
            title=f"{r.model}: recall bits against state bits", xlabel="pairs N", ylabel="bits"),
            "quantized": _quantized_figure(r)})
    return figs


def _quantized_figure(r) -> str | None:
    """Accuracy against bits per scalar, one line per pair count (osp measure's `quantized` rows)."""
    by_pairs: dict = {}
    for q in r.quantized:
        bits, acc = q.get("bits_per_scalar"), q.get("accuracy")
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (bits, acc)):
            by_pairs.setdefault(str(q.get("pairs")), []).append((bits, acc))  # any JSON value, hashable
    if not by_pairs:
        return None
    series = [(f"N = {n}", [b for b, _ in sorted(pts)], [a for _, a in sorted(pts)], False)
              for n, pts in by_pairs.items()]
    return svg.plot(series, title=f"{r.model}: accuracy with the state quantised", xlabel="bits per scalar",
                    ylabel="accuracy", log=False)


def probed(theorem2_rows) -> bool:
    """Whether any Theorem 2 row's Lam was probed on the states seen: every row unless its
    `lipschitz_is` says certified (a file that does not say gets the warning, never a silent pass)."""
    return any(not str(row.get("lipschitz_is", "")).lower().startswith("certified") for row in theorem2_rows or ())


def render(report) -> str:
    p = report.proof
    status_of = {v.id: v.status for v in p.nodes}
    by_id = {v.id: v for v in p.nodes}
    shown = [s for s in STATUS_STYLE if s in STATUS_MEANING]
    named = {nid for s in p.sections for nid in s.nodes}
    cited = [v for v in p.nodes if v.validations]
    tri = report.triangle
    ctx = {
        "r": report, "p": p, "by_id": by_id, "Status": Status,
        "legend": [(s, STATUS_STYLE[s], STATUS_MEANING[s]) for s in shown],
        "graph_svg": svg.proof_graph(p.layout, status_of, STATUS_STYLE),
        "unplaced": [v for v in p.nodes if v.id not in named],
        "cited": cited,
        "triangle_svg": svg.triangle(tri.placements, tri.trajectories),
        "ref_figures": _profile_figures(report.reference_profiles, "reference models"),
        "hf_figures": _profile_figures(report.hf_profiles, "Hugging Face"),
        "measure_figures": _measure_figures(report.measured),
        "sweep_figures": _sweep_figures(report.sweep_summaries),
        "summary_keys": [str(k) for k in SUMMARY_KEYS],   # the counts `osp prove` prints, in its order
        "probed": probed, "zip": zip,
    }
    return _env().get_template("report.html.j2").render(**ctx)
