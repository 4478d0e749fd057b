"""Formula syntax: limits, :class:`FormulaError`, tokens and the immutable syntax tree.

Everything here is plain data shared by the parser and both evaluators; nothing here
evaluates anything.  The grammar is described in the package docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final, TypeAlias

MAX_LENGTH: Final = 1000
MAX_DEPTH: Final = 32
MAX_NODES: Final = 300
MAX_EXPONENT: Final = 10
#: ``round(x, n)`` accepts ``n`` up to this many decimals (checked by the parser).
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
