"""The engine's typed inputs: the object registry, each category's dense arrays, and the
collector that gathers every data problem before anything is scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from jixiao.engine.compile import CCategory
from jixiao.engine.data import DataError, DataProblem

F64 = npt.NDArray[np.float64]
IArr = npt.NDArray[np.signedinteger[Any]]


@dataclass
class Objects:
    """The registry of assessed objects (考核对象), ordered by category then first mention."""

    ids: list[str]
    names: list[str]
    groups: list[str]
    parents: list[str | None]
    parent: npt.NDArray[np.int64]  # index of each object's parent, -1 for none
    category: npt.NDArray[np.int32]  # index into CScheme.categories
    local: npt.NDArray[np.int64]  # index within its category
    index: dict[str, int]
    # Further objects each one answers for (分管单位), global indices padded with -1: (objects, k).
    oversees: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))


@dataclass
class Followed:
    """What a follow leaf reads: each object's parent's score of the followed part (or the mean of its
    children's; or the share of their grade), per period (P, O) and overall (O,), NaN where there is
    none; the part's points (1 for a grade's share)."""

    per: F64
    overall: F64
    points: float
    parent: npt.NDArray[np.int64]  # global index of the parent, -1 for none (or when following children)
    children: npt.NDArray[np.int64] | None = None  # with ``of: children``: how many each object has


@dataclass
class CategoryInputs:
    """Everything reported for one category, shaped for column-wise scoring."""

    cc: CCategory
    objects: list[int]  # global object indices
    dense: F64  # (slot, period, object)
    incident_amounts: dict[tuple[int, str], F64] = field(default_factory=dict)  # (leaf, item) -> (P, O)
    incident_counts: dict[tuple[int, str], F64] = field(default_factory=dict)
    rating_sum: dict[int, F64] = field(default_factory=dict)  # leaf -> (P, O) Σ score × count
    rating_count: dict[int, F64] = field(default_factory=dict)
    vetoes: dict[str, npt.NDArray[np.bool_]] = field(default_factory=dict)  # veto code -> (O,)
    incidents: pl.DataFrame | None = None  # the accepted rows, for the trace
    ratings: pl.DataFrame | None = None
    na: dict[int, npt.NDArray[np.bool_]] = field(default_factory=dict)  # node -> (O,) objects it does not apply to
    followed: dict[int, Followed] = field(default_factory=dict)  # follow leaf -> the parents' results

    def values(self, leaf: int, variable: str) -> F64:
        block: F64 = self.dense[self.cc.slots[(self.cc.nodes[leaf].code, variable)]]
        return block


class Collector:
    """Gathers data problems (at most a listing's worth each) so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[DataProblem] = []
        self.total = 0

    def rows(self, source: str, rows: pl.Series | npt.NDArray[np.int64], column: str | None, message: str,
             values: list[str] | None = None) -> None:
        rows_l = [int(r) for r in (rows.to_list() if isinstance(rows, pl.Series) else rows.tolist())]
        self.total += len(rows_l)
        for i, r in enumerate(rows_l[: DataError.MAX_LISTED]):
            msg = message.format(values[i]) if values is not None and i < len(values) else message
            self.problems.append(DataProblem(source, r, column, msg))

    def one(self, source: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        self.problems.append(DataProblem(source, row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.source, p.row or 0, p.column or ""))
            raise DataError(self.problems, self.total)
