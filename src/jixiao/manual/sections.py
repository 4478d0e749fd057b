"""The in-app manual (使用说明): its sections, which page belongs to which, and rendering.

The text is Markdown in ``content/<slug>.md`` (Chinese, first line ``# 标题``), rendered with
markdown-it-py with raw HTML off, so a section can never inject markup. An image written
``![说明](shot:<name>)`` is a screenshot the browser tests take (``manual/tests``) into
``DATA_DIR/manual/<name>.png``: they are made from the running app by every ``make test``, so
they never go stale, and a fresh install without them shows the text alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

CONTENT = Path(__file__).parent / "content"
SHOT_NAME = re.compile(r"^[a-z0-9-]{1,60}$")

# The manual's order; each slug is a file of content/.
ORDER = ("start", "ledger", "incidents", "results", "outcomes", "cockpit", "reports", "supervision", "planning",
         "evaluations", "budget", "datatrust", "schemes", "org", "security")

# Which section explains the page a user is on: by URL namespace (and a path prefix where one
# namespace serves two sections).
BY_NAMESPACE = {"collection": "ledger", "imports": "ledger", "scoring": "results", "whatif": "schemes",
                "schemes": "schemes", "reports": "reports", "supervision": "supervision", "planning": "planning",
                "dashboard": "cockpit", "org": "org", "search": "start", "manual": "start",
                "evaluations": "evaluations", "evaluate": "evaluations", "outcomes": "outcomes",
                "account": "security", "audit": "security", "system": "security", "mfa": "security",
                "budget": "budget", "datatrust": "datatrust"}
BY_PREFIX = (("/ledger/incidents", "incidents"),)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    html: str


def section_for(path: str, namespace: str | None) -> str:
    """The section slug that explains the page at ``path`` (resolved to ``namespace``)."""
    for prefix, slug in BY_PREFIX:
        if path.startswith(prefix):
            return slug
    return BY_NAMESPACE.get(namespace or "", "start")


def sections(shot_url: Any, has_shot: Any) -> list[Section]:
    """Every section rendered; ``shot_url(name)`` is a screenshot's address and ``has_shot(name)``
    whether the tests have made it yet."""
    return [_render(slug, shot_url, has_shot) for slug in ORDER]


@cache
def _source(slug: str) -> tuple[str, str]:
    text = (CONTENT / f"{slug}.md").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    return first.removeprefix("# ").strip(), body


def _render(slug: str, shot_url: Any, has_shot: Any) -> Section:
    title, body = _source(slug)
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(body)
    for tok in tokens:
        for child in tok.children or []:
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            if not src.startswith("shot:"):
                continue
            name = src.removeprefix("shot:")
            if SHOT_NAME.match(name) and has_shot(name):
                child.attrSet("src", shot_url(name))
                child.attrSet("loading", "lazy")
            else:
                # No screenshot yet (a fresh install): say what it would show instead of a broken image.
                child.type, child.tag, child.children = "text", "", None
                child.content = f"（截图：{child.content}）"
    html = md.renderer.render(tokens, md.options, {})
    # Headings inside a section get anchors of their own, "<slug>-<n>", for deep links.
    # (the section's own title is the page's <h2>, so its headings become <h3>).
    counter = iter(range(1, 100))
    html = re.sub(r"<h2>", lambda _m: f'<h3 id="{slug}-{next(counter)}">', html).replace("</h2>", "</h3>")
    return Section(slug=slug, title=title, html=html)
