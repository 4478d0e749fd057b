"""Sandboxed evaluator for clerk-written custom scoring formulas (自定义公式).

A formula is a short arithmetic expression over the indicator variables of a
scoring scheme, e.g. ``min(完成值 / 目标值, 1.2) * 分值``.  The text is never handed
to Python: it is read by a small tokenizer and a recursive-descent parser in
this package into immutable node objects, and those nodes are evaluated by hand.
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

Layout
======

One concern per module, so that each stays small enough to review whole:

``syntax``
    limits, :class:`FormulaError`, tokenizer and syntax-tree node classes
``parser``
    the recursive-descent parser (grammar above, limits enforced while parsing)
``vector`` / ``scalar``
    the two evaluators, kept as line-by-line twins (see each module)
``render``
    the formula text with values filled in, for explanation traces
``api``
    :class:`Formula` and :func:`parse_formula`, which tie the others together
"""

from jixiao.engine.formula.api import Formula, parse_formula
from jixiao.engine.formula.syntax import MAX_DEPTH, MAX_EXPONENT, MAX_LENGTH, MAX_NODES, FormulaError

__all__ = [
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NODES",
    "Formula",
    "FormulaError",
    "parse_formula",
]
