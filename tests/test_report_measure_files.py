"""The report reads what `osp measure` writes: its --theorem2 rows (a list) and its quantized rows
(`bits_per_scalar`), not a schema of its own."""

import json

from osp.cli import main
from osp.render import html
from osp.report import measured


def test_the_report_reads_a_real_measure_result(tmp_path, capsys):
    out = tmp_path / "key-table.json"
    code = main(["measure", "key-table", "--pairs", "2", "--length", "16", "--test-examples", "20",
                 "--calibration-examples", "4", "--quantize-bits", "1,4", "--theorem2", "--json", "--out", str(out)])
    assert code in (0, 1)
    capsys.readouterr()
    r = measured.parse(json.loads(out.read_text()), out.name)  # exited 2: "theorem2: expected an object"
    assert r.theorem2 and all("pairs" in row and "delta" in row for row in r.theorem2)
    figure = html._quantized_figure(r)
    assert figure is not None and "N = 2" in figure  # the curve was silently left out
