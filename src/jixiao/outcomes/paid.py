"""考核结果兑现表 with the amounts paid: the official table of :mod:`jixiao.reports.tables`, one
column more (兑现金额), the amounts from :mod:`jixiao.outcomes.rewards`. Pure (no database)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from decimal import Decimal

from jixiao.outcomes.rewards import Share, fixed_amounts, split_pool
from jixiao.reports.tables import Column, Context, Entry, Row, Table, rewards_table

MODES = {"pool": "奖金总额按等次系数分配", "pool_score": "奖金总额按等次系数×综合得分分配",
         "fixed": "按等次固定金额（兑现基数×兑现系数）", "period": "津贴总额按所选考核期（月度）得分二次分配"}


def coefficients(ctx: Context, entries: Sequence[Entry]) -> dict[str, Decimal | None]:
    grades = ctx.category.results.grades
    bands = {b.name: b for b in (grades.bands if grades else [])}
    out: dict[str, Decimal | None] = {}
    for e in entries:
        band = bands.get(e.grade)
        out[e.object_code] = Decimal(str(band.coefficient)) if band is not None and band.coefficient is not None \
            else None
    return out


def amounts(ctx: Context, entries: Sequence[Entry], mode: str, amount: Decimal, period: str = "",
            ) -> dict[str, Decimal]:
    """Each object's amount: ``pool``/``pool_score`` share ``amount`` (the pool) by coefficient (×
    score), ``fixed`` pays ``amount`` (the basis) × coefficient, ``period`` shares the month's
    allowance pool by each object's score in that period (月度津贴二次分配). Refusals: RewardError."""
    coef = coefficients(ctx, entries)
    if mode == "fixed":
        return fixed_amounts(amount, coef)
    if mode == "period":
        monthly = []
        for e in entries:
            got = (e.periods.get(period) or {}).get("total")
            score = Decimal(str(got)) if got is not None else None
            monthly.append(Share(e.object_code, max(score or Decimal(0), Decimal(0)), score))
        return split_pool(amount, monthly)
    shares = []
    for e in entries:
        c = coef[e.object_code] or Decimal(0)
        score = Decimal(str(e.total)) if e.total is not None else None
        weight = c * max(score or Decimal(0), Decimal(0)) if mode == "pool_score" else c
        shares.append(Share(e.object_code, weight, score))
    return split_pool(amount, shares)


def paid_table(ctx: Context, entries: Sequence[Entry], got: dict[str, Decimal], mode: str,
               amount: Decimal, period_name: str = "") -> Table:
    """The 兑现表 with 兑现金额（元） before 备注, and the total paid."""
    base = rewards_table(ctx, entries)
    cols = list(base.columns)
    at = len(cols) - 1
    cols.insert(at, Column("兑现金额（元）", 14, "text", "结果兑现"))
    by_seq = list(entries)
    rows: list[Row] = []
    i = 0
    for r in base.blocks[0].rows:
        if r.kind != "data":
            rows.append(r)
            continue
        e = by_seq[i]
        i += 1
        cells = list(r.cells)
        cells.insert(at, f"{got.get(e.object_code, Decimal('0.00')):,.2f}")
        rows.append(Row(tuple(cells)))
    total = sum(got.values(), Decimal("0.00"))
    rows.append(Row(tuple(["合计", *([""] * (at - 1)), f"{total:,.2f}", ""]), "total"))
    label = {"fixed": "兑现基数", "period": "津贴总额"}.get(mode, "奖金总额")
    how = MODES[mode] + (f"（{period_name}）" if period_name else "")
    notes = (*base.notes, f"说明：{how}，{label} {amount:,.2f} 元；金额精确到分，按最大余额法分配尾差"
             "（余额相同时得分高者优先，再按对象编码）；同一对象多项奖励不累加，就高享受。")
    appendix = base.appendix
    if appendix is not None:
        spans = list(appendix.columns)
        spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        appendix = dataclasses.replace(appendix, columns=tuple(spans))
    return dataclasses.replace(base, title=base.title.replace("兑现表", "兑现金额表"), columns=tuple(cols),
                               blocks=(dataclasses.replace(base.blocks[0], rows=tuple(rows)),), notes=notes,
                               appendix=appendix)
