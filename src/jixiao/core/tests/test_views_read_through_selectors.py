"""Views read through selectors: no view module touches a model's manager or fetches with
``get_object_or_404``/``get_list_or_404``. Scoping (organisation, units) and the query counts of
every read then live in the apps' ``selectors`` modules, where one fix reaches every page and the
API; a view that read the ORM directly could forget the organisation filter and show another
organisation's record.

The rule is checked on the source (``ast``), so it cannot erode unnoticed: a new direct read fails
here with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jixiao

ROOT = Path(jixiao.__file__).parent
FETCH_SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
MANAGERS = {"objects", "_default_manager"}


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def direct_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) of every direct ORM read in a module's source: ``<Model>.objects`` (a
    capitalised name before the manager: a form's ``choices.objects`` is no manager), a call to a
    fetch shortcut, or an import of one (an alias would hide the call)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            owner = _last_name(node.value)
            if owner is not None and owner[:1].isupper():
                found.append((node.lineno, f"{owner}.{node.attr}"))
        elif isinstance(node, ast.Call) and _last_name(node.func) in FETCH_SHORTCUTS:
            found.append((node.lineno, f"{_last_name(node.func)}()"))
        elif isinstance(node, ast.ImportFrom):
            found.extend((node.lineno, f"import {a.name}") for a in node.names if a.name in FETCH_SHORTCUTS)
    return sorted(found)


def view_modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("views*.py") if "tests" not in p.relative_to(ROOT).parts)


def test_the_detector_finds_each_kind_of_direct_read() -> None:
    source = (
        "from django.shortcuts import get_object_or_404, render\n"
        "from django import shortcuts\n"
        "a = Value.objects.filter(pk=1)\n"
        "b = get_object_or_404(qs, pk=1)\n"
        "c = shortcuts.get_list_or_404(qs)\n"
        "d = models.Period._default_manager.all()\n"
        "e = form.choices.objects\n"  # a dataclass field, not a manager
        "f = value_get(scope=scope, pk=1)\n"
    )
    assert direct_reads(source) == [(1, "import get_object_or_404"), (3, "Value.objects"),
                                    (4, "get_object_or_404()"), (5, "get_list_or_404()"),
                                    (6, "Period._default_manager")]


def test_view_modules_are_found() -> None:
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    # The API's viewsets are views too: their querysets come from api/selectors.py.
    assert {"api/views.py", "collection/views.py", "supervision/views_reminders.py"} <= names


def test_views_read_through_selectors() -> None:
    offences = [f"{p.relative_to(ROOT)}:{line}: {what}"
                for p in view_modules() for line, what in direct_reads(p.read_text(encoding="utf-8"))]
    assert not offences, ("Views read through selectors (move the read into the app's selectors, "
                          "scoped):\n" + "\n".join(offences))
