"""Result flags in words for the pages (the engine's flag codes are documented in docs/data-format.md)."""

from __future__ import annotations

from collections.abc import Mapping

from jixiao.schemes.catalog import Catalog


def flag_label(flag: str, catalog: Catalog | None = None, category: str | None = None,
               periods: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(css kind, Chinese label) of one flag; ``periods`` names the periods (code → name)."""
    kind, _, rest = flag.partition(":")
    if kind == "veto":
        name = rest
        if catalog and category in catalog.categories:
            name = dict(catalog.categories[category].vetoes).get(rest, rest)
        return "veto", f"一票否决：{name}"
    if kind == "no_top":
        return "veto", f"取消评优资格：{rest}"
    if kind == "rule":
        return "veto", f"按规则定等：{rest}"
    if kind == "quota_tie":
        return "tie", f"名额线并列（{rest}），须审定"
    if kind == "missing":
        code, _, period = rest.partition("@")
        name = code
        if catalog and category:
            leaf = catalog.leaf(category, code)
            name = leaf.name if leaf else code
        period = (periods or {}).get(period, period)
        return "missing", f"无数据按0分：{name}" + (f"（{period}）" if period else "")
    if kind == "bottom_report":
        return "veto", "排名末位，需报送"
    return "other", flag
