"""A scored category's node scores, kept after the scoring run: what reads need without the ledger.

The cockpit's progress (完成进度), the per-period component columns of the official tables and
any other read of "every node's score per period" work from :class:`CategoryArrays` instead of a
fresh :class:`~jixiao.engine.score.ScoreResult`. A recompute turns its result into these arrays
once per category (:meth:`CategoryArrays.from_score`) and stores them as bytes, a head and pages
of objects (:meth:`CategoryArrays.head_bytes`, :meth:`CategoryArrays.page_bytes`); a page of the
site reads them back (:meth:`CategoryArrays.from_parts`) without loading or scoring a single ledger
value.

Storage is exact: node scores are rounded to the scheme's decimals, so they are kept as integers
in units of 10^-decimals (NaN as a sentinel), in the narrowest integer type that holds them (a
quarter of the floats' size for 100-point schemes). A
score that does not fit that form (it never happens with the engine's rounding, but a scheme
could ask for many decimals) makes the whole block fall back to float64.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from jixiao.engine.compile import CCategory, CScheme
from jixiao.engine.results import CategoryResults, assign
from jixiao.engine.scheme.checks import category_deps
from jixiao.engine.score import ScoreResult, period_ranks

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]

FORMAT = 3
PAGE = 2048  # objects per stored page
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
    names: list[str]
    groups: list[str]  # each object's group label
    per_period: F64
    overall: F64
    vetoes: dict[str, Bool] = field(default_factory=dict)  # veto code -> (O,), as the inputs had them
    missing: dict[str, Bool] = field(default_factory=dict)  # "missing:…" flag -> (O,)

    @classmethod
    def from_score(cls, result: ScoreResult, category: str) -> CategoryArrays:
        cs = result.category(category)
        n_obj = len(cs.inputs.objects)
        n_per = len(result.scheme.periods)
        per = np.stack(cs.scores.periods) if cs.scores.periods else np.zeros((0, n_per, n_obj))
        overall = np.stack(cs.scores.overall) if cs.scores.overall else np.zeros((0, n_obj))
        ids, names, groups = result.objects.ids, result.objects.names, result.objects.groups
        g = cs.inputs.objects
        return cls(cc=cs.cc, periods=list(result.scheme.periods), decimals=result.scheme.decimals,
                   objects=[ids[i] for i in g], names=[names[i] for i in g], groups=[groups[i] for i in g],
                   per_period=np.asarray(per, dtype=np.float64).reshape(len(cs.cc.nodes), n_per, n_obj),
                   overall=np.asarray(overall, dtype=np.float64).reshape(len(cs.cc.nodes), n_obj),
                   vetoes={k: np.asarray(v, dtype=np.bool_) for k, v in cs.inputs.vetoes.items()},
                   missing={k: np.asarray(v, dtype=np.bool_) for k, v in cs.scores.missing.items()})

    @cached_property
    def index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.objects)}

    def local(self, code: str) -> int:
        return self.index[code]

    # --- bytes ------------------------------------------------------------------------------------
    #
    # Stored as one small head (the object list, names, groups, veto and missing masks) and pages
    # of PAGE objects each (their node scores), so that a patch of a few objects rewrites the head
    # and the pages they sit in, not a city's thirty megabytes. NumPy's npz, not compressed: zlib
    # costs seconds on a city's staff for a third off. The compiled category is not stored: the
    # reader supplies it from the scheme version the scores were computed with.

    def page_count(self, size: int = PAGE) -> int:
        return -(-len(self.objects) // size)

    def head_bytes(self) -> bytes:
        meta = {"format": FORMAT, "category": self.cc.code, "periods": self.periods, "decimals": self.decimals,
                "objects": self.objects, "names": self.names, "groups": self.groups,
                "nodes": [n.code for n in self.cc.nodes], "vetoes": sorted(self.vetoes),
                "missing": sorted(self.missing), "page": PAGE}
        n = len(self.objects)
        masks = np.stack([self.vetoes[k] for k in sorted(self.vetoes)] + [self.missing[k] for k in sorted(
            self.missing)]) if self.vetoes or self.missing else np.zeros((0, n), dtype=np.bool_)
        buf = io.BytesIO()
        np.savez(buf, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                 masks=np.packbits(masks, axis=-1))
        return buf.getvalue()

    def page_bytes(self, k: int, size: int = PAGE) -> bytes:
        """The node scores of objects ``k * size`` up to ``(k + 1) * size``."""
        part = slice(k * size, (k + 1) * size)
        buf = io.BytesIO()
        np.savez(buf, per_period=_pack(self.per_period[:, :, part], self.decimals),
                 overall=_pack(self.overall[:, part], self.decimals))
        return buf.getvalue()

    @classmethod
    def from_parts(cls, scheme: CScheme, head: bytes, pages: list[bytes]) -> CategoryArrays:
        with np.load(io.BytesIO(head), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            if meta.get("format") != FORMAT:
                raise ValueError(f"stored scores of format {meta.get('format')!r}, expected {FORMAT}")
            n = len(meta["objects"])
            masks = np.unpackbits(z["masks"], axis=-1, count=n).astype(np.bool_)
        decimals = int(meta["decimals"])
        cc = next((c for c in scheme.categories if c.code == meta["category"]), None)
        if cc is None or [node.code for node in cc.nodes] != meta["nodes"]:
            raise ValueError(f"stored scores of {meta['category']} do not match the scheme's nodes")
        n_nodes, n_per = len(cc.nodes), len(meta["periods"])
        # Each page is decoded straight into its columns of the whole arrays: no page-sized float
        # temporaries and no concatenation (a city's staff are 100+ MB of node scores).
        per, overall = np.empty((n_nodes, n_per, n)), np.empty((n_nodes, n))
        at = 0
        for page in pages:
            with np.load(io.BytesIO(page), allow_pickle=False) as z:
                p, o = z["per_period"], z["overall"]
                width = p.shape[2]
                if at + width > n:
                    break
                _unpack_into(p, decimals, per[:, :, at:at + width])
                _unpack_into(o, decimals, overall[:, at:at + width])
                at += width
        if at != n:
            raise ValueError(f"stored scores of {meta['category']}: the pages do not hold the {n} objects listed")
        k = len(meta["vetoes"])
        return cls(cc=cc, periods=list(meta["periods"]), decimals=decimals, objects=list(meta["objects"]),
                   names=list(meta["names"]), groups=list(meta["groups"]), per_period=per, overall=overall,
                   vetoes={c: masks[i] for i, c in enumerate(meta["vetoes"])},
                   missing={c: masks[k + i] for i, c in enumerate(meta["missing"])})


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


def _unpack_into(a: npt.NDArray[np.generic], decimals: int, out: F64) -> None:
    """:func:`_unpack` written into ``out`` (a view of the same shape)."""
    if a.dtype.kind == "f":
        out[...] = a
        return
    sentinel = {np.dtype(np.int16): np.iinfo(np.int16).min, np.dtype(np.int32): np.iinfo(np.int32).min}.get(
        a.dtype, _NAN)
    np.divide(a, 10.0 ** decimals, out=out)
    out[a == sentinel] = np.nan


# --- scoring a few objects again ---------------------------------------------------------------------
#
# An indicator's score, and so every node's, depends on its own object's data alone; only the
# results (ranks, grades and their quotas, flags) look across the category. So when a handful of
# objects change, scoring them alone and re-ranking the category from the stored node scores gives
# exactly what scoring the whole category would, unless a rule reads another category (eligibility
# by a parent's grade, a part that follows another category's result, a category others read) or
# other years (multi-year): those categories
# are always scored whole.


def patchable(scheme: CScheme, cc: CCategory) -> bool:
    """Whether changed objects of this category may be scored alone and the category re-ranked."""
    res = cc.category.results
    if res.eligibility or res.multi_year is not None or category_deps(scheme.scheme, cc.category):
        return False
    return not any(cc.code in category_deps(scheme.scheme, other.category) for other in scheme.categories)


def patched(arrays: CategoryArrays, part: CategoryArrays) -> tuple[CategoryArrays, I64] | None:
    """``arrays`` with the objects of ``part`` (the same category, scored alone) put in, and the
    local indices they took; None when ``part`` has an object ``arrays`` lacks or one that moved
    to another group (the caller then scores the category whole)."""
    pos_list = [arrays.index.get(code) for code in part.objects]
    if any(p is None for p in pos_list):
        return None
    pos = np.array(pos_list, dtype=np.int64)
    if [arrays.groups[p] for p in pos.tolist()] != part.groups:
        return None
    per, overall = arrays.per_period.copy(), arrays.overall.copy()
    per[:, :, pos] = part.per_period
    overall[:, pos] = part.overall
    names = list(arrays.names)
    for p, name in zip(pos.tolist(), part.names, strict=True):
        names[p] = name
    n = len(arrays.objects)

    def merge(base: dict[str, Bool], new: dict[str, Bool]) -> dict[str, Bool]:
        out = {}
        for key in sorted(set(base) | set(new)):
            m = base[key].copy() if key in base else np.zeros(n, dtype=np.bool_)
            m[pos] = new.get(key, False)
            if m.any():
                out[key] = m
        return out

    return CategoryArrays(cc=arrays.cc, periods=arrays.periods, decimals=arrays.decimals, objects=arrays.objects,
                          names=names, groups=arrays.groups, per_period=per, overall=overall,
                          vetoes=merge(arrays.vetoes, part.vetoes), missing=merge(arrays.missing, part.missing)), pos


def ranked(arrays: CategoryArrays) -> tuple[CategoryResults, I64]:
    """The category's results and per-period ranks from its node scores, as :func:`score` gives
    them for a :func:`patchable` category."""
    cc = arrays.cc
    root = cc.root
    res = assign(cc.category, arrays.overall[root.index], arrays.groups, points=root.points or 100.0,
                 vetoes=arrays.vetoes, blocked={}, forced={}, history_ok=None)
    for flag, mask in arrays.missing.items():
        res.flags[flag] = mask
    return res, period_ranks(cc, arrays.groups, arrays.per_period[root.index])


def moved(before: tuple[CategoryResults, I64], after: tuple[CategoryResults, I64]) -> Bool:
    """Objects whose result row differs between two rankings of the same objects (rank, grade,
    group size, eligibility, veto, flags or a period's rank); node scores are compared by the caller."""
    (a, ap), (b, bp) = before, after
    out = (a.rank != b.rank) | (a.grade != b.grade) | (a.group_size != b.group_size)
    out |= (a.eligible_top != b.eligible_top) | (a.vetoed != b.vetoed)
    if ap.size:
        out |= (ap != bp).any(axis=0)
    n = len(a.rank)
    for key in set(a.flags) | set(b.flags):
        out |= a.flags.get(key, np.zeros(n, dtype=np.bool_)) != b.flags.get(key, np.zeros(n, dtype=np.bool_))
    return np.asarray(out, dtype=np.bool_)
