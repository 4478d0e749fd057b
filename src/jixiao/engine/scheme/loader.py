"""Load a scheme file (YAML or the Excel template) and report every problem with its place.

YAML is parsed twice in effect: once into plain data for pydantic, and once into the node
graph that remembers where each key and item started, so that a pydantic error location
(``categories.0.indicators.2.points``) becomes ``file:line`` a clerk can open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.engine.scheme.checks import check_scheme
from jixiao.engine.scheme.model import Scheme


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scheme file, with its place."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '(top)'}: {self.message}"


class SchemeError(ValueError):
    """The scheme was refused; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_scheme(path: str | Path) -> Scheme:
    """Read a scheme from ``.yaml``/``.yml``/``.json`` or the ``.xlsx`` template."""
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from jixiao.engine.scheme.excel import read_scheme_workbook

        return read_scheme_workbook(p)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SchemeError([Problem(str(p), None, "", f"cannot read the file: {e}")]) from e
    return parse_scheme_text(text, filename=str(p))


FastLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_scheme_text(text: str, *, filename: str = "<scheme>") -> Scheme:
    # One pass with libyaml's parser where it is installed (10× the pure-Python one): the node tree
    # keeps the line numbers for messages, the data is built from the same tree.
    loader = FastLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SchemeError([Problem(filename, line, "", f"not valid YAML: {getattr(e, 'problem', e)}")]) from e
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise SchemeError([Problem(filename, 1, "", "the scheme file must be a mapping of fields")])
    lines = _line_index(node)
    return validate_scheme_data(data, filename=filename, locate=lambda loc: _find_line(lines, data, loc))


def validate_scheme_data(data: dict[str, Any], *, filename: str, locate: Any = None) -> Scheme:
    """Validate plain data as a scheme; ``locate(path) -> line | None`` places problems."""

    def where(loc: tuple[Any, ...]) -> int | None:
        return locate(loc) if locate else None

    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = _clean_loc(data, tuple(err["loc"]))
            problems.append(Problem(filename, where(loc), _fmt(loc), _message(err)))
        raise SchemeError(_dedupe(problems)) from None
    found = check_scheme(scheme)
    if found:
        raise SchemeError([Problem(filename, where(loc), _fmt(loc), msg) for loc, msg in found])
    return scheme


def _message(err: Any) -> str:
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if err["type"] == "extra_forbidden":
        msg = "unknown field (check the spelling against docs/scheme-format.md)"
    if err["type"] == "union_tag_invalid":
        msg = f"unknown method {err.get('input', {}).get('method')!r}; " + msg.split(";")[-1].strip() \
            if isinstance(err.get("input"), dict) else msg
    return msg


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for p in problems:
        key = (p.line, p.path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _clean_loc(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union tags by walking the data: ``rule.ratio.target`` → ``rule.target``.

    A discriminated union adds the tag value (the rule's ``method``); a plain union adds the
    member's type name (``float``, ``tuple[float, float]``). Everything else, including the
    name of a missing field, is a real step of the path and is kept.
    """
    out: list[Any] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            out.append(part)
            cur = cur[part]
        elif (isinstance(cur, dict) and part == cur.get("method")) or (isinstance(part, str) and _is_type_name(part)):
            continue
        else:
            out.append(part)
            cur = None
    return tuple(out)


def _is_type_name(part: str) -> bool:
    return "[" in part or part in {"float", "int", "str", "bool", "list", "dict", "tuple", "none"}


def _fmt(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc)


def _line_index(node: yaml.Node | None) -> dict[tuple[Any, ...], int]:
    """Map every key path to the 1-based line where its value (or key) starts."""
    index: dict[tuple[Any, ...], int] = {}

    def walk(n: yaml.Node, path: tuple[Any, ...]) -> None:
        index.setdefault(path, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = k.value
                index[path + (key,)] = k.start_mark.line + 1
                walk(v, path + (key,))
                index[path + (key,)] = k.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, v in enumerate(n.value):
                walk(v, path + (i,))

    if node is not None:
        walk(node, ())
    return index


def _find_line(index: dict[tuple[Any, ...], int], data: Any, loc: tuple[Any, ...]) -> int | None:
    for n in range(len(loc), -1, -1):
        line = index.get(tuple(loc[:n]))
        if line is not None:
            return line
    return None
