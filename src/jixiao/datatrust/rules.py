"""The data-quality rules' names and the sentence each flag explains itself with. Pure: no database."""

from __future__ import annotations

import math

from jixiao.datatrust.flags import Thresholds

RULE_NAMES: dict[str, str] = {
    "at_target": "完成值恰好等于目标值",
    "jump_pop": "环比异常波动",
    "jump_yoy": "同比异常波动",
    "identical": "多个单位数值完全相同",
    "last_minute": "截止前集中突击填报",
    "zero_incidents": "零值但有事项记录",
    "benford": "首位数字分布异常",
}


def _n(x: float) -> str:
    if math.isnan(x):
        return "—"
    if math.isinf(x):
        return "∞"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def explain(rule: str, *, value: float, score: float, ref: float, t: Thresholds) -> str:
    """Why this value is flagged, in one sentence."""
    if rule == "at_target":
        return (f"该对象本期全部 {int(score)} 项有目标值的指标完成值都恰好等于目标值（本项目标 {_n(ref)}），"
                "请核实是否按目标填报")
    if rule == "jump_pop":
        return (f"与上期（{_n(ref)}）相比变动到 {_n(value)}，偏离本对象历次环比变动 {_n(score)} 个标准差"
                f"（阈值 {_n(t.z)}）")
    if rule == "jump_yoy":
        return (f"与上年同期（{_n(ref)}）相比变动到 {_n(value)}，偏离本对象历次同比变动 {_n(score)} 个标准差"
                f"（阈值 {_n(t.z)}）")
    if rule == "identical":
        return (f"{int(score)} 个考核对象本期该指标都报了 {_n(value)}"
                f"（有 {int(ref)} 位以上有效数字的数值很少巧合相同）")
    if rule == "last_minute":
        silence = "此前本期没有任何填报" if math.isnan(ref) else f"此前已 {_n(ref)} 小时没有填报"
        return f"截止前 {_n(score)} 小时才填报或修改，{silence}（窗口 {_n(t.window_hours)} 小时）"
    if rule == "zero_incidents":
        return f"越低越好的指标报了 0，但本期已登记 {_n(score)} 起相关事项"
    if rule == "benford":
        return (f"金额类指标全年首位数字分布偏离本福特定律（平均绝对偏差 {score:.3f}，阈值 {t.benford_mad:.3f}）；"
                f"本值的首位数字占比 {ref:.1%}，明显偏高")
    return rule
