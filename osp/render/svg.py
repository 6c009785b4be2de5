"""Inline SVG for the HTML report: the proof graph, log-log and linear plots,
and the triangle. Everything is drawn here as text: no plotting library, no
script, no font beyond the browser's own."""

from __future__ import annotations

import math
from html import escape

from osp.report.layout import NODE_H, NODE_W

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#393b79", "#637939")
SQRT3_2 = math.sqrt(3) / 2


def _num(v: float) -> str:
    return f"{v:.1f}"


def proof_graph(lay, status_of: dict, style: dict) -> str:
    """`style`: status -> (fill, stroke, dashed border?). Statement uses dashed, proof uses solid."""
    out = [f'<svg id="proof-graph" class="graph" role="img" aria-label="proof dependency graph" '
           f'viewBox="0 0 {_num(lay.width)} {_num(lay.height)}" width="{_num(lay.width)}" '
           f'height="{_num(lay.height)}">',
           '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" '
           'orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker></defs>']
    for r in lay.edges:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = r.points
        dash = ' stroke-dasharray="5 4"' if r.kind == "statement" else ""
        out.append(f'<path class="edge {r.kind}" d="M{_num(x0)},{_num(y0)} C{_num(x1)},{_num(y1)} '
                   f'{_num(x2)},{_num(y2)} {_num(x3)},{_num(y3)}" fill="none" stroke="#777" stroke-width="1"'
                   f'{dash} marker-end="url(#arrow)"><title>{escape(r.source)} uses {escape(r.target)} '
                   f'({r.kind})</title></path>')
    w, h = NODE_W, NODE_H   # the boxes the layout spaced and routed the edges to
    for nid, p in lay.nodes.items():
        fill, stroke, dashed = style[status_of[nid]]
        border = ' stroke-dasharray="4 2" stroke-width="2.5"' if dashed else ' stroke-width="1.2"'
        label = nid if len(nid) <= 22 else nid[:21] + "\u2026"
        out.append(f'<a href="#node-{escape(nid)}"><g class="gnode" data-node="{escape(nid)}">'
                   f'<title>{escape(nid)}: {escape(str(status_of[nid]))}</title>'
                   f'<rect x="{_num(p.x - w / 2)}" y="{_num(p.y - h / 2)}" width="{w}" height="{h}" rx="5" '
                   f'fill="{fill}" stroke="{stroke}"{border}/>'
                   f'<text x="{_num(p.x)}" y="{_num(p.y + 4)}" text-anchor="middle" font-size="11">'
                   f'{escape(label)}</text></g></a>')
    out.append("</svg>")
    return "\n".join(out)


def _ticks_log(lo: float, hi: float) -> list[float]:
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    steps = (1, 2, 5) if b - a <= 2 else (1,)   # a narrow range still gets a few labels
    return [m * 10.0 ** k for k in range(a, b + 1) for m in steps]


def _spaced(ticks: list[tuple[float, str]], char_px: float = 6.0, gap_px: float = 6.0) -> list[tuple[float, str]]:
    """The (x, label) ticks, left to right, skipping any whose centred label would touch the last kept one
    (labels at font-size 10 are at most `char_px` wide per character)."""
    kept: list[tuple[float, str]] = []
    for x, label in sorted(ticks):
        if not kept or x - len(label) * char_px / 2 >= kept[-1][0] + len(kept[-1][1]) * char_px / 2 + gap_px:
            kept.append((x, label))
    return kept


def plot(series, *, title: str, xlabel: str, ylabel: str, log: bool = True, width: int = 460,
         height: int = 300, hline: float | None = None) -> str:
    """`series`: [(label, xs, ys, dashed)]; non-positive values are left out on a log axis (the table shows them)."""
    pts = [(lab, [(x, y) for x, y in zip(xs, ys) if y is not None and (not log or (x > 0 and y > 0))], dashed)
           for lab, xs, ys, dashed in series]
    allx = [x for _, ps, _ in pts for x, _ in ps]
    ally = [y for _, ps, _ in pts for _, y in ps] + ([hline] if hline is not None else [])
    left, right, top, bottom = 70, 150, 26, 44
    out = [f'<svg class="plot" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}">',
           f'<text x="{width / 2}" y="16" text-anchor="middle" font-size="13">{escape(title)}</text>']
    if not allx:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" font-size="12">'
                   'no positive values to draw (see the table)</text></svg>')
        return "\n".join(out)
    f = (lambda v: math.log10(v)) if log else (lambda v: v)
    x0, x1 = f(min(allx)), f(max(allx))
    y0, y1 = f(min(ally)), f(max(ally))
    if x1 == x0:
        x0, x1 = x0 - 0.5, x1 + 0.5
    if y1 == y0:
        y0, y1 = y0 - 0.5, y1 + 0.5
    pw, ph = width - left - right, height - top - bottom

    def sx(v):
        return left + (f(v) - x0) / (x1 - x0) * pw

    def sy(v):
        return top + ph - (f(v) - y0) / (y1 - y0) * ph
    out.append(f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
    xt = sorted(set(allx))
    if log:
        for t in _ticks_log(10 ** y0, 10 ** y1):
            if y0 - 1e-9 <= math.log10(t) <= y1 + 1e-9:
                label = f"{t:.0e}".replace("e+0", "e").replace("e+", "e")
                out.append(f'<text x="{left - 4}" y="{_num(sy(t) + 4)}" text-anchor="end" font-size="10">{label}</text>'
                           f'<line x1="{left}" x2="{left + pw}" y1="{_num(sy(t))}" y2="{_num(sy(t))}" stroke="#eee"/>')
    else:
        for t in (y0, (y0 + y1) / 2, y1):
            out.append(f'<text x="{left - 4}" y="{_num(sy(t) + 4)}" text-anchor="end" font-size="10">{t:.3g}</text>')
    for t, label in _spaced([(sx(t), f"{t:g}") for t in xt]):
        out.append(f'<text x="{_num(t)}" y="{top + ph + 14}" text-anchor="middle" font-size="10">{label}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 8}" text-anchor="middle" font-size="11">{escape(xlabel)}</text>')
    out.append(f'<text x="14" y="{top + ph / 2}" text-anchor="middle" font-size="11" '
               f'transform="rotate(-90 14 {top + ph / 2})">{escape(ylabel)}</text>')
    if hline is not None:
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{_num(sy(hline))}" y2="{_num(sy(hline))}" '
                   'stroke="#444" stroke-dasharray="2 3"/>')
    for i, (lab, ps, dashed) in enumerate(pts):
        colour = PALETTE[i % len(PALETTE)]
        dash = ' stroke-dasharray="6 3"' if dashed else ""
        if ps:
            d = " ".join(f"{'M' if j == 0 else 'L'}{_num(sx(x))},{_num(sy(y))}" for j, (x, y) in enumerate(ps))
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>')
            out.extend(f'<circle cx="{_num(sx(x))}" cy="{_num(sy(y))}" r="2.5" fill="{colour}"/>' for x, y in ps)
        ly = top + 12 + 13 * i
        shown = lab if len(lab) <= 24 else lab[:23] + "\u2026"  # 24 characters fit the legend's 122 px
        out.append(f'<line x1="{left + pw + 8}" x2="{left + pw + 24}" y1="{ly - 4}" y2="{ly - 4}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/><text x="{left + pw + 28}" y="{ly}" '
                   f'font-size="10">{escape(shown)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def triangle(placements, trajectories, *, size: int = 520) -> str:
    """Barycentric picture, E=(0,0), C=(1,0), R=(1/2, sqrt(3)/2) as osp.registry.classify.barycentric.
    Pure OSPs are filled circles; tape OSPs hollow diamonds (recall placed by mechanism)."""
    pad = 50
    scale = size - 2 * pad

    def xy(e, k, q):
        total = e + k + q
        if total <= 0:
            return None
        bx, by = (k + 0.5 * q) / total, SQRT3_2 * q / total
        return pad + bx * scale, pad + (SQRT3_2 - by) * scale

    h = pad * 2 + SQRT3_2 * scale
    out = [f'<svg id="triangle" class="triangle" role="img" aria-label="the triangle" viewBox="0 0 {size} {_num(h)}" '
           f'width="{size}" height="{_num(h)}">']
    ex, ey = pad, pad + SQRT3_2 * scale
    cx, cy = pad + scale, ey
    rx, ry = pad + scale / 2, pad
    out.append(f'<path d="M{_num(ex)},{_num(ey)} L{_num(cx)},{_num(cy)} L{_num(rx)},{_num(ry)} z" '
               'fill="#fafafa" stroke="#333"/>')
    for label, x, y, dy in (("E (efficient)", ex, ey, 20), ("C (compact)", cx, cy, 20), ("R (recall)", rx, ry, -10)):
        out.append(f'<text x="{_num(x)}" y="{_num(y + dy)}" text-anchor="middle" font-size="12">{label}</text>')
    for i, t in enumerate(trajectories):
        ps = [xy(e, k, q) for _, e, k, q in t.points if q is not None]
        ps = [p for p in ps if p]
        if len(ps) >= 2:
            d = " ".join(f"{'M' if j == 0 else 'L'}{_num(x)},{_num(y)}" for j, (x, y) in enumerate(ps))
            dash = ' stroke-dasharray="3 3"' if t.by != "L*" else ""
            out.append(f'<path d="{d}" fill="none" stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="1.2" '
                       f'opacity="0.8"{dash}><title>{escape(t.name)}: trajectory over {escape(t.by)}</title></path>')
    for p in placements:
        at = xy(p.e, p.k, p.q)
        if at is None:
            continue
        x, y = at
        tip = escape(f"{p.name}: e={p.e:.3f} k={p.k:.3f} q={p.q:.3f} ({p.region})"
                     + ("" if p.q_proved else "; not bounded by a proved theorem"))
        if p.q_proved:
            out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="4" fill="#1f77b4" fill-opacity="0.55" '
                       f'stroke="#123"><title>{tip}</title></circle>')
        else:
            out.append(f'<path d="M{_num(x)},{_num(y - 7)} L{_num(x + 7)},{_num(y)} L{_num(x)},{_num(y + 7)} '
                       f'L{_num(x - 7)},{_num(y)} z" fill="none" stroke="#d62728" stroke-width="2">'
                       f'<title>{tip}</title></path>')
    out.append("</svg>")
    return "\n".join(out)
