"""Statements as MathML Core that a browser renders with no script and no font download.

sympy's presentation printer is the starting point, with four fixes (measured
with sympy 1.14): it emits no `<math>` root, leaves characters such as `<`
unescaped inside `<mo>`, uses named entities (`&InvisibleTimes;`) that an
XML parser rejects, writes an ASCII hyphen for minus, and lower-cases function
names (so the entropy `H` would print as the binary entropy `h`). Here the
printer builds the DOM and this module serialises it itself.
"""

from __future__ import annotations

import html
import re

import sympy
from sympy.printing.mathml import MathMLPresentationPrinter

MINUS = "\u2212"
#: how the project's ASCII symbol names read in mathematics
SYMBOL_NAMES = {
    "epsbar": "\u03b5\u0304", "epsbar'": "\u03b5\u0304\u2032", "eps": "\u03b5", "Lam": "\u039b", "lam": "\u03bb",
    "rho": "\u03c1", "beta": "\u03b2", "delta": "\u03b4", "sigma": "\u03c3", "cbar": "c\u0304",
}
_SUB = re.compile(r"^([A-Za-z']+)_(.+)$")


class _Printer(MathMLPresentationPrinter):
    def _print_Function(self, e):  # keep the name's case: H (entropy) is not h (binary entropy)
        mrow = self.dom.createElement("mrow")
        name = self.dom.createElement("mi")
        name.appendChild(self.dom.createTextNode(type(e).__name__))
        mrow.appendChild(name)
        mrow.appendChild(self._fenced_args(e.args))
        return mrow

    def _fenced_args(self, args):
        row = self.dom.createElement("mrow")
        row.appendChild(self._mo("("))
        for i, a in enumerate(args):
            if i:
                row.appendChild(self._mo(","))
            row.appendChild(self._print(a))
        row.appendChild(self._mo(")"))
        return row

    def _mo(self, text: str):
        mo = self.dom.createElement("mo")
        mo.appendChild(self.dom.createTextNode(text))
        return mo

    def _print_log2(self, e):  # log2(x) prints as log_2 x, never as log x / log 2
        mrow = self.dom.createElement("mrow")
        sub = self.dom.createElement("msub")
        for text, tag in (("log", "mi"), ("2", "mn")):
            el = self.dom.createElement(tag)
            el.appendChild(self.dom.createTextNode(text))
            sub.appendChild(el)
        mrow.appendChild(sub)
        mrow.appendChild(self._fenced_args(e.args))
        return mrow

    def _print_Symbol(self, sym, style="plain"):
        name = sym.name
        m = _SUB.match(name)
        if m and m.group(1) not in SYMBOL_NAMES.get(name, ""):
            sub = self.dom.createElement("msub")
            base = self.dom.createElement("mi")
            base.appendChild(self.dom.createTextNode(SYMBOL_NAMES.get(m.group(1), m.group(1))))
            idx = self.dom.createElement("mi")
            idx.appendChild(self.dom.createTextNode(SYMBOL_NAMES.get(m.group(2), m.group(2))))
            sub.appendChild(base)
            sub.appendChild(idx)
            return sub
        mi = self.dom.createElement("mi")
        mi.appendChild(self.dom.createTextNode(SYMBOL_NAMES.get(name, name)))
        return mi


def _serialise(node) -> str:
    if node.nodeType == node.TEXT_NODE:
        text = html.unescape(node.data)  # named and numeric entities become characters
        if node.parentNode is not None and node.parentNode.tagName == "mo":
            text = text.replace("-", MINUS)
        return html.escape(text, quote=False)
    attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in node.attributes.items())
    inner = "".join(_serialise(c) for c in node.childNodes)
    return f"<{node.tagName}{attrs}>{inner}</{node.tagName}>"


def to_mathml(statement, display: str = "block") -> str:
    """A `<math>` element for a sympy statement; plain-text statements become `<mtext>`."""
    if isinstance(statement, sympy.Basic) and statement not in (sympy.true, sympy.false):
        printer = _Printer()
        body = _serialise(printer._print(statement))
    else:
        body = f"<mtext>{html.escape(str(statement), quote=False)}</mtext>"
    return f'<math display="{display}">{body}</math>'
