"""数据质量提示 (data-quality flags): implausible patterns in reported values, computed column-wise.

Pure: Polars frames in, a Polars frame of flags out; no Django, no database. A flag is a hint for
the office to look at a value — it never changes a score by itself. The rules run on the columns
as NumPy arrays — counts by ``bincount`` over integer keys, table look-ups, no Python per row and
no sort when the ledger comes ordered by object, indicator and period — since a city's year is
eleven million values and a hash join or a window per rule cost seconds each.

Input frames (the caller codes objects, units and indicators as integers):

``values`` — one row per counting value (完成值):
    vid Int64 (the ledger value's id), object Int32, unit Int32, indicator Int32, year Int32,
    seq Int32 (the period's position in its year), value Float64, target Float64 (null: none),
    changed_at Int64 (epoch seconds of its last change), deadline Int64 (epoch seconds of the
    period's reporting deadline; null: none).
``indicators`` — indicator Int32, lower_better Boolean, amount Boolean.
``incidents`` — object Int32, indicator Int32, year Int32, seq Int32, count Float64: incidents
    recorded against a value indicator of an object in a period.

Each (object, indicator, year, seq) appears once in ``values``.

Output (:data:`FLAG_SCHEMA`): one row per flagged value: the rule, the value's keys, ``score``
(how far it is off: a z-score, a share, a count…) and ``ref`` (what it was compared with). The
rules, each a function below, are:

- ``at_target`` — every one of an object's values with a target in a period is exactly at its
  target (at least ``min_targets`` of them);
- ``jump_pop`` / ``jump_yoy`` — the change against the previous period (against the same period a
  year before) is more than ``z`` standard deviations away from the series' other changes
  (leave-one-out; at least ``min_history`` other changes);
- ``identical`` — the same precise value reported by ``min_same`` or more objects for one
  indicator and period — round figures coincide, precise ones hardly. Precise: at the ledger's six
  decimals, at least (digits of n - 1) + 2 significant digits for a group of n values, and at
  least ``min_digits`` (12345.67 among a few towns is precise; 100 or 95.5 never are);
- ``last_minute`` — a value changed in the last ``window_hours`` before its deadline while its
  unit had changed nothing in that period for ``silence_hours`` before the window (or never);
- ``zero_incidents`` — a lower-is-better value at exactly zero although incidents are recorded
  against it for that object and period;
- ``benford`` — an amount indicator's first digits in a year (at least ``benford_min`` positive
  values) deviate from Benford's law (mean absolute deviation above ``benford_mad``); the values
  of the digits over-represented by more than ``benford_mad`` are flagged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

VALUES_SCHEMA: dict[str, Any] = {
    "vid": pl.Int64, "object": pl.Int32, "unit": pl.Int32, "indicator": pl.Int32, "year": pl.Int32,
    "seq": pl.Int32, "value": pl.Float64, "target": pl.Float64, "changed_at": pl.Int64, "deadline": pl.Int64}
INDICATORS_SCHEMA: dict[str, Any] = {"indicator": pl.Int32, "lower_better": pl.Boolean, "amount": pl.Boolean}
INCIDENTS_SCHEMA: dict[str, Any] = {"object": pl.Int32, "indicator": pl.Int32, "year": pl.Int32, "seq": pl.Int32,
                                    "count": pl.Float64}
FLAG_SCHEMA: dict[str, Any] = {
    "rule": pl.String, "vid": pl.Int64, "object": pl.Int32, "unit": pl.Int32, "indicator": pl.Int32,
    "year": pl.Int32, "seq": pl.Int32, "value": pl.Float64, "score": pl.Float64, "ref": pl.Float64}
RULES = ("at_target", "jump_pop", "jump_yoy", "identical", "last_minute", "zero_incidents", "benford")
BENFORD = np.array([math.log10(1 + 1 / d) for d in range(1, 10)])
# Two numbers are "exactly" equal when they agree to the ledger's precision (six decimals).
EXACT = 5e-7
POW10 = 10 ** np.arange(19, dtype=np.int64)

Ints = npt.NDArray[np.integer[Any]]
Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Thresholds:
    """The rules' settings (configurable per review; the defaults are conservative)."""

    min_targets: int = 3
    z: float = 4.0
    min_history: int = 4
    min_same: int = 3
    min_digits: int = 4
    window_hours: float = 24.0
    silence_hours: float = 240.0
    benford_min: int = 300
    benford_mad: float = 0.015


@dataclass(frozen=True)
class Hits:
    """One rule's flagged rows (positions in ``values``) with their score and reference number."""

    rule: str
    rows: Ints
    score: Floats
    ref: Floats


@dataclass(frozen=True)
class Cols:
    """The value columns as NumPy arrays (nulls: NaN for numbers, -1 for times)."""

    obj: Ints
    unit: Ints
    ind: Ints
    year: Ints
    seq: Ints
    value: Floats
    target: Floats
    changed: Ints
    deadline: Ints

    @property
    def n(self) -> int:
        return len(self.value)


def _dense(a: Ints) -> tuple[Ints, int]:
    """Codes 0…k-1 for the distinct numbers of ``a`` in their order, and k: through a table as long
    as the range (no sort) when the range is moderate."""
    if a.size == 0:
        return a, 0
    low, high = int(a.min()), int(a.max())
    if high - low > 50_000_000:
        uniq, inverse = np.unique(a, return_inverse=True)
        return inverse.astype(np.int64), len(uniq)
    seen = np.zeros(high - low + 1, dtype=np.bool_)
    seen[a - low] = True
    rank = np.cumsum(seen) - 1
    return rank[a - low].astype(np.int64), int(seen.sum())


def _key(*cols: Ints) -> tuple[Ints, int]:
    """One code for the combination of the columns, in their lexicographic order, and the number
    of codes: each column by its offset from its minimum (ids and years span small ranges); the
    combination is made dense when the product of the ranges grows large."""
    key: Ints = np.zeros(len(cols[0]), dtype=np.int64)
    size = 1
    for c in cols:
        if c.size == 0:
            return key, 1
        low, high = int(c.min()), int(c.max())
        span = high - low + 1
        if size * span > 200_000_000:
            key, size = _dense(key)
            if size * span > 200_000_000:
                code, span = _dense(c)
                key = key * span + code
                size *= span
                continue
        key *= span
        key += c - low
        size *= span
    return key, size


def _cols(values: pl.DataFrame) -> Cols:
    def ints(c: str, fill: int = -1) -> Ints:
        # As stored (Int32 codes stay 32-bit): a copy of eleven million is a page-faulting 90 MB.
        col = values[c]
        out: Ints = (col.fill_null(fill) if col.null_count() else col).to_numpy()
        return out

    def floats(c: str) -> Floats:
        col = values[c]
        out: Floats = (col.fill_null(np.nan) if col.null_count() else col).to_numpy()
        return out

    return Cols(obj=ints("object"), unit=ints("unit"), ind=ints("indicator"), year=ints("year"), seq=ints("seq"),
                value=floats("value"), target=floats("target"), changed=ints("changed_at"),
                deadline=ints("deadline"))


def at_target(c: Cols, t: Thresholds) -> Hits:
    """Every value with a target of an object in a period exactly at it."""
    has = ~np.isnan(c.target)
    rows = np.flatnonzero(has)
    key, size = _key(c.obj[rows], c.year[rows], c.seq[rows])
    exact = np.abs(c.value[rows] - c.target[rows]) <= EXACT
    n = np.bincount(key, minlength=size)
    n_exact = np.bincount(key, weights=exact, minlength=size)
    ok = (n >= t.min_targets) & (n_exact == n)
    hit = ok[key]
    return Hits("at_target", rows[hit], n[key[hit]].astype(np.float64), c.target[rows[hit]])


def _loo(rule: str, series: Ints, size: int, rows: Ints | None, d: Floats, prev: Floats, t: Thresholds,
         valid: Mask | None = None, offset: int = 0) -> Hits:
    """Rows whose change ``d`` lies more than ``t.z`` deviations from their series' other changes
    (leave-one-out mean and population deviation, from the series' sums). A series whose other
    changes are all equal flags any change that differs from them clearly.

    Sifted per series first: with the series' n, centre c = Σd/n and Qc = Σ(d - c)², the
    leave-one-out test (d - m₋)² > z²·var₋ is, solved for d, |d - c| > z·√((n-1)·Qc/(n·(n + z²))) —
    one comparison per row; the few rows near or beyond that width are then tested one by one.

    ``valid`` (optional) marks the rows that are changes (the others go to a bucket of their own
    that never flags); a row's position in the values is ``rows[i]``, or ``i + offset`` without
    ``rows``. ``d`` is used as scratch space."""
    if valid is not None:
        series = np.where(valid, series, size)
    n_s = np.bincount(series, minlength=size + 1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        center = np.bincount(series, weights=d, minlength=size + 1) / n_s
    e = center[series]
    np.subtract(d, e, out=e)  # centred: the sums below do not cancel digits away
    qc_s = np.bincount(series, weights=np.multiply(e, e, out=d), minlength=size + 1)
    z2 = t.z * t.z
    with np.errstate(invalid="ignore", divide="ignore"):
        width = t.z * np.sqrt((n_s - 1) * qc_s / (n_s * (n_s + z2)))
    width = np.where(n_s - 1 >= t.min_history, width * (1 - 1e-6) - 1e-12 * (np.abs(center) + 1), np.inf)
    width[size] = np.inf
    cand = np.flatnonzero(np.abs(e, out=d) > width[series])
    series, e, prev = series[cand], e[cand], prev[cand]
    at = rows[cand] if rows is not None else cand + offset
    n, qc = n_s[series], qc_s[series]
    k = n - 1
    # The others' mean lies at -e/k from the centre, their variance is (Qc - e²)/k - (e/k)².
    var = np.maximum((qc - e * e) / k - (e / k) ** 2, 0.0)
    off = np.abs(e) * n / k
    # "Equal" changes: equal to about nine digits of the series' typical change.
    tol = (np.sqrt(qc / n) + np.abs(center[series]) + 1.0) * 1e-9
    flat = var <= tol * tol
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(flat, np.inf, off / np.sqrt(np.where(flat, 1.0, var)))
    hit = np.where(flat, off > tol * 1e3, z > t.z)
    return Hits(rule, at[hit], z[hit], prev[hit])


def jumps(c: Cols, t: Thresholds) -> list[Hits]:
    """``jump_pop`` and ``jump_yoy``: changes far off the object's own history for the indicator."""
    series, size = _key(c.obj, c.ind)
    when, n_when = _key(c.year, c.seq)
    full = series * n_when + when
    # The ledger usually comes in this order already (by object, indicator, period): then no sort,
    # and the changes are slices of the columns (views, no copies).
    order: Ints | None = None
    if c.n > 1 and not bool(np.all(full[1:] > full[:-1])):
        order = np.argsort(full, kind="stable")
        s_sorted, v_sorted, full_sorted = series[order], c.value[order], full[order]
    else:
        s_sorted, v_sorted, full_sorted = series, c.value, full
    pop = _loo("jump_pop", s_sorted[1:], size, None if order is None else order[1:], v_sorted[1:] - v_sorted[:-1],
               v_sorted[:-1], t, valid=s_sorted[1:] == s_sorted[:-1], offset=1)
    low, high = int(c.year.min()), int(c.year.max())
    if low == high:
        return [pop, Hits("jump_yoy", np.zeros(0, np.int64), np.zeros(0), np.zeros(0))]
    # The same series a year before: look the (series, year-1, seq) key up in the sorted keys.
    # ``when`` is (year - low) * seq span + (seq - its low): a year before is one seq span less.
    n_seq = int(c.seq.max()) - int(c.seq.min()) + 1
    has = c.year > low
    wanted = full[has] - n_seq
    at = np.minimum(np.searchsorted(full_sorted, wanted), c.n - 1)
    found = full_sorted[at] == wanted
    rows = np.flatnonzero(has)[found]
    prev = v_sorted[at[found]]
    return [pop, _loo("jump_yoy", series[rows], size, rows, c.value[rows] - prev, prev, t)]


def _among(codes: Ints, chosen: Ints) -> Mask:
    """Whether each code is one of ``chosen`` (a table lookup; ``np.isin`` would sort)."""
    if len(chosen) == 0 or len(codes) == 0:
        return np.zeros(len(codes), dtype=np.bool_)
    size = max(int(codes.max()), int(chosen.max())) + 1
    table = np.zeros(size, dtype=np.bool_)
    table[chosen[chosen >= 0]] = True
    out: Mask = table[np.maximum(codes, 0)] & (codes >= 0)
    return out


def _micro(x: Floats) -> Ints:
    """Absolute values in millionths (the ledger keeps six decimals), as integers."""
    out: Ints = np.rint(np.minimum(np.abs(x), 9e12) * 1e6).astype(np.int64)
    return out


def precise(micro: Ints, digits: Ints | int) -> Mask:
    """Whether positive integers have at least ``digits`` significant digits (trailing zeros do
    not count): with d digits in all, the last d - digits + 1 of them are not all zero."""
    places = _digits(micro) - digits + 1
    out: Mask = (places > 0) & (micro % POW10[np.clip(places, 0, 18)] != 0)
    return out


def _digits(micro: Ints) -> Ints:
    """Number of decimal digits of positive integers (exact: log10 corrected by a comparison)."""
    e = np.floor(np.log10(np.maximum(micro, 1).astype(np.float64))).astype(np.int64)
    e = np.clip(e, 0, 18)
    e = np.where(micro < POW10[e], e - 1, e)
    e = np.where((e < 18) & (micro >= POW10[np.minimum(e + 1, 18)]), e + 1, e)
    out: Ints = e + 1
    return out


def first_digit(micro: Ints) -> Ints:
    """First significant digit of positive integers."""
    out: Ints = micro // POW10[_digits(micro) - 1]
    return out


def _hash(a: Ints, b: Ints, mult: int, bits: int) -> Ints:
    """A ``bits``-bit hash of the pairs (a, b) (multiply-shift: the top bits of a mixed product)."""
    with np.errstate(over="ignore"):
        mixed = (a.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ b.astype(np.uint64)) * np.uint64(mult)
    out: Ints = (mixed >> np.uint64(64 - bits)).astype(np.int64)
    return out


def identical(c: Cols, t: Thresholds) -> Hits:
    """A precise value shared by several objects for one indicator and period. Candidates are
    sifted by three hash counts (a value shared ``min_same`` times is counted that often in every
    one of them); the few left are grouped exactly."""
    micro = _micro(c.value)
    rows = np.flatnonzero((micro > 0) & ~np.isnan(c.value))
    group, size = _key(c.ind[rows], c.year[rows], c.seq[rows])
    # Among n values, chance coincidences need fewer digits the more values there are: ask for
    # (digits of n - 1) + 2 significant digits, at least ``min_digits``.
    n = np.bincount(group, minlength=size)[group]
    needed = np.maximum(t.min_digits, np.where(n > 1, _digits(np.maximum(n - 1, 1)), 0) + 2)
    keep = precise(micro[rows], needed)
    rows, group, needed = rows[keep], group[keep], needed[keep]
    bits = c.value[rows].view(np.int64)
    for mult in (0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93):
        # About four counters a row (at most 2²⁴): few rows share a counter by chance.
        width = int(np.clip(np.ceil(np.log2(max(len(rows), 1) * 4)), 10, 24))
        h = _hash(group, bits, mult, width)
        keep = np.bincount(h, minlength=1 << width)[h] >= t.min_same
        rows, group, bits, needed = rows[keep], group[keep], bits[keep], needed[keep]
    cand = pl.DataFrame({"row": rows, "g": group, "v": c.value[rows], "d": needed})
    counted = cand.with_columns(pl.len().over(["g", "v"]).alias("n")).filter(pl.col("n") >= t.min_same)
    hit = counted["row"].to_numpy().astype(np.int64)
    same = counted["n"].to_numpy().astype(np.float64)
    return Hits("identical", hit, same, counted["d"].to_numpy().astype(np.float64))


def last_minute(c: Cols, t: Thresholds) -> Hits:
    """Changes in the window before the deadline after the unit's long silence in that period."""
    window = int(t.window_hours * 3600)
    silence = int(t.silence_hours * 3600)
    dated = (c.deadline >= 0) & (c.changed >= 0)
    start = c.deadline - window
    late = dated & (c.changed >= start) & (c.changed <= c.deadline)
    if not late.any():
        return Hits("last_minute", np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    key, size = _key(c.unit, c.year, c.seq)
    late_groups = np.zeros(size, dtype=np.bool_)
    late_groups[key[late]] = True
    earlier = np.flatnonzero(dated & (c.changed < start) & late_groups[key])
    last = np.full(size, -1, dtype=np.int64)
    if len(earlier):
        frame = pl.DataFrame({"k": key[earlier], "t": c.changed[earlier]}).group_by("k").agg(pl.col("t").max())
        last[frame["k"].to_numpy()] = frame["t"].to_numpy()
    rows = np.flatnonzero(late)
    before = last[key[rows]]
    gap = start[rows] - before
    hit = (before < 0) | (gap > silence)
    hours = (c.deadline[rows] - c.changed[rows]) / 3600
    gap_hours = np.where(before < 0, np.nan, gap / 3600)
    return Hits("last_minute", rows[hit], hours[hit], gap_hours[hit])


def zero_incidents(c: Cols, indicators: pl.DataFrame, incidents: pl.DataFrame) -> Hits:
    """Lower-is-better values at zero with incidents recorded against them."""
    lower = indicators.filter(pl.col("lower_better"))["indicator"].to_numpy().astype(np.int64)
    rows = np.flatnonzero((np.abs(c.value) <= EXACT) & _among(c.ind, lower))
    if len(rows) == 0 or incidents.height == 0:
        return Hits("zero_incidents", np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    keys = ["object", "indicator", "year", "seq"]
    zero = pl.DataFrame({"row": rows, "object": c.obj[rows].astype(np.int64), "indicator": c.ind[rows].astype(np.int64),
                         "year": c.year[rows].astype(np.int64), "seq": c.seq[rows].astype(np.int64)})
    counts = (incidents.filter(pl.col("count") > 0).with_columns(pl.col(k).cast(pl.Int64) for k in keys)
              .group_by(keys).agg(pl.col("count").sum()))
    hit = zero.join(counts, on=keys, how="inner")
    return Hits("zero_incidents", hit["row"].to_numpy().astype(np.int64), hit["count"].to_numpy(),
                np.zeros(hit.height))


def benford(c: Cols, indicators: pl.DataFrame, t: Thresholds) -> Hits:
    """First digits of amount indicators against Benford's law, per indicator and year."""
    amount = indicators.filter(pl.col("amount"))["indicator"].to_numpy().astype(np.int64)
    micro = _micro(c.value)
    rows = np.flatnonzero(_among(c.ind, amount) & (micro > 0) & ~np.isnan(c.value))
    if len(rows) == 0:
        return Hits("benford", np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
    digit = first_digit(micro[rows])
    key, size = _key(c.ind[rows], c.year[rows])
    n = np.bincount(key, minlength=size)
    counts = np.bincount(key * 9 + digit - 1, minlength=size * 9).reshape(size, 9)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = counts / n[:, None]
    excess = share - BENFORD[None, :]
    mad = np.abs(excess).mean(axis=1)
    bad = (n >= t.benford_min)[:, None] & (mad > t.benford_mad)[:, None] & (excess > t.benford_mad)
    hit = bad[key, digit - 1]
    return Hits("benford", rows[hit], mad[key[hit]], share[key[hit], digit[hit] - 1])


def flags_compute(values: pl.DataFrame, indicators: pl.DataFrame, incidents: pl.DataFrame,
                  thresholds: Thresholds | None = None, rules: tuple[str, ...] = RULES) -> pl.DataFrame:
    """Every rule (or those named) over the ledger; one row per flagged value and rule."""
    t = thresholds or Thresholds()
    values = values.select([pl.col(k).cast(d) for k, d in VALUES_SCHEMA.items()])
    indicators = indicators.select([pl.col(k).cast(d) for k, d in INDICATORS_SCHEMA.items()])
    incidents = incidents.select([pl.col(k).cast(d) for k, d in INCIDENTS_SCHEMA.items()])
    if values.height == 0:
        return pl.DataFrame(schema=FLAG_SCHEMA)
    c = _cols(values)
    hits: list[Hits] = []
    if "at_target" in rules:
        hits.append(at_target(c, t))
    if "jump_pop" in rules or "jump_yoy" in rules:
        hits += [h for h in jumps(c, t) if h.rule in rules]
    if "identical" in rules:
        hits.append(identical(c, t))
    if "last_minute" in rules:
        hits.append(last_minute(c, t))
    if "zero_incidents" in rules:
        hits.append(zero_incidents(c, indicators, incidents))
    if "benford" in rules:
        hits.append(benford(c, indicators, t))
    rows = np.concatenate([h.rows for h in hits]) if hits else np.zeros(0, np.int64)
    picked = values.select("vid", "object", "unit", "indicator", "year", "seq", "value")[pl.Series(rows)]
    names = [h.rule for h in hits]
    which = np.repeat(np.arange(len(hits), dtype=np.int32), [len(h.rows) for h in hits])
    return picked.with_columns(
        pl.Series("rule", which, dtype=pl.Int32).replace_strict(
            list(range(len(names))), names, return_dtype=pl.String),
        pl.Series("score", np.concatenate([h.score for h in hits]) if hits else [], dtype=pl.Float64),
        pl.Series("ref", np.concatenate([h.ref for h in hits]) if hits else [], dtype=pl.Float64),
    ).select(list(FLAG_SCHEMA))
