"""The scheme format's help page (考核方案格式说明): docs/scheme-format.md rendered at request time.

Each numbered heading gets an anchor from its number (``## 6. 各计分方法`` → ``#s6``, ``### 6.1`` →
``#s6-1``), so the editor links a field or a scoring method to the section that explains it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

import jixiao

DOC = Path(jixiao.__file__).resolve().parents[2] / "docs" / "scheme-format.md"

# A scoring method → its section (docs/scheme-format.md §6).
METHOD_SECTIONS = {
    "ratio": "s6-1", "deduction": "s6-2", "bonus": "s6-2", "rating": "s6-3", "tiers": "s6-4", "manual": "s6-5",
    "plan": "s6-6", "grade_map": "s6-7", "supervision": "s6-8", "formula": "s6-9",
}
# A field of the format → the section that explains it (the most specific one).
FIELD_SECTIONS = {
    "code": "s1", "name": "s1", "description": "s1", "scale": "s1", "rounding": "s8", "decimals": "s8",
    "periods": "s2", "codes": "s2", "frequency": "s2", "year": "s2", "rollup": "s2-1", "weights": "s2-1",
    "categories": "s3", "groups": "s3", "min_score": "s4-4", "indicators": "s4", "children": "s4", "points": "s4-1",
    "weight": "s4-2", "weight_total": "s4-2", "bonus_cap": "s4-3", "deduction_cap": "s4-3", "bounds": "s4",
    "unit": "s4", "source": "s4", "rule": "s5", "method": "s5", "results": "s9", "ranking": "s9-1",
    "grades": "s9-2", "bands": "s9-2", "reward_basis": "s9-2", "coefficient": "s9-2", "reward": "s9-2",
    "quota": "s9-3", "share": "s9-3", "min_count": "s9-3", "max_count": "s9-3", "ties": "s9-3",
    "vetoes": "s9-4", "effect": "s9-4", "eligibility": "s9-5", "when": "s9-5", "parent_category": "s9-5",
    "parent_grade_in": "s9-5", "parent_value": "s9-5", "multi_year": "s9-6", "min_each": "s9-6",
    "or_top_share": "s9-6", "bottom_report": "s9-7", "count": "s9-7",
    # rule parameters
    "target": "s6-1", "challenge": "s6-1", "lower_is_better": "s6-1", "zero_below": "s6-1", "items": "s6-2",
    "per": "s6-2", "levels": "s6-2", "base": "s6-2", "requires_evidence": "s6-2", "full": "s6-3",
    "tiers": "s6-4", "range": "s6-5", "cap_ratio": "s6-6", "per_overdue": "s6-8", "per_returned": "s6-8",
    "expression": "s6-9", "variables": "s6-9",
}

_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s")


def help_anchor(field: str, method: str | None = None) -> str:
    """The anchor of the section explaining ``field`` (of a rule of ``method``); "" if none."""
    if method and field in ("method", "rule", "") and method in METHOD_SECTIONS:
        return METHOD_SECTIONS[method]
    return FIELD_SECTIONS.get(field, "")


def _anchor(title: str, taken: set[str]) -> str:
    m = _NUMBER.match(title)
    base = "s" + m.group(1).replace(".", "-") if m else "h"
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _without_file_links(children: list[Any]) -> list[Any]:
    """A link to another file of the repository (data-format.md) leads nowhere in the app: its text
    stays, the link goes."""
    out, dropped = [], 0
    for t in children:
        if t.type == "link_open" and not str(t.attrGet("href") or "").startswith(("http://", "https://", "#")):
            dropped += 1
            continue
        if t.type == "link_close" and dropped:
            dropped -= 1
            continue
        out.append(t)
    return out


def render_format_help() -> dict[str, Any]:
    """The document as HTML with anchored headings, and its table of contents (levels 2 and 3)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    text = DOC.read_text(encoding="utf-8")
    tokens = md.parse(text)
    toc: list[dict[str, Any]] = []
    taken: set[str] = set()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and i + 1 < len(tokens):
            title = tokens[i + 1].content
            anchor = _anchor(title, taken)
            tok.attrSet("id", anchor)
            if tok.tag in ("h2", "h3"):
                toc.append({"anchor": anchor, "title": title.replace("`", ""), "level": int(tok.tag[1])})
        elif tok.type == "table_open":
            tok.attrSet("class", "striped")
        elif tok.type == "inline" and tok.children:
            tok.children = _without_file_links(tok.children)
    title = next((tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"),
                 "考核方案格式说明")
    return {"html": md.renderer.render(tokens, md.options, {}), "toc": toc, "doc_title": title}
