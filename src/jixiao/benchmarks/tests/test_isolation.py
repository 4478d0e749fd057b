"""The benchmarks stay out of the application: nothing outside ``jixiao.benchmarks`` imports them
(but the CLI's ``jixiao bench``, lazily, inside its branch), and no bench patches a module at run time."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]  # src/jixiao
BENCH = SRC / "benchmarks"


def _imports(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    out: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, node)] + [(f"{node.module}.{alias.name}", node) for alias in node.names]
    return out


def test_nothing_in_the_app_imports_the_benchmarks() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if BENCH in path.parents:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(n) for n in tree.body}
        for name, node in _imports(tree):
            if name == "jixiao.benchmarks" or name.startswith("jixiao.benchmarks."):
                if path.name == "cli.py" and id(node) not in top_level:
                    continue  # `jixiao bench`: a lazy import inside the command's branch
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}: {name}")  # type: ignore[attr-defined]
    assert not offenders


def test_no_bench_patches_a_module() -> None:
    for path in BENCH.rglob("*.py"):
        if "tests" in path.parts:
            continue
        names = {name for name, _ in _imports(ast.parse(path.read_text(encoding="utf-8")))}
        assert not {n for n in names if n.startswith("unittest.mock") or n == "unittest"}, path
        assert "mock.patch" not in path.read_text(encoding="utf-8"), path
