"""The data-quality rules again, one value at a time in plain Python (exact fractions for the
jump statistics): what :mod:`jixiao.datatrust.flags` must agree with."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from fractions import Fraction
from typing import Any

from jixiao.datatrust.flags import BENFORD, EXACT, Thresholds

Row = dict[str, Any]
Key = tuple[str, int]  # (rule, vid)


def _micro(x: float) -> int:
    return round(abs(x) * 1_000_000)


def _sig(m: int) -> int:
    text = str(m).rstrip("0")
    return len(text)


def reference(values: list[Row], indicators: list[Row], incidents: list[Row],
              t: Thresholds) -> tuple[set[Key], set[Key]]:
    """(flagged, ambiguous): ambiguous ones lie so near a threshold that rounding may decide."""
    flagged: set[Key] = set()
    unsure: set[Key] = set()
    lower = {r["indicator"] for r in indicators if r["lower_better"]}
    amount = {r["indicator"] for r in indicators if r["amount"]}

    # at_target
    groups: dict[tuple[int, int, int], list[Row]] = defaultdict(list)
    for v in values:
        if v["target"] is not None:
            groups[(v["object"], v["year"], v["seq"])].append(v)
    for rows in groups.values():
        if len(rows) >= t.min_targets and all(abs(r["value"] - r["target"]) <= EXACT for r in rows):
            flagged |= {("at_target", r["vid"]) for r in rows}

    # jumps
    series: dict[tuple[int, int], list[Row]] = defaultdict(list)
    for v in values:
        series[(v["object"], v["indicator"])].append(v)
    for rows in series.values():
        rows.sort(key=lambda r: (r["year"], r["seq"]))
        pop = [(b, b["value"] - a["value"]) for a, b in itertools.pairwise(rows)]
        by_when = {(r["year"], r["seq"]): r for r in rows}
        yoy = [(r, r["value"] - by_when[(r["year"] - 1, r["seq"])]["value"]) for r in rows
               if (r["year"] - 1, r["seq"]) in by_when]
        for rule, changes in (("jump_pop", pop), ("jump_yoy", yoy)):
            if len(changes) - 1 < t.min_history:
                continue
            exact = [Fraction(d) for _, d in changes]
            for i, (r, _) in enumerate(changes):
                others = exact[:i] + exact[i + 1:]
                mean = sum(others, Fraction(0)) / len(others)
                var = sum(((o - mean) ** 2 for o in others), Fraction(0)) / len(others)
                off = abs(exact[i] - mean)
                scale = math.sqrt(sum(e * e for e in exact) / len(exact)) + 1.0
                key = (rule, r["vid"])
                if var == 0:
                    if off > 0:
                        flagged.add(key)
                    if 0 < off <= scale * 1e-5:
                        unsure.add(key)
                    continue
                z = float(off) / math.sqrt(float(var))
                if z > t.z:
                    flagged.add(key)
                if abs(z - t.z) < 1e-6 * t.z or var < Fraction(scale * 1e-8) ** 2:
                    unsure.add(key)

    # identical
    sizes: dict[tuple[int, int, int], int] = defaultdict(int)
    for v in values:
        if _micro(v["value"]) > 0:
            sizes[(v["indicator"], v["year"], v["seq"])] += 1
    same: dict[tuple[int, int, int, float], list[Row]] = defaultdict(list)
    for v in values:
        m = _micro(v["value"])
        n = sizes[(v["indicator"], v["year"], v["seq"])]
        needed = max(t.min_digits, (len(str(n - 1)) if n > 1 else 0) + 2)
        if m > 0 and _sig(m) >= needed:
            same[(v["indicator"], v["year"], v["seq"], v["value"])].append(v)
    for rows in same.values():
        if len(rows) >= t.min_same:
            flagged |= {("identical", r["vid"]) for r in rows}

    # last_minute
    window, silence = int(t.window_hours * 3600), int(t.silence_hours * 3600)
    for v in values:
        if v["deadline"] is None:
            continue
        start = v["deadline"] - window
        if not start <= v["changed_at"] <= v["deadline"]:
            continue
        place = (v["unit"], v["year"], v["seq"])
        before = [w["changed_at"] for w in values if (w["unit"], w["year"], w["seq"]) == place
                  and w["deadline"] is not None and w["changed_at"] < w["deadline"] - window]
        if not before or start - max(before) > silence:
            flagged.add(("last_minute", v["vid"]))

    # zero_incidents
    for v in values:
        if v["indicator"] in lower and abs(v["value"]) <= EXACT and any(
                (i["object"], i["indicator"], i["year"], i["seq"]) == (v["object"], v["indicator"], v["year"], v["seq"])
                and i["count"] > 0 for i in incidents):
            flagged.add(("zero_incidents", v["vid"]))

    # benford
    digits: dict[tuple[int, int], list[tuple[Row, int]]] = defaultdict(list)
    for v in values:
        m = _micro(v["value"])
        if v["indicator"] in amount and m > 0:
            digits[(v["indicator"], v["year"])].append((v, int(str(m)[0])))
    for rows in digits.values():
        if len(rows) < t.benford_min:
            continue
        shares = [sum(1 for _, d in rows if d == k) / len(rows) for k in range(1, 10)]
        mad = sum(abs(s - e) for s, e in zip(shares, BENFORD, strict=True)) / 9
        if mad > t.benford_mad:
            flagged |= {("benford", r["vid"]) for r, d in rows if shares[d - 1] - BENFORD[d - 1] > t.benford_mad}
    return flagged, unsure
