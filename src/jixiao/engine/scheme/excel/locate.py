"""Turning a validation problem's data path back into the sheet, row and column it came from.

``validate_scheme_data`` only knows line numbers, so ``_Locator.locate`` hands it a token per
distinct place, and ``remap`` turns the token back into the place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jixiao.engine.scheme.excel.columns import (
    _CATEGORY_BY_KEY,
    _CHILDREN_LABEL,
    _INDICATOR_BY_KEY,
    _INDICATORS_LABEL,
    _METHOD_COLUMNS,
    _SCHEME_BY_KEY,
    CATEGORY_SHEET,
    INDICATOR_SHEET,
    SCHEME_SHEET,
    _Col,
)
from jixiao.engine.scheme.loader import Problem


@dataclass
class _Place:
    sheet: str
    row: int | None
    path: str



@dataclass
class _Locator:
    """Where the reader found each piece of the scheme data: the 方案 item rows, the category rows,
    the indicator rows (by data path, with the method that decides a rule field's column) and
    the categories whose grades cell was a bare list of bands."""

    name: str
    scheme_rows: dict[str, int]
    category_rows: dict[int, int]
    node_rows: dict[tuple[Any, ...], tuple[int, str | None]]
    grades_as_list: set[int]
    places: list[_Place] = field(default_factory=list)
    tokens: dict[tuple[str, int | None, str], int] = field(default_factory=dict)

    def locate(self, loc: tuple[Any, ...]) -> int:
        """``validate_scheme_data``'s locator: a token (index into ``places``) that ``remap`` turns back into the
        sheet, row and column."""
        place = self.place(loc)
        key = (place.sheet, place.row, place.path)
        if key not in self.tokens:
            self.places.append(place)
            self.tokens[key] = len(self.places)
        return self.tokens[key]

    def place(self, loc: tuple[Any, ...]) -> _Place:
        if loc and loc[0] == "categories":
            if len(loc) >= 2 and isinstance(loc[1], int) and loc[1] in self.category_rows:
                for k in range(len(loc), 3, -1):
                    hit = self.node_rows.get(tuple(loc[:k]))
                    if hit is not None:
                        row, method = hit
                        return _Place(INDICATOR_SHEET, row, _node_path(loc[k:], method))
                return _Place(CATEGORY_SHEET, self.category_rows[loc[1]],
                              _category_path(loc[2:], loc[1] in self.grades_as_list))
            return _Place(CATEGORY_SHEET, None, _CATEGORY_BY_KEY["code"].header)
        key, rest = _scheme_key(loc)
        col = _SCHEME_BY_KEY.get(key)
        if col is None:
            return _Place(SCHEME_SHEET, None, _dotted(loc))
        return _Place(SCHEME_SHEET, self.scheme_rows.get(key), _with_sub(col.header, rest))

    def remap(self, p: Problem) -> Problem:
        if p.line is None or not 1 <= p.line <= len(self.places):
            return p
        place = self.places[p.line - 1]
        return Problem(f"{self.name}[{place.sheet}]", place.row, place.path, p.message)


def _dotted(loc: Iterable[Any]) -> str:
    return ".".join(str(x) for x in loc)


def _with_sub(header: str, rest: Sequence[Any]) -> str:
    return f"{header}: {_dotted(rest)}" if rest else header


def _scheme_key(loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """The 方案 item of a location, and what is left of the location inside that item's cell."""
    if not loc:
        return "code", ()
    head = loc[0]
    if head == "rounding":
        return ("rounding_at", ()) if len(loc) > 1 and loc[1] == "at" else ("decimals", ())
    if head == "periods":
        sub = loc[1] if len(loc) > 1 else None
        if sub == "codes":
            return "period_codes", loc[2:]
        if sub in ("frequency", "year"):
            return str(sub), ()
        if sub == "rollup":
            if len(loc) > 2 and loc[2] == "out_of":
                return "rollup_out_of", ()
            return ("rollup_weights", loc[3:]) if len(loc) > 2 and loc[2] == "weights" else ("rollup", ())
        return "period_codes", ()
    return str(head), loc[1:]


def _rollup_path(rest: tuple[Any, ...], cols: dict[str, _Col]) -> str:
    if len(rest) > 1 and rest[1] == "weights":
        return _with_sub(cols["period_weights"].header, rest[2:])
    if len(rest) > 1 and rest[1] == "out_of":
        return cols["period_out_of"].header
    return cols["periods"].header


def _node_path(rest: tuple[Any, ...], method: str | None) -> str:
    cols = _INDICATOR_BY_KEY
    if not rest:
        return cols["code"].header
    head = rest[0]
    if head == "rule":
        return _rule_path(rest[1:], method)
    if head == "children":
        return _CHILDREN_LABEL
    if head == "bounds":
        return cols["bounds_high" if rest[1:2] == (1,) else "bounds_low"].header
    if head == "periods":
        return _rollup_path(rest, cols)
    if isinstance(head, str) and head in cols:
        return _with_sub(cols[head].header, rest[1:]) if head in ("co_units", "applies_to") else cols[head].header
    return _dotted(rest)


def _rule_path(rest: tuple[Any, ...], method: str | None) -> str:
    cols = _INDICATOR_BY_KEY
    if not rest or rest[0] == "method":
        return cols["method"].header
    known = _METHOD_COLUMNS.get(method or "", {})
    for key, fpath in known.items():
        if rest[:len(fpath)] == fpath:
            return _with_sub(cols[key].header, rest[len(fpath):])
    for key, fpath in known.items():
        if fpath[:len(rest)] == rest:
            return cols[key].header
    return _with_sub(cols["rule"].header, rest)


def _category_path(rest: tuple[Any, ...], grades_as_list: bool) -> str:
    cols = _CATEGORY_BY_KEY
    if not rest:
        return cols["code"].header
    head = rest[0]
    if head == "indicators":
        return _INDICATORS_LABEL
    if head == "results":
        if len(rest) < 2 or rest[1] not in cols:
            return cols["grades"].header
        sub = rest[2:]
        if rest[1] == "grades" and grades_as_list and sub[:1] == ("bands",):
            sub = sub[1:]
        return _with_sub(cols[str(rest[1])].header, sub)
    if head == "periods":
        return _rollup_path(rest, cols)
    if isinstance(head, str) and head in cols:
        return _with_sub(cols[head].header, rest[1:])
    return _dotted(rest)
