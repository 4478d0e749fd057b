"""The cockpit's charts and red-light lists, built from a :class:`~jixiao.dashboard.selectors.Cockpit`.

Percentages are rounded half up to one decimal and scores to the scheme's decimals, once, here:
the chart, its table and its XLSX all show these same numbers. Averages are over the objects the
user sees.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import numpy as np
from django.urls import reverse

from jixiao.dashboard.charts import Chart, Series
from jixiao.dashboard.selectors import Cockpit, UnitMatters
from jixiao.engine.progress import LABELS, LIGHTS, RED, YELLOW, NodeProgress, explain
from jixiao.engine.rounding import round_half_up

Link = Callable[..., str]


def pct(x: float) -> float:
    """A share as a percentage, rounded half up to one decimal."""
    return float(round_half_up(np.array([x * 100.0]), 1)[0]) if x == x else 0.0


def pts(x: float, decimals: int) -> float:
    return float(round_half_up(np.array([x]), decimals)[0])


def light_label(code: int) -> str:
    return LABELS[LIGHTS[int(code)]]


def indicator_nodes(ck: Cockpit) -> list[NodeProgress]:
    """Every scored indicator below the root (groups and leaves), bonuses and deductions left out."""
    return [n for n in ck.progress.nodes[1:] if n.cn.points and not n.cn.is_adjustment]


# A chart of every object is readable up to a few dozen bars; past that (a city's staff are tens of
# thousands) it shows the best and the worst, and says so: the full list is the ranking page.
ENDS = 30


def ends(items: list[Any], n: int | None = None) -> tuple[list[Any], str]:
    """The first and last ``n`` (:data:`ENDS`) of ``items`` when there are more than 2n, and the words
    saying so."""
    n = ENDS if n is None else n
    if len(items) <= 2 * n:
        return items, ""
    return items[:n] + items[-n:], f"共 {len(items)} 个，图表只列前 {n} 名和后 {n} 名，完整名单见考核结果排名页。"


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else float("nan")


def progress_chart(ck: Cockpit, link: Link) -> Chart:
    """指标完成进度: each indicator's mean completion over the visible objects against its schedule."""
    loc = ck.local_indices()
    rows: list[list[Any]] = []
    links: list[str | None] = []
    for n in indicator_nodes(ck):
        light = n.light[loc]
        rows.append(["　" * (n.cn.depth - 1) + n.cn.name, n.cn.depth, pct(_mean(n.completion[loc])), pct(n.expected),
                     int((light == RED).sum()), int((light == YELLOW).sum())])
        links.append(link("dashboard:indicator", node=n.code))
    return Chart(key="progress", title="指标完成进度", kind="bar", horizontal=True, unit="%",
                 columns=["指标", "层级", "平均完成进度(%)", "时序进度(%)", "滞后单位数", "略滞后单位数"], rows=rows,
                 links=links, series=[Series(2, "平均完成进度", "bar", color="#1565c0"),
                                      Series(3, "时序进度", "scatter", color="#c62828")],
                 note="完成进度＝截至所选日期已得分÷全年分值；时序进度＝已结束考核期在全年中的权重。点击指标看各单位。")


def ranking_chart(ck: Cockpit, link: Link) -> Chart:
    """进度排名: the root's completion per visible object in rank order, with the movement since the
    previous checkpoint (positive: moved up)."""
    root = ck.progress.root
    dec = ck.catalog.compiled.decimals
    before = ck.before.rank if ck.before is not None else None
    rows: list[list[Any]] = []
    links: list[str | None] = []
    shown, cut = ends(list(range(ck.count)))
    for i in shown:
        g = int(ck.local[i])
        move: Any = "—"
        if before is not None:
            d = int(before[g]) - int(ck.progress.rank[g])
            move = f"↑{d}" if d > 0 else f"↓{-d}" if d < 0 else "0"
        rows.append([int(ck.progress.rank[g]), ck.names[i], pct(float(root.completion[g])),
                     pts(float(root.secured[g]), dec), move, light_label(root.light[g])])
        links.append(link("dashboard:unit", obj=ck.codes[i]))
    return Chart(key="ranking", title="进度排名", kind="bar", category_col=1, link_col=1, unit="%",
                 columns=["名次", "单位", "完成进度(%)", "已得分", "较上期", "状态"], rows=rows, links=links,
                 series=[Series(2, "完成进度", "bar")], color_col=5, mark=("时序进度", pct(root.expected)),
                 note=(f"较上期：与{ck.previous.label}相比的名次变化。" if ck.previous else "")
                 + "点击单位看其各项指标。" + cut)


def units_chart(ck: Cockpit, names: dict[int, str], link: Callable[[int], str]) -> Chart:
    """各单位完成进度: the visible objects grouped by their unit (a city's staff by section): how many,
    their mean completion and how many are behind, weakest unit first; a click shows that unit's."""
    root = ck.progress.root
    # Each unit's objects in display order (a stable sort keeps it within the unit), the units in
    # the order their first object comes.
    order = np.argsort(ck.units, kind="stable")
    ids, starts = np.unique(ck.units[order], return_index=True)
    parts = np.split(ck.local[order], starts[1:])
    units = [(_mean(root.completion[parts[j]]), int(ids[j]), parts[j]) for j in np.argsort(order[starts]).tolist()]
    rows: list[list[Any]] = []
    links: list[str | None] = []
    for mean, uid, part in sorted(units, key=lambda u: (u[0], u[1])):
        rows.append([names.get(uid, "—"), len(part), pct(mean), int((root.light[part] == RED).sum())])
        links.append(link(uid))
    shown, cut = ends(rows)
    shown_links = links if not cut else links[:ENDS] + links[-ENDS:]
    return Chart(key="units", title="各单位完成进度", kind="bar", horizontal=True, unit="%",
                 columns=["单位", "人数", "平均完成进度(%)", "滞后人数"], rows=shown, links=shown_links,
                 series=[Series(2, "平均完成进度", "bar")], mark=("时序进度", pct(root.expected)),
                 note="按所在单位汇总；点击单位只看该单位的人员。" + cut)


def grades_chart(ck: Cockpit, ranking_url: str) -> Chart:
    """等次分布: the stored results' grades (as last recomputed), in the scheme's band order."""
    counts = Counter(g or "未定等" for g in ck.grades)
    cat = next(c for c in ck.catalog.scheme.categories if c.code == ck.category.code)
    bands = [b.name for b in cat.results.grades.bands] if cat.results.grades else []
    order = [b for b in bands if b in counts] + sorted(set(counts) - set(bands))
    return Chart(key="grades", title="等次分布", kind="pie", columns=["等次", "单位数"],
                 rows=[[g, counts[g]] for g in order], links=[ranking_url] * len(order),
                 series=[Series(1, "单位数", "pie")], note="按当前计分结果。点击看排名表。")


def trend_chart(ck: Cockpit, link: Link) -> Chart:
    """各期走势: at each checkpoint so far, the schedule and the visible objects' mean, best and worst."""
    loc = ck.local_indices()
    rows: list[list[Any]] = []
    links: list[str | None] = []
    for cp, prog in ck.trend:
        c = prog.completion[loc]
        rows.append([cp.label, pct(prog.expected), pct(_mean(c)), pct(float(c.max()) if len(c) else 0.0),
                     pct(float(c.min()) if len(c) else 0.0)])
        links.append(link("dashboard:cockpit", as_of=cp.day))
    return Chart(key="trend", title="各期走势", kind="bar", unit="%",
                 columns=["截至", "时序进度(%)", "平均完成进度(%)", "最高(%)", "最低(%)"], rows=rows, links=links,
                 series=[Series(1, "时序进度", "line", color="#c62828"),
                         Series(2, "平均完成进度", "line", color="#1565c0"),
                         Series(3, "最高", "line", color="#2e7d32"), Series(4, "最低", "line", color="#9e9e9e")],
                 note="点击某一期，驾驶舱回到那一天。")


def matters_chart(matters: list[UnitMatters]) -> Chart:
    """督办红灯: open supervised matters with red or yellow lights, by lead unit."""
    rows = [[m.unit.name, m.red, m.yellow] for m in matters]
    links: list[str | None] = [f"{reverse('supervision:index')}?unit={m.unit.pk}&lead=1" for m in matters]
    return Chart(key="matters", title="督办事项红黄灯", kind="bar", columns=["牵头单位", "红灯", "黄灯"], rows=rows,
                 links=links, series=[Series(1, "红灯", "bar", stack="lights", color="#c62828"),
                                      Series(2, "黄灯", "bar", stack="lights", color="#f9a825")],
                 note="办理中的督办事项；点击看该单位牵头的事项。")


INDICATOR_COLUMNS = ["单位", "完成进度(%)", "已得分", "全年分值", "状态", "说明"]


def indicator_order(ck: Cockpit, node: NodeProgress) -> list[int]:
    """The visible objects for one indicator: best completion first, then by code."""
    completion = node.completion[ck.local]
    if np.isnan(completion).any():  # a node without points: no completion, the display order stays
        return list(range(ck.count))
    return np.lexsort((np.array(ck.codes, dtype=str), -completion)).tolist()  # type: ignore[no-any-return]


def indicator_rows(ck: Cockpit, node: NodeProgress, shown: list[int], link: Link) -> list[tuple[list[Any], str]]:
    """The rows (:data:`INDICATOR_COLUMNS`) and links of some of the objects of :func:`indicator_order`."""
    dec = ck.catalog.compiled.decimals
    order = [ck.at(i) for i in shown]
    return [([r.name, pct(float(node.completion[r.local])), pts(float(node.secured[r.local]), dec), node.cn.points,
              light_label(node.light[r.local]), explain(ck.progress, node, r.local)], link(r)) for r in order]


def indicator_chart(ck: Cockpit, node: NodeProgress, link: Link) -> Chart:
    """One indicator across the visible objects (drill-down from the progress chart)."""
    shown, cut = ends(indicator_order(ck, node))
    listed = indicator_rows(ck, node, shown, link)
    rows = [row for row, _ in listed]
    if cut:
        cut = cut.replace("完整名单见考核结果排名页", "完整名单见下方全部单位表")
    return Chart(key="objects", title=f"{node.cn.name}：各单位完成进度", kind="bar", horizontal=True, unit="%",
                 columns=INDICATOR_COLUMNS, rows=rows,
                 links=[href for _, href in listed], series=[Series(1, "完成进度", "bar")], color_col=4,
                 mark=("时序进度", pct(node.expected)), note="点击单位看该指标的填报值和佐证材料。" + cut)


def unit_chart(ck: Cockpit, local: int, link: Callable[[NodeProgress], str]) -> Chart:
    """One object's indicators against their schedules (drill-down from the ranking)."""
    dec = ck.catalog.compiled.decimals
    nodes = indicator_nodes(ck)
    rows = [["　" * (n.cn.depth - 1) + n.cn.name, pct(float(n.completion[local])), pct(n.expected),
             pts(float(n.secured[local]), dec), n.cn.points, light_label(n.light[local]),
             explain(ck.progress, n, local)] for n in nodes]
    return Chart(key="indicators", title="各项指标完成进度", kind="bar", horizontal=True, unit="%",
                 columns=["指标", "完成进度(%)", "时序进度(%)", "已得分", "全年分值", "状态", "说明"], rows=rows,
                 links=[link(n) for n in nodes], color_col=5,
                 series=[Series(1, "完成进度", "bar"), Series(2, "时序进度", "scatter", color="#c62828")],
                 note="点击指标看填报值和佐证材料。")


def unit_trend_chart(ck: Cockpit, local: int, link: Callable[[Any], str]) -> Chart:
    """One object's completion at each checkpoint against the schedule and the visible mean."""
    loc = ck.local_indices()
    rows = [[cp.label, pct(p.expected), pct(float(p.completion[local])), pct(_mean(p.completion[loc])),
             p.rank_of(local)] for cp, p in ck.trend]
    return Chart(key="unit_trend", title="各期走势", kind="bar", unit="%", links=[link(cp) for cp, _ in ck.trend],
                 columns=["截至", "时序进度(%)", "本单位完成进度(%)", "平均完成进度(%)", "进度名次"], rows=rows,
                 series=[Series(1, "时序进度", "line", color="#c62828"), Series(2, "本单位", "line", color="#1565c0"),
                         Series(3, "平均", "line", color="#9e9e9e")])


def behind_list(ck: Cockpit) -> list[dict[str, Any]]:
    """Leaf indicators with visible objects behind schedule, most first (红灯：进度滞后的指标)."""
    loc = ck.local_indices()
    out = []
    for n in ck.progress.nodes:
        if not n.cn.is_leaf or not n.cn.points or n.cn.is_adjustment:
            continue
        light = n.light[loc]
        behind = np.flatnonzero(light == RED)
        if len(behind):
            # Names of the first few; the count says how many in all.
            out.append({"node": n, "red": [ck.names[i] for i in behind[:2 * ENDS].tolist()],
                        "count": len(behind)})
    return sorted(out, key=lambda x: (-x["count"], x["node"].cn.index))
