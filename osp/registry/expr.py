"""A small, safe expression language for complexity formulas.

Grammar (whitespace between tokens is ignored):

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom ("^" unary)?              # right-associative: 2^3^2 = 2^9
    atom   := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"
    NUMBER := digits ["." digits] [("e" | "E") ["+" | "-"] digits]
    NAME   := [A-Za-z][A-Za-z0-9_]*          # no "__", not a function name

Functions: log (base 2, one argument), sqrt, min, max (two or more arguments).

The parser builds sympy objects itself from tokens: no text ever reaches
sympify, parse_expr, eval or exec, so a hostile string can only be rejected.
Every rejection is an OspInputError whose one-line message names the
(1-based) character position. Symbols are created positive: every quantity
in a complexity formula (length, width, window, share) is a positive number.

Values stay real: the argument of log (and of sqrt, and the base of a
non-integer power) must be positive (nonnegative) for all large L whatever
positive values the other symbols take, decided from its leading behaviour
as L -> oo; `log(1-L)`, `sqrt(1-L)`, `(-8)^(1/3)` and the undecidable
`log(a-1)` are rejected. Logs are expanded (log(L^2) = 2 log L).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import sympy

from osp.errors import OspInputError
from osp.numbers import exact_rational
from osp.registry import budget, growth

MAX_LENGTH = 1000        # characters of source text
MAX_DEPTH = 40           # nested parentheses, calls and unary signs
MAX_NAME = 32            # characters in one identifier
MAX_NUMBER = 40          # characters in one numeric literal
MAX_DECIMAL_EXP = 30     # |k| in 1e<k>
MAX_EXPONENT = 64        # |p/q| and q of any power's rational exponent
MAX_CONSTANT_BITS = 4096  # log2 of the magnitude of a constant power
MAX_MINMAX_ARGS = 8      # sympy compares min/max arguments pairwise, with assumption queries
MAX_MINMAX_CALLS = 16

FUNCTIONS = ("log", "sqrt", "min", "max")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_PUNCT = {"+", "-", "*", "/", "^", "(", ")", ","}


@dataclass(frozen=True)
class Token:
    kind: str   # "num", "name", an operator/punctuation character, or "end"
    text: str
    pos: int    # 0-based offset into the source


def _fail(pos: int, message: str) -> OspInputError:
    return OspInputError(f"expression error at position {pos + 1}: {message}")


def tokenize(text: str) -> list[Token]:
    if not isinstance(text, str):
        raise OspInputError(f"expression must be a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise OspInputError(f"expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in " \t":
            i += 1
            continue
        if ch == "*" and text.startswith("**", i):
            raise _fail(i, "use ^ for powers, not **")
        if ch in _PUNCT:
            tokens.append(Token(ch, ch, i))
            i += 1
            continue
        if "0" <= ch <= "9":
            m = _NUMBER.match(text, i)
            if len(m.group()) > MAX_NUMBER:
                raise _fail(i, f"number longer than {MAX_NUMBER} characters")
            tokens.append(Token("num", m.group(), i))
            i = m.end()
            continue
        if ("A" <= ch <= "Z") or ("a" <= ch <= "z"):
            m = _NAME.match(text, i)
            name = m.group()
            if len(name) > MAX_NAME:
                raise _fail(i, f"name longer than {MAX_NAME} characters")
            if "__" in name:
                raise _fail(i, f"name {name!r} contains '__'")
            tokens.append(Token("name", name, i))
            i = m.end()
            continue
        raise _fail(i, f"unexpected character {ch!r}")
    tokens.append(Token("end", "", len(text)))
    return tokens


def _number(tok: Token) -> sympy.Rational:
    mantissa, _, exp = tok.text.lower().partition("e")
    q = Fraction(mantissa)
    if exp:
        k = int(exp)
        if abs(k) > MAX_DECIMAL_EXP:
            raise _fail(tok.pos, f"decimal exponent {k} outside [-{MAX_DECIMAL_EXP}, {MAX_DECIMAL_EXP}]")
        q *= Fraction(10) ** k
    return sympy.Rational(q.numerator, q.denominator)


def _check_power(base, exponent, pos: int):
    """Reject exponents that are symbolic, irrational, or large enough to blow up."""
    if not exponent.is_Rational:
        raise _fail(pos, "an exponent must be a rational number (no symbols, logs or roots)")
    if abs(exponent) > MAX_EXPONENT or exponent.q > MAX_EXPONENT:
        raise _fail(pos, f"exponent {exponent} outside the allowed range |p/q| <= {MAX_EXPONENT}, q <= {MAX_EXPONENT}")
    if base.is_Rational and base != 0:
        # |base^exponent| must stay a modest number: bits ~ |exponent| * log2 |base|
        size_bits = max(abs(base.p).bit_length(), abs(base.q).bit_length())
        if abs(exponent) * size_bits > MAX_CONSTANT_BITS:
            raise _fail(pos, f"constant power too large (about {int(abs(exponent) * size_bits)} bits)")


class _Parser:
    def __init__(self, text: str, symbols: dict[str, sympy.Symbol]):
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        self.symbols = symbols
        self.minmax_calls = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self, kind: str) -> Token:
        tok = self.tok
        if tok.kind != kind:
            want = "end of expression" if kind == "end" else repr(kind)
            got = "end of expression" if tok.kind == "end" else repr(tok.text)
            raise _fail(tok.pos, f"expected {want}, found {got}")
        self.i += 1
        return tok

    def enter(self, pos: int):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _fail(pos, f"nesting deeper than {MAX_DEPTH}")

    def parse(self):
        value = self.expr()
        self.take("end")
        return value

    def expr(self):
        value = self.term()
        while self.tok.kind in ("+", "-"):
            op = self.take(self.tok.kind)
            rhs = self.term()
            value = _apply(op, lambda: value + rhs if op.kind == "+" else value - rhs)
        return value

    def term(self):
        value = self.unary()
        while self.tok.kind in ("*", "/"):
            op = self.take(self.tok.kind)
            rhs = self.unary()
            if op.kind == "/" and rhs.is_zero:
                raise _fail(op.pos, "division by zero")
            value = _apply(op, lambda: value * rhs if op.kind == "*" else value / rhs)
        return value

    def unary(self):
        if self.tok.kind in ("-", "+"):
            op = self.take(self.tok.kind)
            self.enter(op.pos)
            inner = self.unary()
            self.depth -= 1
            return -inner if op.kind == "-" else inner
        return self.power()

    def power(self):
        base = self.atom()
        if self.tok.kind != "^":
            return base
        op = self.take("^")
        self.enter(op.pos)
        exponent = self.unary()
        self.depth -= 1
        _check_power(base, exponent, op.pos)
        if base.is_zero and exponent.is_negative:
            raise _fail(op.pos, "zero to a negative power")
        if not exponent.is_integer:
            # a negative base to a fractional power is complex ((-8)^(1/3) = 1 + i*sqrt(3) in sympy)
            _require_sign(base, op.pos, "the base of a non-integer power", allow_zero=exponent.is_positive)
        return _apply(op, lambda: base ** exponent)

    def atom(self):
        tok = self.tok
        if tok.kind == "num":
            self.i += 1
            return _number(tok)
        if tok.kind == "(":
            self.take("(")
            self.enter(tok.pos)
            value = self.expr()
            self.take(")")
            self.depth -= 1
            return value
        if tok.kind == "name":
            self.i += 1
            if self.tok.kind == "(":
                return self.call(tok)
            if tok.text in FUNCTIONS:
                raise _fail(tok.pos, f"{tok.text} is a function: write {tok.text}(...)")
            return self.symbols.setdefault(tok.text, sympy.Symbol(tok.text, positive=True))
        got = "end of expression" if tok.kind == "end" else repr(tok.text)
        raise _fail(tok.pos, f"expected a number, a name or '(', found {got}")

    def call(self, name: Token):
        if name.text not in FUNCTIONS:
            raise _fail(name.pos, f"unknown function {name.text!r} (allowed: {', '.join(FUNCTIONS)})")
        self.take("(")
        self.enter(name.pos)
        args = [self.expr()]
        while self.tok.kind == ",":
            self.take(",")
            args.append(self.expr())
        self.take(")")
        self.depth -= 1
        fn = name.text
        if fn in ("log", "sqrt") and len(args) != 1:
            raise _fail(name.pos, f"{fn} takes exactly one argument, got {len(args)}")
        if fn in ("min", "max"):
            if not 2 <= len(args) <= MAX_MINMAX_ARGS:
                raise _fail(name.pos, f"{fn} takes 2 to {MAX_MINMAX_ARGS} arguments, got {len(args)}")
            self.minmax_calls += 1
            if self.minmax_calls > MAX_MINMAX_CALLS:
                raise _fail(name.pos, f"more than {MAX_MINMAX_CALLS} min/max calls")
        if fn == "log":
            if args[0].is_zero or args[0].is_negative:
                raise _fail(name.pos, "log of a number <= 0")
            _require_sign(args[0], name.pos, "the argument of log", allow_zero=False)
            return _apply(name, lambda: sympy.log(args[0], 2))
        if fn == "sqrt":
            if args[0].is_negative:
                raise _fail(name.pos, "sqrt of a negative number")
            _require_sign(args[0], name.pos, "the argument of sqrt", allow_zero=True)
            return _apply(name, lambda: sympy.sqrt(args[0]))
        if any(a.is_real is False for a in args):
            raise _fail(name.pos, f"{fn} of a non-real argument")
        builder = sympy.Min if fn == "min" else sympy.Max
        # sympy flattens max(max(a, b), c) into one call: bound the flattened size too
        flat = sum(len(a.args) if isinstance(a, builder) else 1 for a in args)
        if flat > MAX_MINMAX_ARGS:
            raise _fail(name.pos, f"{fn} over more than {MAX_MINMAX_ARGS} arguments after flattening")
        return _apply(name, lambda: builder(*args))


def _require_sign(value, pos: int, what: str, *, allow_zero: bool) -> None:
    """`value` must be positive (or zero, if allowed) for all large L with every
    other symbol an arbitrary positive number: otherwise the expression would be
    complex (log(1-L), sqrt(1-L), (-8)^(1/3)). Decided from the leading behaviour
    as L -> oo; a sign that depends on the other symbols (log(a-1)) is rejected."""
    if value.is_positive or (allow_zero and value.is_nonnegative):
        return
    with budget.time_budget(f"decide the sign of {what}", lambda: sympy.sstr(value)):
        sign = growth.eventual_sign(value)
    if sign == 1 or (sign == 0 and allow_zero):
        return
    if sign is None:
        raise _fail(pos, f"cannot tell that {what} ({sympy.sstr(value)}) is "
                    f"{'>= 0' if allow_zero else '> 0'} for large L and every positive value of the other "
                    "symbols; rewrite it so that it visibly is")
    raise _fail(pos, f"{what} ({sympy.sstr(value)}) is {'negative' if sign < 0 else 'zero'} for large L, "
                "so the value would be complex or undefined")


def _apply(tok: Token, build):
    """Run one sympy construction; any failure becomes a positioned input error."""
    try:
        value = build()
    except Exception as exc:  # noqa: BLE001 - sympy raises assorted types; at this boundary all are bad input
        raise _fail(tok.pos, f"cannot evaluate ({type(exc).__name__})") from None
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo, sympy.I):
        raise _fail(tok.pos, "the value is undefined, infinite or complex")
    return value


def parse(text: str, symbols: dict[str, sympy.Symbol] | None = None) -> sympy.Expr:
    """Parse `text` into a sympy expression; names become positive symbols.

    `symbols` (optional) maps names to the Symbol objects to reuse, and is
    filled with the names this expression introduces.
    """
    value = _Parser(text, {} if symbols is None else symbols).parse()
    # log(L^2) -> 2 log(L): unexpanded logs can send sympy's limit into an endless loop (issue 5).
    # Not force=True: log((1-L)^2) must not become 2 log(1-L). Symbols are positive, so
    # products and powers of them do expand.
    value = sympy.expand_log(value, deep=True)
    # products of powers merge exponents (d^64*d^64 = d^128): bound the merged ones too
    for node in sympy.preorder_traversal(value):
        if node.is_Rational and max(abs(node.p).bit_length(), node.q.bit_length()) > 4 * MAX_CONSTANT_BITS:
            raise OspInputError(f"expression error at position 1: a constant exceeds {4 * MAX_CONSTANT_BITS} bits")
        if isinstance(node, sympy.Pow) and node.exp.is_Rational and abs(node.exp) > MAX_EXPONENT ** 2:
            raise OspInputError(f"expression error at position 1: merged exponent {node.exp} exceeds {MAX_EXPONENT ** 2}")
    return value


def names(expr: sympy.Expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def to_rational(value, name: str) -> sympy.Rational:
    """A constant's value: an int, a finite float (read as its decimal text),
    a sympy Rational, or a constant expression string such as "1/8"."""
    if isinstance(value, (bool, int, float, sympy.Rational)):
        return exact_rational(value, name)  # one number reader, with its size caps
    if isinstance(value, str):
        try:
            parsed = parse(value)
        except OspInputError as exc:
            raise OspInputError(f"{name}: {exc}") from None
        if parsed.free_symbols or not parsed.is_Rational:
            raise OspInputError(f"{name} must be a rational constant, got {value!r}")
        return parsed
    raise OspInputError(f"{name} must be a number, got {type(value).__name__}")
