"""The ``jixiao`` command: score, explain and validate schemes from files.

Exit codes: 0 success, 1 the scheme or data was refused (every problem printed with its
place), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from jixiao.engine.data import DataError, load_data
from jixiao.engine.scheme.loader import SchemeError, load_scheme
from jixiao.engine.score import ResultRow, ScoreResult, score
from jixiao.engine.trace import explain, headline, n

HEADERS = ["类别", "组别", "名次", "单位/对象", "编码", "总分", "等次", "可评先", "否决", "标记"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效考核计分引擎 / performance assessment scoring")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("score", help="score a scheme over a data file")
    p.add_argument("scheme")
    p.add_argument("data")
    p.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="table")
    p.add_argument("--out", help="write to this file instead of standard output (required for xlsx)")
    p = sub.add_parser("explain", help="print the trace of one object down to each indicator")
    p.add_argument("scheme")
    p.add_argument("data")
    p.add_argument("object_id")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("validate", help="check a scheme file and name every problem with its place")
    p.add_argument("scheme")
    p.add_argument("--data", help="also check a data file against the scheme")
    p = sub.add_parser("schema", help="print the JSON Schema of the scheme file")
    p = sub.add_parser("template", help="write the Excel template of a scheme (or an empty one)")
    p.add_argument("out")
    p.add_argument("--scheme")
    p = sub.add_parser("bench", help="score a synthetic city-size year; engine vs per-value reference")
    p.add_argument("--json", action="store_true")
    p.add_argument("--staff", type=int, default=32000)
    p.add_argument("--units", type=int, default=81)
    p.add_argument("--naive-objects", type=int, default=1600,
                   help="objects scored by the per-value reference (it is slow; values/s is what is compared)")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except SchemeError as e:
        print(f"方案有误 / scheme refused ({len(e.problems)} problems):", file=sys.stderr)
        for prob in e.problems:
            print(f"  {prob}", file=sys.stderr)
        return 1
    except DataError as e:
        print(f"数据有误 / data refused ({e.total} problems), nothing was scored:", file=sys.stderr)
        for dprob in e.problems:
            print(f"  {dprob}", file=sys.stderr)
        if e.total > len(e.problems):
            print(f"  … and {e.total - len(e.problems)} more", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "validate":
        scheme = load_scheme(args.scheme)
        if args.data:
            score(scheme, load_data(args.data))
        print(f"OK: {scheme.code} {scheme.name}")
        return 0
    if args.command == "schema":
        from jixiao.engine.scheme.jsonschema import scheme_json_schema

        print(json.dumps(scheme_json_schema(), ensure_ascii=False, indent=2))
        return 0
    if args.command == "template":
        from jixiao.engine.scheme.excel import write_scheme_workbook

        write_scheme_workbook(load_scheme(args.scheme) if args.scheme else None, Path(args.out))
        return 0
    if args.command == "bench":
        from jixiao.benchmarks.engine import run_bench  # lazily: the app never imports the benches

        return run_bench(as_json=args.json, staff=args.staff, units=args.units, naive_objects=args.naive_objects)
    result = score(load_scheme(args.scheme), load_data(args.data))
    if args.command == "explain":
        try:
            trace = explain(result, args.object_id)
        except KeyError as e:
            print(e.args[0], file=sys.stderr)
            return 1
        if args.json:
            row = next(r for r in result.rows() if r.object_id == args.object_id)
            text = json.dumps({"result": row.as_json(), "trace": trace.as_json()}, ensure_ascii=False, indent=2)
        else:
            text = "\n".join([*headline(result, args.object_id), "", *trace.lines()])
        print(text)
        return 0
    return _write(result, args.format, args.out)


def _write(result: ScoreResult, fmt: str, out: str | None) -> int:
    if fmt == "xlsx":
        if not out:
            print("--format xlsx needs --out FILE", file=sys.stderr)
            return 2
        write_xlsx(result, Path(out))
        return 0
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = to_csv(result)
    else:
        text = to_table(result)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cells(r: ResultRow) -> list[Any]:
    return [r.category, r.group, r.rank, r.object_name, r.object_id, r.total, r.grade or "",
            "是" if r.eligible_top else "否", "是" if r.vetoed else "", " ".join(r.flags)]


def component_codes(result: ScoreResult) -> list[str]:
    seen: list[str] = []
    for c in result.categories:
        for i in c.cc.root.children:
            code = c.cc.nodes[i].code
            if code not in seen:
                seen.append(code)
    return seen


def to_csv(result: ScoreResult) -> str:
    buf = io.StringIO()
    comps = component_codes(result)
    w = csv.writer(buf)
    w.writerow(["category", "group", "rank", "object_name", "object_id", "total", "grade", "eligible_top",
                "vetoed", "flags", *comps])
    for r in result.rows():
        w.writerow([r.category, r.group, r.rank, r.object_name, r.object_id, _fmt(r.total), r.grade or "",
                    int(r.eligible_top), int(r.vetoed), " ".join(r.flags),
                    *[_fmt(r.components.get(c)) for c in comps]])
    return buf.getvalue()


def _fmt(x: float | None) -> str:
    return "" if x is None else n(x)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def to_table(result: ScoreResult) -> str:
    """A ranked table per category, aligned for CJK terminals."""
    out = [f"{result.scheme.scheme.name} ({result.scheme.scheme.code})", ""]
    for cs in sorted(result.categories, key=lambda c: c.cc.position):
        rows = [r for r in result.rows() if r.category == cs.cc.code]
        out.append(f"【{cs.cc.category.name or cs.cc.code}】 {len(rows)}")
        comps = [cs.cc.nodes[i] for i in cs.cc.root.children]
        head = ["名次", "对象", *[c.name for c in comps], "总分", "等次", "标记"]
        body = [[str(r.rank), r.object_name, *[_fmt(r.components.get(c.code)) for c in comps], _fmt(r.total),
                 r.grade or "", " ".join(r.flags)] for r in rows]
        widths = [max(_width(x) for x in col) for col in zip(head, *body, strict=True)]
        for line in [head, *body]:
            out.append("  ".join(x + " " * (w - _width(x)) for x, w in zip(line, widths, strict=True)).rstrip())
        out.append("")
    return "\n".join(out)


def write_xlsx(result: ScoreResult, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "results"
    comps = component_codes(result)
    ws.append(HEADERS + comps)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in result.rows():
        ws.append([_safe(x) for x in _cells(r)] + [r.components.get(c) for c in comps])
    ws.freeze_panes = "A2"
    wb.save(path)


def _safe(x: Any) -> Any:
    """Neutralise text that a spreadsheet would read as a formula."""
    if isinstance(x, str) and x[:1] in ("=", "+", "-", "@"):
        return "'" + x
    return x


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
