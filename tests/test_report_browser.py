"""The report in a real browser: the system chromium opens it from file://,
headless, and the page itself reports what it loaded and how big things are.

Without chromium the tests skip with the reason, unless OSP_REQUIRE_BROWSER=1
(set by .ci/run), where they fail. No browser is ever downloaded.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from osp.proofs.nodes import load_graph

ROOT = Path(__file__).resolve().parents[1]
BROWSERS = ("chromium", "chromium-browser")
# chromium's own traffic off; the resolver maps every host to nothing, so nothing can leave either way
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
         "--no-first-run", "--no-pings", "--metrics-recording-only",
         "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
         "--host-resolver-rules=MAP * ~NOTFOUND")
# measures the page from inside, after load, and writes the answer into the DOM for --dump-dom
PROBE = """<script>
window.addEventListener('load', () => setTimeout(() => {
  const box = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return [r.width, r.height, s.display !== 'none' && s.visibility !== 'hidden']; };
  const nodes = {}; document.querySelectorAll('article.node').forEach(a => { nodes[a.id] = box(a); });
  const maths = [...document.querySelectorAll('math')].map(box);
  const graph = document.getElementById('proof-graph');
  const out = {resources: performance.getEntriesByType('resource').map(e => e.name), nodes, maths,
               graph: graph ? box(graph) : null};
  const pre = document.createElement('pre'); pre.id = 'osp-probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}, 50));
</script>"""


def _browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    reason = f"no system chromium ({' or '.join(BROWSERS)}) on PATH: apt-get install chromium"
    if os.environ.get("OSP_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (OSP_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


def _probe(browser: str, page: Path, workdir: Path) -> dict:
    probed = workdir / ("probed-" + page.name)
    text = page.read_text(encoding="utf-8")
    probed.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = subprocess.run([browser, *FLAGS, "--virtual-time-budget=5000", f"--user-data-dir={workdir / 'profile'}",
                           "--window-size=1300,2000", "--dump-dom", probed.as_uri()],
                          capture_output=True, text=True, timeout=180)
    m = re.search(r'<pre id="osp-probe">(.*?)</pre>', proc.stdout, re.S)
    assert m, f"the page reported nothing (exit {proc.returncode}): {proc.stderr[-800:]}"
    return json.loads(m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    browser = _browser()
    work = tmp_path_factory.mktemp("browser")
    out = work / "index.html"
    proc = subprocess.run([sys.executable, "-m", "osp.cli", "report", "--out", str(out), "--json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    info = json.loads(proc.stdout)
    assert Path(info["path"]) == out.resolve() and info["bytes"] == len(out.read_bytes())
    return browser, out, work


def test_probe_sees_a_request_when_there_is_one(report, tmp_path):
    """The request counter can fail: a page that loads from a host is caught."""
    browser, _, _ = report
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><html><body><math><mi>x</mi></math>'
                    '<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="https://example.invalid/a.css">'
                    "</body></html>", encoding="utf-8")
    seen = _probe(browser, page, tmp_path)
    assert len(seen["resources"]) == 2, seen["resources"]


def test_report_in_chromium(report):
    browser, out, work = report
    seen = _probe(browser, out, work)
    assert seen["resources"] == [], f"the report made requests: {seen['resources']}"
    ids = list(load_graph().nodes)
    for nid in ids:
        box = seen["nodes"].get(f"node-{nid}")
        assert box is not None, f"node {nid} has no section"
        w, h, visible = box
        assert visible and w > 0 and h > 0, f"node {nid}'s section is not visible: {box}"
    assert len(seen["maths"]) >= len(ids)
    empty = [i for i, (w, h, _) in enumerate(seen["maths"]) if not (w > 0 and h > 0)]
    assert not empty, f"{len(empty)} MathML boxes have zero size"
    w, h, visible = seen["graph"]
    assert visible and w > 100 and h > 100, seen["graph"]


def test_screenshot(report):
    browser, out, work = report
    shot = Path(os.environ.get("OSP_REPORT_SCREENSHOT", work / "report.png"))
    subprocess.run([browser, *FLAGS, f"--user-data-dir={work / 'profile-shot'}", "--hide-scrollbars",
                    "--window-size=1300,2400", f"--screenshot={shot}", out.as_uri()],
                   capture_output=True, text=True, timeout=180)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, f"no screenshot at {shot}"
    print(f"screenshot: {shot}")
