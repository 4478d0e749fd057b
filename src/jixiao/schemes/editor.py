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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import yaml

from jixiao.schemes.methods import METHODS, PARAM_FIELDS, parse_number, show_value
from jixiao.schemes.sums import GroupSum as GroupSum  # the sums live in sums.py; re-exported
from jixiao.schemes.sums import sums_check as sums_check

# Node fields the editor shows as inputs; everything else stays as it was.
NODE_FIELDS = ("code", "name", "points", "weight", "weight_total", "unit", "source")
# The parameters of every scoring method (a row has one field per name; see methods.py).
RULE_FIELDS = PARAM_FIELDS
CATEGORY_FIELDS = ("name", "points", "weight_total")
NUMERIC = frozenset({"points", "weight", "weight_total"} | {
    p.name for m in METHODS.values() for p in m.params if p.kind == "number"})
TEXT_KEEP_SPACES = frozenset({"name"})
EDITABLE_METHODS = tuple(METHODS)
ROW_FIELDS = ("cat", "depth", *NODE_FIELDS, "method", *RULE_FIELDS, "extra")


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
    if isinstance(value, list | dict):
        return _flow(value)
    return show_value(value)


def parse(name: str, raw: str) -> Any:
    """A typed value for what was typed into field ``name``; ``None`` for an empty input.

    A number that does not parse is kept as typed, so the engine reports it with its place.
    """
    text = raw if name in TEXT_KEEP_SPACES else raw.strip()
    if text.strip() == "":
        return None
    if name in NUMERIC:
        return parse_number(text)  # 1,000 → 1000
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
    lower_is_better: str | None = ""
    zero_below: str | None = ""
    challenge_mode: str | None = ""
    items: str | None = ""
    cap: str | None = ""
    base: str | None = ""
    requires_evidence: str | None = ""
    scale: str | None = ""
    full: str | None = ""
    tiers: str | None = ""
    basis: str | None = ""
    below: str | None = ""
    cap_ratio: str | None = ""
    grades: str | None = ""
    per_overdue: str | None = ""
    per_returned: str | None = ""
    expression: str | None = ""
    variables: str | None = ""
    min: str | None = ""
    max: str | None = ""
    follow_category: str | None = ""
    follow_indicator: str | None = ""
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
        """The leaf keeps a rule the form cannot edit (a method the format does not know)."""
        return bool(self.original_method) and self.original_method not in METHODS

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
    if name not in RULE_FIELDS:
        raise KeyError(name)
    method = METHODS.get(str(rule.get("method")))
    param = method.param(name) if method is not None else None
    return param.show(rule) if param is not None else ""


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
    """The leaf's rule: the original with each parameter of its method that was changed written in;
    a new method starts from ``{method: …}`` and takes the parameters typed for it."""
    original = node.get("rule")
    orig_method = original.get("method") if isinstance(original, dict) else None
    method = row.method if row.method is not None else (orig_method or "")
    method = method.strip()
    if not method:
        return None
    spec = METHODS.get(method)
    if method == orig_method and spec is None:
        return original  # type: ignore[return-value]
    rule: dict[str, Any] = copy.deepcopy(original) if method == orig_method and isinstance(original, dict) \
        else {"method": method}
    for param in spec.params if spec is not None else ():
        posted = getattr(row, param.name)
        if posted is not None and not param.unchanged(posted, rule):
            param.write(rule, posted)
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


def row_fields() -> tuple[str, ...]:
    """The names of a row's fields, for templates and tests."""
    return tuple(f.name for f in fields(Row))
