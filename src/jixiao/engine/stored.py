"""A scored category's node scores, kept after the scoring run: what reads need without the ledger.

The cockpit's progress (完成进度), the per-period component columns of the official tables and
any other read of "every node's score per period" work from :class:`CategoryArrays` instead of a
fresh :class:`~jixiao.engine.score.ScoreResult`. A recompute turns its result into these arrays
once per category (:meth:`CategoryArrays.from_score`) and stores them as bytes
(:meth:`CategoryArrays.to_bytes`); a page reads them back (:meth:`CategoryArrays.from_bytes`)
without loading or scoring a single ledger value.

Storage is exact: node scores are rounded to the scheme's decimals, so they are kept as integers
in units of 10^-decimals (NaN as a sentinel), which also compresses far better than floats. A
score that does not fit that form (it never happens with the engine's rounding, but a scheme
could ask for many decimals) makes the whole block fall back to float64.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CCategory, CScheme
from jixiao.engine.score import ScoreResult

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

FORMAT = 1
_NAN = np.iinfo(np.int64).min


@dataclass
class CategoryArrays:
    """Every node's scores of one category over its objects, in the engine's local order.

    ``per_period`` is (node, period, object) and ``overall`` (node, object), nodes in the compiled
    category's pre-order (root first), NaN where nothing was scored.
    """

    cc: CCategory
    periods: list[str]
    decimals: int
    objects: list[str]  # object codes
    groups: list[str]  # each object's group label
    per_period: F64
    overall: F64

    @classmethod
    def from_score(cls, result: ScoreResult, category: str) -> CategoryArrays:
        cs = result.category(category)
        n_obj = len(cs.inputs.objects)
        n_per = len(result.scheme.periods)
        per = np.stack(cs.scores.periods) if cs.scores.periods else np.zeros((0, n_per, n_obj))
        overall = np.stack(cs.scores.overall) if cs.scores.overall else np.zeros((0, n_obj))
        ids, groups = result.objects.ids, result.objects.groups
        return cls(cc=cs.cc, periods=list(result.scheme.periods), decimals=result.scheme.decimals,
                   objects=[ids[g] for g in cs.inputs.objects], groups=[groups[g] for g in cs.inputs.objects],
                   per_period=np.asarray(per, dtype=np.float64).reshape(len(cs.cc.nodes), n_per, n_obj),
                   overall=np.asarray(overall, dtype=np.float64).reshape(len(cs.cc.nodes), n_obj))

    @cached_property
    def index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.objects)}

    def local(self, code: str) -> int:
        return self.index[code]

    # --- bytes ------------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """A compressed, self-describing blob (NumPy's npz); the compiled category is not in it:
        the reader supplies it from the scheme version the arrays were scored with."""
        meta = {"format": FORMAT, "category": self.cc.code, "periods": self.periods, "decimals": self.decimals,
                "objects": self.objects, "groups": self.groups, "nodes": [n.code for n in self.cc.nodes]}
        buf = io.BytesIO()
        np.savez_compressed(buf, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                            per_period=_pack(self.per_period, self.decimals),
                            overall=_pack(self.overall, self.decimals))
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, scheme: CScheme, data: bytes) -> CategoryArrays:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"stored scores of format {meta.get('format')!r}, expected {FORMAT}")
            decimals = int(meta["decimals"])
            per, overall = _unpack(z["per_period"], decimals), _unpack(z["overall"], decimals)
        cc = next((c for c in scheme.categories if c.code == meta["category"]), None)
        if cc is None or [n.code for n in cc.nodes] != meta["nodes"]:
            raise ValueError(f"stored scores of {meta['category']} do not match the scheme's nodes")
        return cls(cc=cc, periods=list(meta["periods"]), decimals=decimals, objects=list(meta["objects"]),
                   groups=list(meta["groups"]), per_period=per, overall=overall)


def _pack(a: F64, decimals: int) -> npt.NDArray[Any]:
    """Scores as integers in units of 10^-decimals when that is exact, else the floats."""
    scale = 10.0 ** decimals
    nan = np.isnan(a)
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.rint(np.where(nan, 0.0, a) * scale)
        exact = bool(np.all(nan | (scaled / scale == a))) and bool(np.all(np.abs(scaled) < 2.0 ** 52))
    if not exact:
        return a
    out = scaled.astype(np.int64)
    out[nan] = _NAN
    # The narrowest integer type that holds them keeps the blob small.
    finite = out[~nan]
    lo, hi = (int(finite.min()), int(finite.max())) if finite.size else (0, 0)
    for t in (np.int16, np.int32):
        info = np.iinfo(t)
        if info.min < lo and hi <= info.max:
            narrow = out.astype(t)
            narrow[nan] = info.min
            return narrow
    return out


def _unpack(a: npt.NDArray[np.generic], decimals: int) -> F64:
    if a.dtype.kind == "f":
        return np.asarray(a, dtype=np.float64)
    sentinel = {np.dtype(np.int16): np.iinfo(np.int16).min, np.dtype(np.int32): np.iinfo(np.int32).min}.get(
        a.dtype, _NAN)
    out = a.astype(np.float64) / (10.0 ** decimals)
    out[a == sentinel] = np.nan
    return out
