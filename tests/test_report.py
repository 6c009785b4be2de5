"""The HTML report: docs/theory.md as data, MathML, layout, measured-results
validation, and the page itself (self-contained, every node placed)."""

import dataclasses
import html as std_html
import json
import re
import subprocess
import sys
import xml.dom.minidom
from fractions import Fraction
from pathlib import Path

import pytest

from osp.errors import OspInputError
from osp.proofs.nodes import load_graph
from osp.registry import loader
from osp.render import html, mathml
from osp.report import build, layout, measured, theory
from osp.runtime import zoo
from osp.status import Status

ROOT = Path(__file__).resolve().parents[1]


def _measure_json(**over):
    data = {"model": "attention", "capacity_pairs": 12.0,
            "per_pairs": [{"pairs": 8, "accuracy": 0.97, "error_upper": 0.06, "state_bits": 65536,
                           "bound_pairs": 5000.5, "recall_bits": 40.1, "holds": True},
                          {"pairs": 16, "accuracy": 0.5, "error_upper": 0.6, "state_bits": 65536,
                           "bound_pairs": None, "recall_bits": 20.0, "holds": True, "status": "vacuous"}],
            "theorem2": [{"pairs": 8, "delta": "1/2", "real_scalars": 64, "radius": 3.0, "lipschitz": 2.5,
                          "lipschitz_is": "probed (power iteration): a lower estimate", "eps_plus": 0.2,
                          "bound_bits": 400.5, "recall_bits": 30.25, "status": "holds", "holds": True,
                          "reason": "decided"}],
            "quantized": [{"pairs": 8, "bits_per_scalar": 4, "accuracy": 0.4},
                          {"pairs": 8, "bits_per_scalar": 8, "accuracy": 0.9}],
            "verdict": "holds", "findings": ["capacity below the bound"], "confidence": 0.95,
            "provenance": {"seed": 1}}
    data.update(over)
    return data


# ---- docs/theory.md -------------------------------------------------------

def test_every_node_is_named_once_in_theory():
    where = theory.node_sections(theory.load())   # raises if a node is named twice
    ids = set(load_graph().nodes)
    assert ids - set(where) == set(), "nodes docs/theory.md does not name"
    assert set(where) - ids == set(), "docs/theory.md names nodes the graph lacks"


def test_theory_keeps_sections_1_to_7():
    top = [s.number for s in theory.load() if s.level == 2 and s.number]
    assert top == [str(i) for i in range(1, 8)]


def test_theory_parser_blocks_and_duplicates():
    text = "## 2 Title\n\nA para\ncontinued.\n\n    code line\n\n- item one\n  more\n- two\n\nNodes: `a.b`, `c`\n"
    (sec,) = theory.parse(text)
    assert (sec.number, sec.title, sec.anchor, sec.nodes) == ("2", "Title", "theory-2", ("a.b", "c"))
    assert [b.kind for b in sec.blocks] == ["p", "pre", "ul"]
    assert sec.blocks[2].lines == ("item one more", "two")
    with pytest.raises(OspInputError, match="names node 'x'"):
        theory.node_sections(theory.parse("## 1 A\nNodes: `x`\n## 2 B\nNodes: `x`\n"))


# ---- MathML ---------------------------------------------------------------

def test_every_statement_is_wellformed_mathml():
    for nid, node in load_graph().nodes.items():
        out = mathml.to_mathml(node.statement)
        xml.dom.minidom.parseString(out)          # no named entity, no bare '<'
        assert out.startswith("<math") and not re.search(r"&(?!lt;|gt;|amp;)[A-Za-z]+;", out), nid


def test_mathml_fixes():
    g = load_graph().nodes
    dfn = mathml.to_mathml(g["def.Dfn"].statement)
    assert "<mo>\u2212</mo>" in dfn and "<mo>-</mo>" not in dfn
    assert "<msub><mi>log</mi><mn>2</mn></msub>" in dfn and "<mi>Dfn</mi>" in dfn
    assert "<mi>H</mi>" in mathml.to_mathml(g["thm1.step3"].statement)   # entropy H, not binary entropy h
    assert "&lt;" in mathml.to_mathml(g["thm1.step10.sign"].statement)


# ---- layout ---------------------------------------------------------------

def test_layout_points_down_and_never_overlaps():
    lay = layout.layout(layout.node_uses(load_graph()))
    for e in lay.edges:
        assert lay.nodes[e.target].y < lay.nodes[e.source].y, (e.source, e.target)
    seen = {(round(p.x), round(p.y)) for p in lay.nodes.values()}
    assert len(seen) == len(lay.nodes)
    assert lay.width <= layout.MAX_PER_ROW * (layout.NODE_W + layout.GAP_X) + 2 * layout.MARGIN


# ---- measured results -----------------------------------------------------

def test_measure_result_parses_optional_parts():
    r = measured.parse(_measure_json(), "a.json")
    assert r.rows[1].bound_pairs is None and r.rows[0].holds is True and len(r.quantized) == 2
    bare = measured.parse({"model": "m", "per_pairs": [{"pairs": 1, "accuracy": 1, "state_bits": 8,
                                                         "bound_pairs": 3}]}, "b.json")
    assert bare.theorem2 == () and bare.quantized == () and bare.findings == ()


@pytest.mark.parametrize("bad, message", [
    ({"per_pairs": []}, "'model'"),
    (_measure_json(per_pairs=[]), "non-empty"),
    (_measure_json(per_pairs=[{"pairs": 8, "accuracy": 1.5, "state_bits": 1, "bound_pairs": 1}]), "accuracy"),
    (_measure_json(per_pairs=[{"pairs": 8, "accuracy": 0.5, "bound_pairs": 1}]), "state_bits"),
    (_measure_json(per_pairs=[{"pairs": 2.5, "accuracy": 0.5, "state_bits": 1, "bound_pairs": 1}]), "pairs"),
    (_measure_json(theorem2=[1]), "theorem2"),
    (_measure_json(theorem2={"holds": True}), "theorem2"),
])
def test_malformed_measure_result_is_rejected(bad, message):
    with pytest.raises(OspInputError, match=message):
        measured.parse(bad, "x.json")


def test_cli_rejects_malformed_results_with_exit_2(tmp_path):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "osp.cli", "report", "--results", str(tmp_path),
                           "--out", str(tmp_path / "r.html")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.startswith("osp: error: ") and proc.stderr.count("\n") == 1 and "broken.json" in proc.stderr
    assert not (tmp_path / "r.html").exists()


# ---- the page -------------------------------------------------------------

@pytest.fixture(scope="module")
def report():
    return build.build(Path("/nonexistent-results"))


@pytest.fixture(scope="module")
def page(report):
    return html.render(report)


def test_page_is_self_contained(page):
    assert "<script" not in page and "<link" not in page and "@import" not in page
    links = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)""", page)
    assert links and all(link.startswith("#") for link in links), "a src or href that is not an in-page anchor"
    assert not re.search(r"url\((?!#)", page)
    assert not re.search(r"https?://", page)


def test_every_node_has_a_section_a_graph_link_and_its_words(page, report):
    for nid in load_graph().nodes:
        assert page.count(f'id="node-{nid}"') == 1, nid
        assert f'href="#node-{nid}"' in page, nid
    for sec in report.proof.sections:
        assert f'id="{sec.anchor}"' in page
        start = page.index(f'id="{sec.anchor}"')
        for nid in sec.nodes:   # the words come before the nodes they describe, in the same section
            assert page.index(f'id="node-{nid}"') > start


def test_open_nodes_and_what_rests_on_them_look_open(page, report):
    views = {v.id: v for v in report.proof.nodes}
    assert views["tape.triangle"].status == Status.OPEN and views["tape.triangle"].own_status == Status.PROVED
    for nid in ("tape.open", "tape.triangle"):
        assert f'class="node unchecked" id="node-{nid}"' in page
    assert 'class="node" id="node-thm1"' in page
    assert "rests on unchecked" in page


def test_mutants_cited_lemmas_and_obligations(page, report):
    m = report.proof.mutants
    assert m["total"] > 50 and f"{m['killed']}/{m['total']}" in page
    assert page.count("<tr") > m["total"]
    for v in report.proof.nodes:
        for o in v.obligations:
            assert f"<code>{o['id']}</code>" in page
    assert "draws passed, worst slack" in page and "imported axiom" in page   # a node's evidence, not the header


def test_triangle_places_every_architecture(page, report):
    for arch in loader.load_registry():
        assert std_html.escape(arch.name, quote=False) in page, arch.name
    tape = [p for p in report.triangle.placements if p.tape]
    assert tape and all(not p.q_proved for p in tape)
    assert page.count('<tr class="tape">') >= len(tape)
    assert "; not bounded by a proved theorem</title>" in page   # a tape diamond's tip, not the intro's words
    assert report.triangle.trajectories and 'id="triangle"' in page
    for key in ("L0", "Lstar"):
        assert html._fmt(report.triangle.reference[key]) in page


def test_profiles_and_no_results_hint(page, report):
    assert {v.model for v in report.reference_profiles} == set(zoo.MODELS)
    shipped = sorted((ROOT / "reports/data/profiles").glob("hf-*.json"))
    assert len(report.hf_profiles) == len(shipped) > 0
    for v in report.reference_profiles + report.hf_profiles:
        assert f"<td>{v.model}" in page
    assert 'id="no-results"' in page and "osp measure" in page


def test_measured_results_are_drawn_with_their_tables(report):
    r = measured.parse(_measure_json(), "attention.json")
    page = html.render(dataclasses.replace(report, measured=(r,)))
    assert 'id="no-results"' not in page and 'id="measure-0"' in page
    # "<td>vacuous</td>": the row without a bound (docs/theory.md's words say "vacuous" on every page)
    assert "a measurement, not a proof" in page and "<td>vacuous</td>" in page and "capacity below the bound" in page
    assert page.count('class="plot"') >= 4 + 3   # profiles, then the three measurement figures


def test_the_confidence_split_is_written_out_not_dumped(report):
    split = {"level": 0.95, "checks": 32, "method": "Bonferroni (even split)", "alpha_per_check": "1/640",
             "per_check": "min(Hoeffding, empirical Bernstein)"}
    r = measured.parse(_measure_json(confidence=split), "attention.json")
    page = html.render(dataclasses.replace(report, measured=(r,)))
    assert "Confidence 0.95 for the run's 32 checks together" in page and "alpha 1/640 per check" in page
    assert "{&#39;level&#39;" not in page and "{'level'" not in page


def test_a_real_measure_result_is_drawn_with_bounds_rounded_outward(report, tmp_path):
    """What `osp measure --theorem2 --quantize-bits --json` writes (Theorem 2 and the quantised state as
    lists of rows) loads and draws; error upper bounds print rounded up, recall bits rounded down."""
    from harness_models import KnownBit

    from osp.harness.measure import MeasureConfig, measure
    from osp.harness.train import TrainConfig

    out = measure(KnownBit(), MeasureConfig(train=TrainConfig(pairs=(1,), length=4), test_examples=50,
                                            quantize_bits=(1, 2), theorem2=True, deltas=(Fraction(1, 4),)))
    (tmp_path / "known-bit.json").write_text(json.dumps(out.to_json(), default=str), encoding="utf-8")
    (r,) = measured.load_dir(tmp_path)
    assert len(r.theorem2) == 1 and len(r.quantized) == 2
    page = html.render(dataclasses.replace(report, measured=(r,)))
    assert "accuracy with the state quantised" in page and "a measurement, not a proof" in page
    row = out.to_json()["per_pairs"][0]
    assert f"<td>{html.fmt_up(row['error_upper'])}</td>" in page
    assert Fraction(html.fmt_up(row["error_upper"])) >= Fraction(row["error_upper"])
    q = out.to_json()["quantized"][0]
    assert f"<td>{html.fmt_up(q['error_upper'])}</td>" in page


def test_bounds_print_rounded_outward(report):
    assert html.fmt_up(0.2093331) == "0.209334" and html.fmt_down(0.2093339) == "0.209333"
    assert html.fmt_up(None) == "n/a" and html.fmt_up(float("nan")) == "nan" and html.fmt_up("x") == "x"
    odd = measured.parse(_measure_json(quantized=[{"pairs": 8, "bits_per_scalar": 2, "error_upper": float("nan")},
                                                  {"pairs": [1], "bits_per_scalar": 4, "accuracy": 0.5}],
                                       theorem2=[{"eps_plus": "high", "recall_bits": True}]), "q.json")
    html.render(dataclasses.replace(report, measured=(odd,)))   # odd values in optional rows: shown, no crash


def test_failed_follows_prove(report):
    assert not report.failed                       # open nodes are not failures
    unknown = dataclasses.replace(report.proof, status=Status.UNKNOWN)
    assert dataclasses.replace(report, proof=unknown).failed
    survived = dataclasses.replace(report.proof, mutants={**report.proof.mutants, "unexpected": 1})
    assert dataclasses.replace(report, proof=survived).failed


def test_provenance_names_the_tools(page):
    for tool in ("sympy", "z3", "cvc5", "torch", "transformers", "commit"):
        assert f"<th>{tool}</th>" in page


def test_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    build.write_atomic(out, "old")
    monkeypatch.setattr(build.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(OSError):
        build.write_atomic(out, "new")
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["r.html"]
    assert out.stat().st_mode & 0o777 == 0o644


def test_bounds_print_rounded_down():
    assert html.fmt_down(2730.6666666) == "2730.66"     # nearest would be 2730.67
    assert html.fmt_down(105600.99999) == "105600"
    assert html.fmt_down(0.0781) == "0.0781" and html.fmt_down(None) == "n/a"
    assert html.fmt_down(123456789.5) == "123456789"   # 6 digits rounded down would deny N = 123456789


def test_without_theory_the_page_says_so_and_keeps_every_node(report, tmp_path):
    assert theory.load(tmp_path / "missing.md") == []
    bare = dataclasses.replace(report, proof=dataclasses.replace(report.proof, sections=()))
    page = html.render(bare)
    assert 'id="no-theory"' in page
    for nid in load_graph().nodes:
        assert page.count(f'id="node-{nid}"') == 1


@pytest.mark.parametrize("where", ["folder", "under-a-file"])
def test_cli_bad_out_exits_2_before_building(tmp_path, where):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = tmp_path if where == "folder" else tmp_path / "file" / "r.html"
    (tmp_path / "results").mkdir()
    proc = subprocess.run([sys.executable, "-m", "osp.cli", "report", "--out", str(out),
                           "--results", str(tmp_path / "results")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and proc.stderr.startswith("osp: error: --out") and proc.stderr.count("\n") == 1


def test_cli_missing_results_folder_is_bad_input_not_an_empty_report(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "osp.cli", "report", "--out", str(tmp_path / "r.html"),
                           "--results", str(tmp_path / "typo")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and "--results" in proc.stderr and not (tmp_path / "r.html").exists()


def test_recall_score_q_prints_rounded_down(report):
    """q = min(1, bound(L*) / (rho L*)) comes from an upper bound: 0.99951 must not print as 1."""
    tri = report.triangle
    pl = dataclasses.replace(tri.placements[0], q=0.99951, e=0.0, k=0.0)
    page = html.render(dataclasses.replace(report, triangle=dataclasses.replace(tri, placements=(pl,))))
    row = page[page.index(f"<td>{pl.name}</td>"):]
    row = row[:row.index("</tr>")]
    assert "<td>0</td><td>0</td><td>0.999</td>" in row   # e, k, then q: not 1 (nearest would be)


def test_sweep_summary_is_read_and_drawn(tmp_path):
    from osp.report import sweeps
    shipped = sweeps.load_summaries(Path(__file__).resolve().parents[1] / "reports" / "data")
    paper = {s.name: s for s in shipped}["paper"]
    assert len(paper.points) == 25 and paper.dfn_lower > 0
    # the Theorem 1 line uses Dfn rounded down, so it lies above b_T / Dfn: no measured capacity may cross it
    assert all(p.capacity_pairs * Fraction(paper.dfn_lower) <= p.state_bits   # exact: the float's own value
               for p in paper.points if not p.tape_osp)
    figs = html._sweep_figures(shipped)
    assert "Theorem 1: N = b_T / D" in figs[0]["svgs"][0]


def test_malformed_sweep_summary_names_file_and_field(tmp_path):
    from osp.report import sweeps
    (tmp_path / "sweep-bad.json").write_text('{"figures": {"capacity_vs_state_bits": {"points": "x"}}}')
    with pytest.raises(OspInputError, match=r"sweep-bad.json.*theorem1_lines|sweep-bad.json.*points"):
        sweeps.load_summaries(tmp_path)


def test_a_row_without_status_is_not_called_vacuous_and_unsaid_lam_is_probed():
    row = measured.parse({"model": "m", "per_pairs": [{"pairs": 1, "accuracy": 0.5, "state_bits": 8,
                                                        "bound_pairs": None}]}, "b.json").rows[0]
    assert row.bound_note == "not stated"
    assert html.probed([{"pairs": 1, "delta": "1/2"}]) and not html.probed([{"lipschitz_is": "certified"}])
