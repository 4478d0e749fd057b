"""The public objects: :class:`Formula` (a parsed formula) and :func:`parse_formula`.

This module only ties the others together: parsing is in ``parser``, evaluation in
``vector``/``scalar``, text output in ``render``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from jixiao.engine.formula.parser import _Parser
from jixiao.engine.formula.render import _render
from jixiao.engine.formula.scalar import _NAN, _eval_scalar
from jixiao.engine.formula.syntax import MAX_LENGTH, FormulaError, _Node
from jixiao.engine.formula.vector import Array, _eval_vec, _f64


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
        return _render(self.text, self._spans, env)


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
