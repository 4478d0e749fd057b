"""Sandboxed evaluator for clerk-written custom scoring formulas (自定义公式).

A formula is a short arithmetic expression over the indicator variables of a
scoring scheme, e.g. ``min(完成值 / 目标值, 1.2) * 分值``.  The text is never handed
to Python: it is read by a small tokenizer and a recursive-descent parser in
this module into immutable node objects, and those nodes are evaluated by hand.
``eval``, ``exec``, ``compile`` and the ``ast`` module are not used.

Grammar (what a clerk may write)
================================

Numbers
    ``12``, ``3.5``, ``.5``, ``1e3``.  A percent sign directly after a number
    divides it by 100: ``85%`` is ``0.85``.
Variables
    Names of the scheme's indicators.  Letters (Chinese characters included),
    digits and ``_``; a name may not start with a digit: ``value``, ``完成值``,
    ``x2``.  Only names known to the scheme are accepted.  ``and``, ``or`` and
    ``not`` are words of the language, not names.
Operators, from weakest to strongest binding
    ============================  =============================================
    ``a or b``                    1 if either side is non-zero, else 0
    ``a and b``                   1 if both sides are non-zero, else 0
    ``not a``                     1 if ``a`` is zero, else 0
    ``< <= > >= == !=``           comparison, 1 (true) or 0 (false); cannot be
                                  chained: write ``a < b and b < c``
    ``+ -``                       addition, subtraction
    ``* /``                       multiplication, division
    ``-a`` ``+a``                 sign
    ``a ^ n`` (or ``a ** n``)     power, groups from the right: ``2^3^2`` is
                                  ``2^9``.  The exponent must be a plain number
                                  (a leading ``-`` is allowed, and it may itself
                                  be a power of plain numbers) with absolute
                                  value at most 10: ``x^2``, ``x^-1``, ``x^0.5``.
    ============================  =============================================

    ``-x^2`` means ``-(x^2)``.  Round brackets group as usual.
Functions
    ``min(a, b, ...)`` and ``max(a, b, ...)`` (two or more arguments),
    ``abs(x)``, ``round(x)`` / ``round(x, n)`` (``n`` a whole number 0..6;
    halves are rounded away from zero, 四舍五入: ``round(2.5) = 3``,
    ``round(-2.5) = -3``, ``round(2.675, 2) = 2.68``), ``floor(x)``,
    ``ceil(x)``, ``clamp(x, lo, hi)`` (= ``min(max(x, lo), hi)``),
    ``if(cond, a, b)`` (``a`` where ``cond`` is non-zero, else ``b``),
    ``sqrt(x)``.

Results that have no value -- division by zero, ``sqrt`` of a negative number,
``0 ^ -1``, a negative number to a fractional power -- become NaN ("not a
number") instead of stopping the calculation; ``min``/``max``/``clamp`` of
anything with NaN is NaN.  A NaN condition in ``if`` counts as non-zero.

Limits
======

At most :data:`MAX_LENGTH` characters, :data:`MAX_NODES` syntax-tree nodes
(numbers, names, operators and function calls), a nesting depth of
:data:`MAX_DEPTH` (brackets, signs and operands all count: a chain of more than
about 30 ``+`` terms should be split with brackets), and exponents of at most
:data:`MAX_EXPONENT` in absolute value.

Evaluation is one pass over the syntax tree.  No step loops over a number taken
from the data (a power ``x^n`` costs at most ``MAX_EXPONENT`` multiplications,
fixed at parse time), so evaluating a formula costs ``O(MAX_NODES * MAX_EXPONENT)``
array operations, i.e. time proportional to ``MAX_NODES`` times the array size.

Two evaluation modes, same numbers
==================================

:meth:`Formula.evaluate` works on numpy ``float64`` arrays;
:meth:`Formula.evaluate_scalar` works on plain Python floats, one value at a
time, for reference implementations.  Both perform the same sequence of IEEE-754
operations, so they agree bit for bit (NaN aside, which is always just NaN):

* ``a / b`` is NaN wherever ``b == 0`` (not ``inf``).
* ``x ^ n`` with a whole-number ``n`` is ``x * x * ... * x`` (left to right),
  and ``1 / (x * ... * x)`` for negative ``n`` (NaN on zero).  A fractional
  exponent uses :func:`math.pow` in both modes (numpy's vectorised ``pow`` may
  differ from the C library in the last bit); the vector mode applies it element
  by element, which is still one pass.  A fractional power that overflows is NaN.
* ``min``/``max`` pick ``a`` if ``a < b`` (resp. ``a > b``) or ``a`` is NaN,
  else ``b`` -- the same rule in both modes, so even signed zeros agree.
* ``round(x, n)``: ``y = x * 10**n``; if ``|y| < 1e6`` the floating-point noise
  is stripped by rounding ``y`` to 9 decimals the way ``numpy.round`` does
  (``rint(y * 1e9) / 1e9``, written out in both modes so that both agree); then
  ``copysign(floor(|y| + 0.5), y) / 10**n``.  This is why ``round(2.675, 2)``
  gives ``2.68`` although ``2.675`` is stored as ``2.67499999...``.
* ``floor``, ``ceil``, ``abs``, ``sqrt``, comparisons and ``+ - *`` are exact
  IEEE operations in both modes; signed zeros are kept as numpy keeps them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "Formula",
    "FormulaError",
    "parse_formula",
]

MAX_LENGTH: Final = 1000
MAX_DEPTH: Final = 32
MAX_NODES: Final = 300
MAX_EXPONENT: Final = 10

Array: TypeAlias = npt.NDArray[np.float64]

_NAN: Final = float("nan")
#: ``round`` strips float noise (9 decimals) only below this magnitude of ``x * 10**n``.
_STRIP_LIMIT: Final = 1e6
_STRIP_SCALE: Final = 1e9
_MAX_ROUND_DIGITS: Final = 6


class FormulaError(ValueError):
    """A formula that cannot be read or evaluated.

    ``position`` is the 0-based character offset in the formula text; ``str(err)``
    reports it 1-based, e.g. ``"unknown variable 'foo' at position 7"``.
    """

    position: int
    message: str

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message, position)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        return f"{self.message} at position {self.position + 1}"


# --------------------------------------------------------------------------- tokens

_NUMBER: Final = "number"
_NAME: Final = "name"
_OP: Final = "op"
_END: Final = "end"

_KEYWORDS: Final = frozenset({"and", "or", "not"})
_TWO_CHAR_OPS: Final = ("**", "<=", ">=", "==", "!=")
_ONE_CHAR_OPS: Final = frozenset("+-*/^<>(),")
_COMPARISONS: Final = frozenset({"<", "<=", ">", ">=", "==", "!="})
_HINTS: Final = {
    "=": " (use '==' to compare)",
    "!": " (use 'not' or '!=')",
    "（": " (use '(')",
    "）": " (use ')')",
    "，": " (use ',')",
    "％": " (use '%')",
}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    pos: int
    value: float = 0.0


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _describe(tok: _Token) -> str:
    return "end of formula" if tok.kind == _END else f"'{tok.text}'"


def _read_number(text: str, start: int) -> tuple[_Token, int]:
    n = len(text)
    i = start
    while i < n and _is_digit(text[i]):
        i += 1
    if i < n and text[i] == ".":
        i += 1
        while i < n and _is_digit(text[i]):
            i += 1
    if i < n and text[i] in "eE":
        j = i + 1
        if j < n and text[j] in "+-":
            j += 1
        if not (j < n and _is_digit(text[j])):
            raise FormulaError(f"malformed number '{text[start:j]}'", start)
        while j < n and _is_digit(text[j]):
            j += 1
        i = j
    literal = text[start:i]
    value = float(literal)
    if i < n and text[i] == "%":
        i += 1
        value = _percent(literal)
    if not math.isfinite(value):
        raise FormulaError(f"number '{text[start:i]}' is too large", start)
    return _Token(_NUMBER, text[start:i], start, value), i


def _percent(literal: str) -> float:
    """``literal`` / 100, correctly rounded (``12.3%`` is exactly the float 0.123)."""
    mantissa, _, exp = literal.lower().partition("e")
    exponent = int(exp) if exp else 0
    return float(f"{mantissa}e{exponent - 2}")


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif _is_digit(ch) or (ch == "." and i + 1 < n and _is_digit(text[i + 1])):
            tok, i = _read_number(text, i)
            tokens.append(tok)
        elif ch.isidentifier():
            j = i + 1
            while j < n and ("a" + text[j]).isidentifier():
                j += 1
            tokens.append(_Token(_NAME, text[i:j], i))
            i = j
        elif text.startswith(_TWO_CHAR_OPS, i):
            tokens.append(_Token(_OP, text[i : i + 2], i))
            i += 2
        elif ch in _ONE_CHAR_OPS:
            tokens.append(_Token(_OP, ch, i))
            i += 1
        else:
            raise FormulaError(f"unexpected character {ch!r}{_HINTS.get(ch, '')}", i)
    tokens.append(_Token(_END, "", n))
    return tokens


# --------------------------------------------------------------------------- syntax tree


@dataclass(frozen=True, slots=True)
class _Num:
    value: float
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Var:
    name: str
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Unary:
    op: str  # "-", "+", "not"
    operand: _Node
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Binary:
    op: str  # "+", "-", "*", "/", comparisons, "and", "or"
    left: _Node
    right: _Node
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Power:
    base: _Node
    exponent: float
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Round:
    operand: _Node
    digits: int
    pos: int
    depth: int = field(default=1, compare=False)


@dataclass(frozen=True, slots=True)
class _Call:
    func: str  # "min", "max", "abs", "floor", "ceil", "clamp", "if", "sqrt"
    args: tuple[_Node, ...]
    pos: int
    depth: int = field(default=1, compare=False)


_Node: TypeAlias = _Num | _Var | _Unary | _Binary | _Power | _Round | _Call

# name -> (minimum, maximum or None for "no limit") number of arguments
_FUNCTIONS: Final[dict[str, tuple[int, int | None]]] = {
    "min": (2, None),
    "max": (2, None),
    "abs": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceil": (1, 1),
    "clamp": (3, 3),
    "if": (3, 3),
    "sqrt": (1, 1),
}


def _arity_message(func: str, got: int) -> str:
    low, high = _FUNCTIONS[func]
    if high is None:
        need = f"at least {low} arguments"
    elif low == high:
        need = f"exactly {low} argument" + ("" if low == 1 else "s")
    else:
        need = f"{low} or {high} arguments"
    return f"{func}() takes {need}, got {got}"


# --------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, text: str, names: frozenset[str]) -> None:
        self.text = text
        self.names = names
        self.tokens = _tokenize(text)
        self.index = 0
        self.nodes = 0
        self.nesting = 0
        self.used: dict[str, None] = {}
        self.var_spans: list[tuple[int, int, str]] = []

    # -- helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        tok = self.tokens[self.index]
        if tok.kind != _END:
            self.index += 1
        return tok

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == _OP and self.tok.text in ops

    def at_keyword(self, word: str) -> bool:
        return self.tok.kind == _NAME and self.tok.text == word

    def unexpected(self) -> FormulaError:
        return FormulaError(f"unexpected {_describe(self.tok)}", self.tok.pos)

    def expect_close(self) -> None:
        if not self.at_op(")"):
            if self.tok.kind == _END:
                raise FormulaError("missing ')'", self.tok.pos)
            raise FormulaError(f"expected ')' but found {_describe(self.tok)}", self.tok.pos)
        self.advance()

    def enter(self, pos: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise FormulaError(f"formula is nested too deeply (more than {MAX_DEPTH} levels)", pos)

    def leave(self) -> None:
        self.nesting -= 1

    def count(self, pos: int, depth: int) -> int:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(f"formula is too long (more than {MAX_NODES} parts)", pos)
        if depth > MAX_DEPTH:
            raise FormulaError(f"formula is nested too deeply (more than {MAX_DEPTH} levels)", pos)
        return depth

    # -- node constructors (count and check limits)
    def num(self, value: float, pos: int) -> _Num:
        return _Num(value, pos, self.count(pos, 1))

    def var(self, name: str, pos: int) -> _Var:
        return _Var(name, pos, self.count(pos, 1))

    def unary(self, op: str, operand: _Node, pos: int) -> _Unary:
        return _Unary(op, operand, pos, self.count(pos, operand.depth + 1))

    def binary(self, op: str, left: _Node, right: _Node, pos: int) -> _Binary:
        return _Binary(op, left, right, pos, self.count(pos, max(left.depth, right.depth) + 1))

    def power(self, base: _Node, exponent: float, pos: int) -> _Power:
        return _Power(base, exponent, pos, self.count(pos, base.depth + 1))

    def round_(self, operand: _Node, digits: int, pos: int) -> _Round:
        return _Round(operand, digits, pos, self.count(pos, operand.depth + 1))

    def call(self, func: str, args: tuple[_Node, ...], pos: int) -> _Call:
        return _Call(func, args, pos, self.count(pos, max(a.depth for a in args) + 1))

    # -- grammar
    def parse(self) -> _Node:
        node = self.parse_or()
        if self.tok.kind != _END:
            raise self.unexpected()
        return node

    def parse_or(self) -> _Node:
        node = self.parse_and()
        while self.at_keyword("or"):
            pos = self.advance().pos
            node = self.binary("or", node, self.parse_and(), pos)
        return node

    def parse_and(self) -> _Node:
        node = self.parse_not()
        while self.at_keyword("and"):
            pos = self.advance().pos
            node = self.binary("and", node, self.parse_not(), pos)
        return node

    def parse_not(self) -> _Node:
        if self.at_keyword("not"):
            pos = self.advance().pos
            self.enter(pos)
            operand = self.parse_not()
            self.leave()
            return self.unary("not", operand, pos)
        return self.parse_comparison()

    def parse_comparison(self) -> _Node:
        node = self.parse_sum()
        if self.tok.kind == _OP and self.tok.text in _COMPARISONS:
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_sum(), op_tok.pos)
            if self.tok.kind == _OP and self.tok.text in _COMPARISONS:
                raise FormulaError("comparisons cannot be chained (write 'a < b and b < c')", self.tok.pos)
        return node

    def parse_sum(self) -> _Node:
        node = self.parse_product()
        while self.at_op("+", "-"):
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_product(), op_tok.pos)
        return node

    def parse_product(self) -> _Node:
        node = self.parse_unary()
        while self.at_op("*", "/"):
            op_tok = self.advance()
            node = self.binary(op_tok.text, node, self.parse_unary(), op_tok.pos)
        return node

    def parse_unary(self) -> _Node:
        if self.at_op("+", "-"):
            op_tok = self.advance()
            self.enter(op_tok.pos)
            operand = self.parse_unary()
            self.leave()
            return self.unary(op_tok.text, operand, op_tok.pos)
        return self.parse_power()

    def parse_power(self) -> _Node:
        base = self.parse_primary()
        if self.at_op("^", "**"):
            pos = self.advance().pos
            exponent = self.parse_exponent()
            return self.power(base, exponent, pos)
        return base

    def parse_exponent(self) -> float:
        """exponent := ('+' | '-')* NUMBER [('^' | '**') exponent], folded to a constant at parse time."""
        start = self.tok.pos
        negative = False
        while self.at_op("+", "-"):
            if self.advance().text == "-":
                negative = not negative
        if self.tok.kind != _NUMBER:
            raise FormulaError("the exponent must be a plain number, e.g. x ^ 2", start)
        value = self.advance().value
        if self.at_op("^", "**"):
            self.advance()
            self.enter(start)
            inner = self.parse_exponent()
            self.leave()
            value = _pow_scalar(value, inner)
        if negative:
            value = -value
        if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
            raise FormulaError(f"the exponent must be between -{MAX_EXPONENT} and {MAX_EXPONENT}", start)
        return value

    def parse_primary(self) -> _Node:
        tok = self.tok
        if tok.kind == _NUMBER:
            self.advance()
            return self.num(tok.value, tok.pos)
        if tok.kind == _NAME and tok.text not in _KEYWORDS:
            self.advance()
            if self.at_op("("):
                return self.parse_call(tok)
            if tok.text not in self.names:
                raise FormulaError(f"unknown variable '{tok.text}'", tok.pos)
            self.used.setdefault(tok.text, None)
            self.var_spans.append((tok.pos, tok.pos + len(tok.text), tok.text))
            return self.var(tok.text, tok.pos)
        if self.at_op("("):
            self.advance()
            self.enter(tok.pos)
            node = self.parse_or()
            self.expect_close()
            self.leave()
            return node
        raise self.unexpected()

    def parse_call(self, name_tok: _Token) -> _Node:
        func = name_tok.text
        if func not in _FUNCTIONS:
            raise FormulaError(f"unknown function '{func}'", name_tok.pos)
        self.advance()  # "("
        self.enter(name_tok.pos)
        args: list[_Node] = []
        arg_pos: list[int] = []
        if not self.at_op(")"):
            while True:
                arg_pos.append(self.tok.pos)
                args.append(self.parse_or())
                if not self.at_op(","):
                    break
                self.advance()
        self.expect_close()
        self.leave()
        low, high = _FUNCTIONS[func]
        if len(args) < low or (high is not None and len(args) > high):
            raise FormulaError(_arity_message(func, len(args)), name_tok.pos)
        if func == "round":
            digits = 0
            if len(args) == 2:
                arg = args[1]
                if (
                    not isinstance(arg, _Num)
                    or not arg.value.is_integer()
                    or not 0 <= arg.value <= _MAX_ROUND_DIGITS
                ):
                    raise FormulaError(
                        f"round() digits must be a whole number from 0 to {_MAX_ROUND_DIGITS}", arg_pos[1]
                    )
                digits = int(arg.value)
                self.nodes -= 1  # the digits literal is folded into the round node
            return self.round_(args[0], digits, name_tok.pos)
        return self.call(func, tuple(args), name_tok.pos)


# --------------------------------------------------------------------------- scalar arithmetic
# Every helper here has a vector twin below doing the same IEEE-754 operations in the same order.


def _div_scalar(a: float, b: float) -> float:
    return _NAN if b == 0.0 else a / b


def _floor_scalar(x: float) -> float:
    if not math.isfinite(x):
        return x
    r = float(math.floor(x))
    return r if r != 0.0 else math.copysign(0.0, x)  # numpy keeps the sign: floor(-0.0) == -0.0


def _ceil_scalar(x: float) -> float:
    if not math.isfinite(x):
        return x
    r = float(math.ceil(x))
    return r if r != 0.0 else math.copysign(0.0, x)  # numpy: ceil(-0.5) == -0.0


def _rint_scalar(x: float) -> float:
    """Round to the nearest whole number, ties to even (``numpy.rint``)."""
    if not math.isfinite(x):
        return x
    r = float(round(x))
    return r if r != 0.0 else math.copysign(0.0, x)


def _sqrt_scalar(x: float) -> float:
    try:
        return math.sqrt(x)
    except ValueError:
        return _NAN


def _int_pow_scalar(x: float, n: int) -> float:
    if n == 0:
        return 1.0
    r = x
    for _ in range(n - 1):
        r = r * x
    return r


def _frac_pow_scalar(x: float, e: float) -> float:
    try:
        return math.pow(x, e)
    except (ValueError, OverflowError):
        return _NAN


def _pow_scalar(x: float, e: float) -> float:
    if e.is_integer():
        n = int(e)
        if n >= 0:
            return _int_pow_scalar(x, n)
        return _div_scalar(1.0, _int_pow_scalar(x, -n))
    return _frac_pow_scalar(x, e)


def _round_scalar(x: float, digits: int) -> float:
    scale = float(10**digits)
    y = x * scale
    if abs(y) < _STRIP_LIMIT:
        y = _rint_scalar(y * _STRIP_SCALE) / _STRIP_SCALE
    return math.copysign(_floor_scalar(abs(y) + 0.5), y) / scale


def _min_scalar(a: float, b: float) -> float:
    return a if (a < b or math.isnan(a)) else b


def _max_scalar(a: float, b: float) -> float:
    return a if (a > b or math.isnan(a)) else b


def _truth(flag: bool) -> float:
    return 1.0 if flag else 0.0


_SCALAR_BINARY: Final[dict[str, Callable[[float, float], float]]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _div_scalar,
    "<": lambda a, b: _truth(a < b),
    "<=": lambda a, b: _truth(a <= b),
    ">": lambda a, b: _truth(a > b),
    ">=": lambda a, b: _truth(a >= b),
    "==": lambda a, b: _truth(a == b),
    "!=": lambda a, b: _truth(a != b),
    "and": lambda a, b: _truth(a != 0.0 and b != 0.0),
    "or": lambda a, b: _truth(a != 0.0 or b != 0.0),
}


def _eval_scalar(node: _Node, env: Mapping[str, float]) -> float:
    match node:
        case _Num(value=value):
            return value
        case _Var(name=name):
            return env[name]
        case _Unary(op=op, operand=operand):
            a = _eval_scalar(operand, env)
            if op == "-":
                return -a
            if op == "not":
                return _truth(a == 0.0)
            return a
        case _Binary(op=op, left=left, right=right):
            return _SCALAR_BINARY[op](_eval_scalar(left, env), _eval_scalar(right, env))
        case _Power(base=base, exponent=exponent):
            return _pow_scalar(_eval_scalar(base, env), exponent)
        case _Round(operand=operand, digits=digits):
            return _round_scalar(_eval_scalar(operand, env), digits)
        case _Call(func=func, args=arg_nodes):
            args = [_eval_scalar(a, env) for a in arg_nodes]
            if func == "min" or func == "max":
                pick = _min_scalar if func == "min" else _max_scalar
                r = args[0]
                for a in args[1:]:
                    r = pick(r, a)
                return r
            if func == "abs":
                return abs(args[0])
            if func == "floor":
                return _floor_scalar(args[0])
            if func == "ceil":
                return _ceil_scalar(args[0])
            if func == "sqrt":
                return _sqrt_scalar(args[0])
            if func == "clamp":
                return _min_scalar(_max_scalar(args[0], args[1]), args[2])
            if func == "if":
                return args[1] if args[0] != 0.0 else args[2]
    raise AssertionError(f"unhandled node {node!r}")  # pragma: no cover


# --------------------------------------------------------------------------- vector arithmetic
# Called inside ``np.errstate(all="ignore")``.


def _f64(x: Any) -> Array:
    return np.asarray(x, dtype=np.float64)


def _div_vec(a: Array, b: Array) -> Array:
    return _f64(np.where(b == 0.0, _NAN, np.divide(a, b)))


def _int_pow_vec(x: Array, n: int) -> Array:
    if n == 0:
        return np.ones_like(x)
    r = x
    for _ in range(n - 1):
        r = np.multiply(r, x)
    return r


def _pow_vec(x: Array, e: float) -> Array:
    if e.is_integer():
        n = int(e)
        if n >= 0:
            return _int_pow_vec(x, n)
        return _div_vec(_f64(1.0), _int_pow_vec(x, -n))
    # numpy's (possibly SIMD) pow may differ from libm's in the last bit: use math.pow per element.
    ufunc = np.frompyfunc(lambda v: _frac_pow_scalar(float(v), e), 1, 1)
    return _f64(ufunc(x))


def _round_vec(x: Array, digits: int) -> Array:
    scale = float(10**digits)
    y = np.multiply(x, scale)
    stripped = np.divide(np.rint(np.multiply(y, _STRIP_SCALE)), _STRIP_SCALE)
    y = _f64(np.where(np.abs(y) < _STRIP_LIMIT, stripped, y))
    return _f64(np.divide(np.copysign(np.floor(np.add(np.abs(y), 0.5)), y), scale))


def _min_vec(a: Array, b: Array) -> Array:
    return _f64(np.where((a < b) | np.isnan(a), a, b))


def _max_vec(a: Array, b: Array) -> Array:
    return _f64(np.where((a > b) | np.isnan(a), a, b))


_VECTOR_BINARY: Final[dict[str, Callable[[Array, Array], Array]]] = {
    "+": lambda a, b: _f64(np.add(a, b)),
    "-": lambda a, b: _f64(np.subtract(a, b)),
    "*": lambda a, b: _f64(np.multiply(a, b)),
    "/": _div_vec,
    "<": lambda a, b: _f64(np.less(a, b)),
    "<=": lambda a, b: _f64(np.less_equal(a, b)),
    ">": lambda a, b: _f64(np.greater(a, b)),
    ">=": lambda a, b: _f64(np.greater_equal(a, b)),
    "==": lambda a, b: _f64(np.equal(a, b)),
    "!=": lambda a, b: _f64(np.not_equal(a, b)),
    "and": lambda a, b: _f64((a != 0.0) & (b != 0.0)),
    "or": lambda a, b: _f64((a != 0.0) | (b != 0.0)),
}


def _eval_vec(node: _Node, env: Mapping[str, Array]) -> Array:
    match node:
        case _Num(value=value):
            return _f64(value)
        case _Var(name=name):
            return env[name]
        case _Unary(op=op, operand=operand):
            a = _eval_vec(operand, env)
            if op == "-":
                return _f64(np.negative(a))
            if op == "not":
                return _f64(a == 0.0)
            return a
        case _Binary(op=op, left=left, right=right):
            return _VECTOR_BINARY[op](_eval_vec(left, env), _eval_vec(right, env))
        case _Power(base=base, exponent=exponent):
            return _pow_vec(_eval_vec(base, env), exponent)
        case _Round(operand=operand, digits=digits):
            return _round_vec(_eval_vec(operand, env), digits)
        case _Call(func=func, args=arg_nodes):
            args = [_eval_vec(a, env) for a in arg_nodes]
            if func == "min" or func == "max":
                pick = _min_vec if func == "min" else _max_vec
                r = args[0]
                for a in args[1:]:
                    r = pick(r, a)
                return r
            if func == "abs":
                return _f64(np.abs(args[0]))
            if func == "floor":
                return _f64(np.floor(args[0]))
            if func == "ceil":
                return _f64(np.ceil(args[0]))
            if func == "sqrt":
                return _f64(np.sqrt(args[0]))
            if func == "clamp":
                return _min_vec(_max_vec(args[0], args[1]), args[2])
            if func == "if":
                return _f64(np.where(args[0] != 0.0, args[1], args[2]))
    raise AssertionError(f"unhandled node {node!r}")  # pragma: no cover


# --------------------------------------------------------------------------- public API


def _format_number(value: float) -> str:
    """Up to 4 decimals, trailing zeros stripped; negative numbers in brackets: ``(-2.5)``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "(-inf)"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True, slots=True)
class Formula:
    """A parsed formula; build it with :func:`parse_formula`.

    ``names`` holds the variables the formula actually uses.
    """

    text: str
    names: frozenset[str]
    _root: _Node = field(repr=False, compare=False)
    #: (start, end, name) of every variable occurrence in ``text``, in order.
    _spans: tuple[tuple[int, int, str], ...] = field(repr=False, compare=False)

    def _check_env(self, env: Mapping[str, object]) -> None:
        for start, _end, name in self._spans:
            if name not in env:
                raise FormulaError(f"no value for variable '{name}'", start)

    def evaluate(self, env: Mapping[str, npt.NDArray[Any] | float]) -> Array:
        """Evaluate over arrays (scalars broadcast); returns a new float64 array.

        The result has the broadcast shape of all values in ``env``.  Division by zero and
        other undefined operations give NaN elements, never an exception or a warning.
        """
        self._check_env(env)
        values = {name: _f64(env[name]) for name in self.names}
        shape = np.broadcast_shapes(*(np.shape(v) for v in env.values()))
        with np.errstate(all="ignore"):
            result = _eval_vec(self._root, values)
        return np.array(np.broadcast_to(result, shape), dtype=np.float64)

    def evaluate_scalar(self, env: Mapping[str, float]) -> float:
        """Evaluate on plain floats; bit-for-bit the same as :meth:`evaluate` elementwise."""
        self._check_env(env)
        values = {name: float(env[name]) for name in self.names}
        try:
            return _eval_scalar(self._root, values)
        except (ZeroDivisionError, OverflowError, ValueError):  # pragma: no cover - helpers avoid these
            return _NAN

    def render(self, env: Mapping[str, float]) -> str:
        """The formula text with each variable replaced by its value, for explanation traces.

        ``min(value / target, 1.2) * points`` with value=87.5, target=100, points=10
        renders as ``min(87.5 / 100, 1.2) * 10``.
        """
        self._check_env(env)
        parts: list[str] = []
        last = 0
        for start, end, name in self._spans:
            parts.append(self.text[last:start])
            parts.append(_format_number(float(env[name])))
            last = end
        parts.append(self.text[last:])
        return "".join(parts)


def parse_formula(text: str, names: Collection[str]) -> Formula:
    """Parse ``text`` against the allowed variable ``names``.

    Raises :class:`FormulaError` (with the character position) for any text that is not a
    valid formula, uses an unknown name or function, or exceeds the limits.
    """
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula is longer than {MAX_LENGTH} characters", MAX_LENGTH)
    if not text.strip():
        raise FormulaError("empty formula", 0)
    parser = _Parser(text, frozenset(names))
    root = parser.parse()
    return Formula(text, frozenset(parser.used), root, tuple(parser.var_spans))
