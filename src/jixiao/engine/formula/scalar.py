"""Scalar evaluation: the syntax tree over plain Python floats, one value at a time.

Why two evaluators: :mod:`jixiao.engine.reference` recomputes scores one value at a time
as an independent check on the vectorised engine, and the two must agree bit for bit
(NaN aside).  So ``scalar.py`` and ``vector.py`` are deliberate twins: the same helpers in
the same order, each performing the same IEEE-754 operations in the same sequence as its
counterpart.  A change to one must be mirrored in the other; the tests compare both
modes bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Final

from jixiao.engine.formula.syntax import _Binary, _Call, _Node, _Num, _Power, _Round, _Unary, _Var

# Shared with vector.py (imported from here) so the twins cannot drift apart.
_NAN: Final = float("nan")
#: ``round`` strips float noise (9 decimals) only below this magnitude of ``x * 10**n``.
_STRIP_LIMIT: Final = 1e6
_STRIP_SCALE: Final = 1e9


# --------------------------------------------------------------------------- scalar arithmetic
# Every helper here has a twin in vector.py doing the same IEEE-754 operations in the same order.


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
