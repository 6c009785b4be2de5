"""The report's plots: x tick labels never overlap, however close the measured x values lie."""

import re

from osp.render import svg


def _x_labels(page: str) -> list[tuple[float, str]]:
    return [(float(x), t) for x, t in re.findall(r'<text x="([\d.]+)" y="\d+" text-anchor="middle" '
                                                r'font-size="10">([^<]+)</text>', page)]


def test_close_x_values_keep_apart_labels():
    xs = [1024, 1056, 1088, 2048, 4096, 4160, 8192, 65536, 66000]
    page = svg.plot([("m", xs, [1.0] * len(xs), False)], title="t", xlabel="state bits", ylabel="pairs")
    labels = _x_labels(page)
    assert labels[0][1] == "1024" and "65536" in [t for _, t in labels]
    assert len(labels) < len(xs)  # some had to go
    for (xa, ta), (xb, tb) in zip(labels, labels[1:]):
        assert xb - len(tb) * 3 > xa + len(ta) * 3, (ta, tb)


def test_spaced_keeps_every_tick_when_there_is_room():
    ticks = [(10.0, "1"), (40.0, "10"), (90.0, "100")]
    assert svg._spaced(ticks) == ticks
    assert svg._spaced([(10.0, "1000"), (20.0, "1001")]) == [(10.0, "1000")]


def test_the_theorem_line_keeps_its_whole_legend_label():
    page = svg.plot([("Theorem 1: N = b_T / Dfn", [1, 10], [1, 10], True)], title="t", xlabel="x", ylabel="y")
    assert ">Theorem 1: N = b_T / Dfn</text>" in page


def test_a_long_legend_label_is_cut_visibly():
    page = svg.plot([("sliding-window vocab_size=128 d_model=64", [1, 10], [1, 10], False)], title="t",
                    xlabel="x", ylabel="y")
    assert ">sliding-window vocab_si\u2026</text>" in page
