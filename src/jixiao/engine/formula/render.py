"""Rendering: the formula text with each variable replaced by its value.

Used for explanation traces, so a clerk sees the arithmetic that was actually done,
in the formula as they wrote it (spacing, brackets and all).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


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


def _render(text: str, spans: Sequence[tuple[int, int, str]], env: Mapping[str, float]) -> str:
    """``text`` with each ``(start, end, name)`` span replaced by the formatted ``env[name]``."""
    parts: list[str] = []
    last = 0
    for start, end, name in spans:
        parts.append(text[last:start])
        parts.append(_format_number(float(env[name])))
        last = end
    parts.append(text[last:])
    return "".join(parts)
