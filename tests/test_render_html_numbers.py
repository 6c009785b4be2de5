"""How the HTML report writes numbers: readable in a narrow table cell, never wrapped mid-number."""

import unicodedata

from osp.render import html


def test_grouped_integers_never_break_across_lines():
    text = html._fmt(4194304)
    separators = {c for c in text if not c.isdigit()}
    assert text.replace("\u202f", "") == "4194304"
    # a browser may wrap at any space that is not a no-break one ("4" / "194 304")
    assert all("NO-BREAK" in unicodedata.name(c) for c in separators), separators
