"""Vector evaluation: the syntax tree over numpy ``float64`` arrays, one pass.

Why two evaluators: :mod:`jixiao.engine.reference` recomputes scores one value at a time
as an independent check on the vectorised engine, and the two must agree bit for bit
(NaN aside).  So ``scalar.py`` and ``vector.py`` are deliberate twins: the same helpers in
the same order, each performing the same IEEE-754 operations in the same sequence as its
counterpart.  A change to one must be mirrored in the other; the tests compare both
modes bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt

from jixiao.engine.formula.scalar import _NAN, _STRIP_LIMIT, _STRIP_SCALE, _frac_pow_scalar
from jixiao.engine.formula.syntax import _Binary, _Call, _Node, _Num, _Power, _Round, _Unary, _Var

Array: TypeAlias = npt.NDArray[np.float64]


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
