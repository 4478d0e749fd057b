"""The indicator-tree editor's data, both ways, and the points/weights sums. Pure, no database.

A scheme's indicator trees become a flat list of :class:`Row` (one per node, in tree order, with
its depth) that a form renders and posts back; :func:`scheme_from_form` turns the rows back into
the scheme's data. Each row carries its original node (``extra``, YAML flow text) and a field
only overwrites the original when what was posted differs from how the original was shown, so
everything the form does not edit (rules with items, period roll-ups, descriptions, bounds …)
comes back exactly as it was: ``scheme_from_form(d, form_from_post(form_to_post(form_from_scheme(d)))) == d``.

A posted field that is missing (``None``) keeps the original too, so a page may leave out the
inputs a row does not need.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import yaml

# Node fields the editor shows as inputs; everything else stays as it was.
NODE_FIELDS = ("code", "name", "points", "weight", "weight_total", "unit", "source")
# Rule fields of the simple methods the editor can write itself.
RULE_FIELDS = ("target", "challenge", "challenge_bonus", "range_low", "range_high")
CATEGORY_FIELDS = ("name", "points", "weight_total")
NUMERIC = frozenset({"points", "weight", "weight_total", "target", "challenge", "challenge_bonus", "range_low",
                     "range_high"})
TEXT_KEEP_SPACES = frozenset({"name"})
SIMPLE_METHODS = ("ratio", "manual")
ROW_FIELDS = ("cat", "depth", *NODE_FIELDS, "method", *RULE_FIELDS, "extra")

_INT = re.compile(r"^[+-]?\d+$")


class _Dumper(yaml.SafeDumper):
    """Safe YAML without anchors: a node reused through an alias is written out again."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """The scheme data as block YAML, keys in their order, Chinese as is."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=120)


def _flow(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True,
                     width=math.inf).strip()


def _load(text: str | None) -> Any:
    if not text:
        return None
    return yaml.safe_load(text)


def show(value: Any) -> str:
    """How a field's value is shown in an input."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value
    return _flow(value)


def parse(name: str, raw: str) -> Any:
    """A typed value for what was typed into field ``name``; ``None`` for an empty input.

    A number that does not parse is kept as typed, so the engine reports it with its place.
    """
    text = raw if name in TEXT_KEEP_SPACES else raw.strip()
    if text.strip() == "":
        return None
    if name in NUMERIC:
        t = text.replace("，", "").replace(",", "").replace(" ", "")  # 1,000 → 1000
        if _INT.match(t):
            return int(t)
        try:
            return float(t)
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class Row:
    """One indicator node as the form has it. ``None`` fields were not posted (keep the original)."""

    cat: int
    depth: int
    code: str | None = ""
    name: str | None = ""
    points: str | None = ""
    weight: str | None = ""
    weight_total: str | None = ""
    unit: str | None = ""
    source: str | None = ""
    method: str | None = ""
    target: str | None = ""
    challenge: str | None = ""
    challenge_bonus: str | None = ""
    range_low: str | None = ""
    range_high: str | None = ""
    extra: str = ""  # the original node (children left out), YAML flow text; "" for a new row

    @property
    def original(self) -> dict[str, Any]:
        data = _load(self.extra)
        return data if isinstance(data, dict) else {}

    @property
    def original_method(self) -> str:
        rule = self.original.get("rule")
        return str(rule.get("method", "")) if isinstance(rule, dict) else ""

    @property
    def fixed_rule(self) -> bool:
        """The leaf keeps a rule the form does not edit (anything but a simple ratio or manual)."""
        return bool(self.original_method) and self.original_method not in SIMPLE_METHODS

    def value(self, name: str) -> str:
        """The text to show in the input of ``name``: what was posted, else the original."""
        posted = getattr(self, name)
        if posted is not None:
            return str(posted)
        return _original_text(self.original, name)


def _original_text(node: Mapping[str, Any], name: str) -> str:
    if name in NODE_FIELDS:
        return show(node.get(name))
    rule = node.get("rule")
    rule = rule if isinstance(rule, dict) else {}
    if name == "method":
        return show(rule.get("method"))
    if name == "target":
        return show(rule.get("target")) if rule.get("method") == "ratio" else ""
    challenge = rule.get("challenge") if rule.get("method") == "ratio" else None
    if name == "challenge":
        return show(challenge.get("value")) if isinstance(challenge, dict) else ""
    if name == "challenge_bonus":
        return show(challenge.get("bonus")) if isinstance(challenge, dict) else ""
    rng = rule.get("range") if rule.get("method") == "manual" else None
    pair = rng if isinstance(rng, list | tuple) and len(rng) == 2 else None
    if name == "range_low":
        return show(pair[0]) if pair else ""
    if name == "range_high":
        return show(pair[1]) if pair else ""
    raise KeyError(name)


@dataclass(frozen=True)
class CategoryForm:
    index: int
    code: str
    name: str | None = ""
    points: str | None = ""
    weight_total: str | None = ""


@dataclass(frozen=True)
class TreeForm:
    categories: tuple[CategoryForm, ...]
    rows: tuple[Row, ...]

    def rows_of(self, cat: int) -> list[tuple[int, Row]]:
        return [(i, r) for i, r in enumerate(self.rows) if r.cat == cat]

    def is_group(self, i: int) -> bool:
        row = self.rows[i]
        nxt = self.rows[i + 1] if i + 1 < len(self.rows) else None
        return nxt is not None and nxt.cat == row.cat and nxt.depth > row.depth


# --- scheme data → form --------------------------------------------------------------------------------


def form_from_scheme(data: Mapping[str, Any]) -> TreeForm:
    cats: list[CategoryForm] = []
    rows: list[Row] = []
    for k, cat in enumerate(_categories(data)):
        cats.append(CategoryForm(index=k, code=show(cat.get("code")), name=show(cat.get("name")),
                                 points=show(cat.get("points")), weight_total=show(cat.get("weight_total"))))
        _rows_of(k, cat.get("indicators"), 0, rows)
    return TreeForm(categories=tuple(cats), rows=tuple(rows))


def _categories(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    cats = data.get("categories")
    return [c for c in cats if isinstance(c, dict)] if isinstance(cats, list) else []


def _rows_of(cat: int, nodes: Any, depth: int, out: list[Row]) -> None:
    if not isinstance(nodes, list):
        return
    for node in nodes:
        if not isinstance(node, dict):
            continue
        extra = {k: ([] if k == "children" else v) for k, v in node.items()}
        values = {name: _original_text(node, name) for name in (*NODE_FIELDS, "method", *RULE_FIELDS)}
        out.append(Row(cat=cat, depth=depth, extra=_flow(extra), **values))
        _rows_of(cat, node.get("children"), depth + 1, out)


# --- form ⇄ POST ---------------------------------------------------------------------------------------


def form_to_post(form: TreeForm) -> dict[str, str]:
    """The form as the flat field names a page posts (``row-3-points``, ``cat-0-name``)."""
    out: dict[str, str] = {"rows": str(len(form.rows)), "cats": str(len(form.categories))}
    for c in form.categories:
        out[f"cat-{c.index}-code"] = c.code
        for name in CATEGORY_FIELDS:
            v = getattr(c, name)
            if v is not None:
                out[f"cat-{c.index}-{name}"] = v
    for i, r in enumerate(form.rows):
        for name in ROW_FIELDS:
            v = getattr(r, name)
            if v is not None:
                out[f"row-{i}-{name}"] = str(v)
    return out


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int(raw or "")
    except ValueError:
        return default


def form_from_post(post: Mapping[str, Any]) -> TreeForm:
    """Read the posted form back; a missing field is ``None`` (keep the original)."""

    def get(key: str) -> str | None:
        v = post.get(key)
        return None if v is None else str(v)

    n_cats = min(_int(get("cats")), 1000)
    n_rows = min(_int(get("rows")), 20000)
    cats = tuple(CategoryForm(index=k, code=get(f"cat-{k}-code") or "",
                              **{name: get(f"cat-{k}-{name}") for name in CATEGORY_FIELDS})
                 for k in range(n_cats))
    rows: list[Row] = []
    for i in range(n_rows):
        cat = _int(get(f"row-{i}-cat"), -1)
        if not 0 <= cat < n_cats:
            continue
        values = {name: get(f"row-{i}-{name}") for name in (*NODE_FIELDS, "method", *RULE_FIELDS)}
        rows.append(Row(cat=cat, depth=max(_int(get(f"row-{i}-depth")), 0), extra=get(f"row-{i}-extra") or "",
                        **values))
    return TreeForm(categories=cats, rows=tuple(_normalised(rows)))


def _normalised(rows: Iterable[Row]) -> list[Row]:
    """Rows grouped by category (stable) with no depth jump of more than one level."""
    out: list[Row] = []
    for r in sorted(rows, key=lambda r: r.cat):
        prev = out[-1] if out and out[-1].cat == r.cat else None
        limit = prev.depth + 1 if prev is not None else 0
        out.append(replace(r, depth=min(r.depth, limit)) if r.depth > limit else r)
    return out


# --- form → scheme data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    data: dict[str, Any]
    paths: dict[int, str] = field(default_factory=dict)  # row index → engine path of its node

    def row_of(self, path: str) -> int | None:
        """The row whose node a problem's path is in (the deepest one)."""
        best: tuple[int, int] | None = None
        for i, p in self.paths.items():
            if (path == p or path.startswith(p + ".")) and (best is None or len(p) > best[0]):
                best = (len(p), i)
        return best[1] if best else None


def _apply(target: dict[str, Any], key: str, posted: str | None, original: Any, name: str | None = None) -> None:
    """Overwrite ``target[key]`` with what was typed, unless it is how the original was shown."""
    if posted is None or posted == show(original):
        return
    value = parse(name or key, posted)
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _rule(row: Row, node: dict[str, Any]) -> dict[str, Any] | None:
    original = node.get("rule")
    orig_method = original.get("method") if isinstance(original, dict) else None
    method = row.method if row.method is not None else (orig_method or "")
    method = method.strip()
    if not method:
        return None
    if method == orig_method and method not in SIMPLE_METHODS:
        return original  # type: ignore[return-value]
    rule: dict[str, Any] = copy.deepcopy(original) if method == orig_method and isinstance(original, dict) \
        else {"method": method}
    if method == "ratio":
        _apply(rule, "target", row.target, rule.get("target"))
        if row.challenge is not None or row.challenge_bonus is not None:
            before = rule.get("challenge")
            ch: dict[str, Any] = dict(before) if isinstance(before, dict) else {}
            _apply(ch, "value", row.challenge, ch.get("value"), "challenge")
            _apply(ch, "bonus", row.challenge_bonus, ch.get("bonus"), "challenge_bonus")
            if ch != (before if isinstance(before, dict) else {}):
                if ch.get("value") is None and ch.get("bonus") is None:
                    rule.pop("challenge", None)
                else:
                    rule["challenge"] = ch
    elif method == "manual":
        rng = rule.get("range")
        pair = list(rng) if isinstance(rng, list | tuple) and len(rng) == 2 else [None, None]
        shown = [show(pair[0]), show(pair[1])]
        posted = [row.range_low, row.range_high]
        if any(p is not None and p != s for p, s in zip(posted, shown)):
            lo = parse("range_low", posted[0]) if posted[0] is not None else pair[0]
            hi = parse("range_high", posted[1]) if posted[1] is not None else pair[1]
            if lo is None and hi is None:
                rule.pop("range", None)
            else:
                rule["range"] = [lo, hi]
    return rule


def _node(row: Row, children: list[dict[str, Any]] | None) -> dict[str, Any]:
    original = row.original
    node = copy.deepcopy(original)
    for name in NODE_FIELDS:
        _apply(node, name, getattr(row, name), original.get(name))
    if children is not None:
        node["children"] = children
        node.pop("rule", None)
        return node
    node.pop("children", None)
    rule = _rule(row, node)
    if rule is None:
        node.pop("rule", None)
    else:
        node["rule"] = rule
    return node


def scheme_from_form(base: Mapping[str, Any], form: TreeForm) -> Built:
    """The scheme data: ``base`` with each category's fields and indicator tree taken from the form."""
    data = copy.deepcopy(dict(base))
    cats = data.get("categories")
    paths: dict[int, str] = {}
    if not isinstance(cats, list):
        return Built(data=data, paths=paths)
    by_index = {c.index: c for c in form.categories}
    for k, cat in enumerate(cats):
        if not isinstance(cat, dict):
            continue
        cf = by_index.get(k)
        if cf is None:
            continue  # not in the form: left as it was
        for name in CATEGORY_FIELDS:
            _apply(cat, name, getattr(cf, name), cat.get(name))
        rows = form.rows_of(k)
        if not rows and "indicators" not in cat:
            continue
        cat["indicators"] = _tree(rows, 0, 0, len(rows), f"categories.{k}.indicators", paths)[0]
    return Built(data=data, paths=paths)


def _tree(rows: list[tuple[int, Row]], depth: int, start: int, stop: int, prefix: str,
          paths: dict[int, str]) -> tuple[list[dict[str, Any]], int]:
    out: list[dict[str, Any]] = []
    j = start
    while j < stop:
        i, row = rows[j]
        end = j + 1
        while end < stop and rows[end][1].depth > row.depth:
            end += 1
        path = f"{prefix}.{len(out)}"
        paths[i] = path
        children = _tree(rows, depth + 1, j + 1, end, f"{path}.children", paths)[0] if end > j + 1 else None
        out.append(_node(row, children))
        j = end
    return out, j


# --- row operations ------------------------------------------------------------------------------------


def _subtree_end(rows: tuple[Row, ...], i: int) -> int:
    end = i + 1
    while end < len(rows) and rows[end].cat == rows[i].cat and rows[end].depth > rows[i].depth:
        end += 1
    return end


def _new_row(cat: int, depth: int) -> Row:
    return Row(cat=cat, depth=depth, method="ratio")


def add_child(form: TreeForm, i: int) -> TreeForm:
    """A new leaf as the last child of row ``i`` (which becomes a group)."""
    if not 0 <= i < len(form.rows):
        return form
    r = form.rows[i]
    end = _subtree_end(form.rows, i)
    rows = (*form.rows[:end], _new_row(r.cat, r.depth + 1), *form.rows[end:])
    return replace(form, rows=rows)


def add_sibling(form: TreeForm, i: int) -> TreeForm:
    """A new leaf right after row ``i`` and its children, at the same level."""
    if not 0 <= i < len(form.rows):
        return form
    r = form.rows[i]
    end = _subtree_end(form.rows, i)
    rows = (*form.rows[:end], _new_row(r.cat, r.depth), *form.rows[end:])
    return replace(form, rows=rows)


def add_top(form: TreeForm, cat: int) -> TreeForm:
    """A new top-level indicator at the end of category ``cat``."""
    if not any(c.index == cat for c in form.categories):
        return form
    last = max((i for i, r in enumerate(form.rows) if r.cat == cat), default=None)
    if last is None:
        before = [i for i, r in enumerate(form.rows) if r.cat < cat]
        pos = (max(before) + 1) if before else 0
    else:
        pos = last + 1
    rows = (*form.rows[:pos], _new_row(cat, 0), *form.rows[pos:])
    return replace(form, rows=rows)


def delete_row(form: TreeForm, i: int) -> TreeForm:
    """Row ``i`` and everything under it gone."""
    if not 0 <= i < len(form.rows):
        return form
    end = _subtree_end(form.rows, i)
    return replace(form, rows=(*form.rows[:i], *form.rows[end:]))


# --- sums ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSum:
    """One group's children against what the group declares."""

    path: str
    code: str
    name: str
    depth: int  # 0 for the category itself
    kind: str  # "points" or "weights"
    declared: float | None  # None: the group takes the sum (no points written)
    actual: float | None  # None: a child's figure is missing or not a number
    ok: bool
    note: str = ""


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    f = float(v)
    return f if math.isfinite(f) else None


def _is_adjustment(node: Mapping[str, Any]) -> bool:
    rule = node.get("rule")
    if not isinstance(rule, dict):
        return False
    return rule.get("method") == "bonus" or (rule.get("method") == "deduction" and rule.get("base") == "zero")


def _children(node: Mapping[str, Any], key: str = "children") -> list[dict[str, Any]]:
    kids = node.get(key)
    return [c for c in kids if isinstance(c, dict)] if isinstance(kids, list) else []


def _weighted(children: list[dict[str, Any]]) -> bool:
    return any(c.get("weight") is not None for c in children if not _is_adjustment(c))


def _points_of(node: Mapping[str, Any]) -> float | None:
    """A child's maximum: its points, or for a group without points the sum of its children."""
    if node.get("points") is not None:
        return _num(node.get("points"))
    kids = [c for c in _children(node) if not _is_adjustment(c)]
    if not kids:
        return None
    if _weighted(kids):
        return 100.0
    total = 0.0
    for c in kids:
        p = _points_of(c)
        if p is None:
            return None
        total += p
    return total


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _group_sum(path: str, code: str, name: str, depth: int, children: list[dict[str, Any]],
               points: Any, weight_total: Any, *, root: bool) -> GroupSum:
    core = [c for c in children if not _is_adjustment(c)]
    if _weighted(core):
        missing = [c for c in core if c.get("weight") is None]
        weights = [_num(c.get("weight")) for c in core]
        declared = _num(weight_total) if weight_total is not None else 100.0
        actual = None if any(w is None for w in weights) else sum(w for w in weights if w is not None)
        note = "部分子项未写权重" if missing else ""
        ok = not missing and actual is not None and declared is not None and _close(actual, declared)
        return GroupSum(path, code, name, depth, "weights", declared, actual, ok, note)
    pts = [_points_of(c) for c in core]
    actual = None if any(p is None for p in pts) or not core else sum(p for p in pts if p is not None)
    declared = _num(points) if points is not None else None
    note = "" if core else "没有计分子项"
    if actual is None and core:
        note = "有子项未写分值"
    ok = actual is not None and (declared is None or _close(actual, declared))
    if points is not None and declared is None:
        ok, note = False, "分值不是数字"
    if declared is None and root:
        ok = False
    return GroupSum(path, code, name, depth, "points", declared, actual, ok, note)


def sums_check(data: Mapping[str, Any]) -> list[GroupSum]:
    """Per group, in tree order: the children's points (or weights) against the group's."""
    out: list[GroupSum] = []
    scale = data.get("scale", 100)
    for k, cat in enumerate(_categories(data)):
        path = f"categories.{k}"
        points = cat.get("points") if cat.get("points") is not None else scale
        out.append(_group_sum(path, show(cat.get("code")), show(cat.get("name")), 0, _children(cat, "indicators"),
                              points, cat.get("weight_total"), root=True))
        _walk_sums(_children(cat, "indicators"), f"{path}.indicators", 1, out)
    return out


def _walk_sums(nodes: list[dict[str, Any]], prefix: str, depth: int, out: list[GroupSum]) -> None:
    for j, node in enumerate(nodes):
        kids = _children(node)
        if not kids:
            continue
        path = f"{prefix}.{j}"
        out.append(_group_sum(path, show(node.get("code")), show(node.get("name")), depth, kids, node.get("points"),
                              node.get("weight_total"), root=False))
        _walk_sums(kids, f"{path}.children", depth + 1, out)


def row_fields() -> tuple[str, ...]:
    """The names of a row's fields, for templates and tests."""
    return tuple(f.name for f in fields(Row))
