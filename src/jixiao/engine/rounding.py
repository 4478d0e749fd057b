"""Rounding (舍入): half away from zero (四舍五入) to a number of decimals.

Binary floats cannot hold most decimal fractions (2.675 is 2.67499999…), so the scaled
value is first cleaned to 1e-6 of the last kept digit, then rounded half away from zero.
A clerk's 8.745 therefore becomes 8.75, as on paper. The vector and scalar forms perform
the same IEEE operations in the same order, so the engine and the per-value reference
agree to the bit.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
NOISE = 1e6


def round_half_up(x: F64, decimals: int) -> F64:
    """Round every element half away from zero; NaN stays NaN."""
    f = 10.0**decimals
    s = x * f
    s *= NOISE
    np.rint(s, out=s)
    s /= NOISE
    sign = np.sign(s)
    np.abs(s, out=s)
    s += 0.5
    np.floor(s, out=s)
    s *= sign
    s /= f
    s += 0.0  # turn -0.0 into 0.0
    return s


def round_half_up_scalar(x: float, decimals: int) -> float:
    """The scalar twin of :func:`round_half_up`."""
    if math.isnan(x):
        return x
    f = 10.0**decimals
    scaled = float(round(x * f * NOISE)) / NOISE
    sign = (scaled > 0) - (scaled < 0)
    return sign * math.floor(abs(scaled) + 0.5) / f + 0.0


def round_count(x: float, mode: str) -> int:
    """A quota count from a share of a group size: half_up, floor or ceil."""
    cleaned = float(round(x * NOISE)) / NOISE
    if mode == "floor":
        return math.floor(cleaned)
    if mode == "ceil":
        return math.ceil(cleaned)
    return math.floor(cleaned + 0.5)
