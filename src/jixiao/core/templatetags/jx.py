"""Template filters shared by every app: numbers as the office prints them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any, decimals: int = 2) -> str:
    """A score with fixed decimals; blank for none."""
    if value is None or value == "":
        return ""
    try:
        return f"{float(value):.{int(decimals)}f}"
    except (TypeError, ValueError):
        return str(value)


@register.filter
def plain(value: Decimal | float | str | None) -> str:
    """A reported number without trailing zeros (12.500000 → 12.5); text (a form's value posted
    back) as it was typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return f"{value:g}"


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    return (mapping or {}).get(key)


@register.filter
def masked_phone(value: str | None) -> str:
    """A phone or ID number as screens show it (138****5678): personal data masked (item 25)."""
    from jixiao.core.masking import mask_phone

    return mask_phone(value) if value else ""
