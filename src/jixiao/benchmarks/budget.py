"""Budget performance benchmarks (`make bench`): the dual-monitoring lights of 10,000 projects and
an execution import of 10,000 rows.

``python -m jixiao.benchmarks.budget [--json] [--small]`` sets up a county of 100 budget units with
``PROJECTS`` approved projects of 5 indicators each (progress reported), bulk-inserted (the set-up
is not measured), then measures, in a fresh SQLite database (or DATABASE_URL):

- the lights alone: :func:`jixiao.budget.rules.lights` and ``completion_means`` on the columns of
  10,000 projects — target < 1 s (it takes milliseconds);
- the monitoring lights from the database: :func:`jixiao.budget.selectors.lights` reading the
  projects, their latest execution and their indicators' progress (plain columns) and lighting
  every one — target < 1 s; and, for information, the board's rows with each project's record;
- an execution import of 10,000 rows end to end: a workbook of 10,000 rows (one month of every
  project) read and checked cell by cell (:mod:`jixiao.budget.sheets`), then written all or nothing
  by ``executions_import`` with its audit entries — target < 10 s.

``--small`` runs 500 projects (a quick check that the bench works; the numbers then say little).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import time
from decimal import Decimal
from typing import Any

import numpy as np

from jixiao.benchmarks.common import bench_main

PROJECTS = 10_000
UNITS = 100
PER_PROJECT = 5
YEAR = 2025
SEED = 20261206


def _count() -> int:
    return 500 if "--small" in sys.argv[1:] else PROJECTS


def build(n: int) -> dict[str, Any]:
    from jixiao.budget.models import Indicator, Project
    from jixiao.org import services as org
    from jixiao.org.models import RoleGrant, Unit
    from jixiao.org.selectors import scope_for_user

    county = org.unit_create(actor=None, code="county", name="测试县人民政府", kind=Unit.Kind.GOVERNMENT)
    units = [org.unit_create(actor=None, code=f"u{i:03d}", name=f"预算单位{i:03d}", kind=Unit.Kind.DEPARTMENT,
                             parent=county) for i in range(UNITS)]
    office = org.account_create(actor=None, username="office", password="bench-password-1", display_name="财政局")
    org.grant_add(actor=None, user=office, role=RoleGrant.Role.OFFICE_ADMIN)
    rng = np.random.default_rng(SEED)
    amounts = np.round(rng.uniform(1e5, 5e7, n), 2)
    Project.objects.bulk_create([
        Project(organisation_id=county.organisation_id, unit=units[k % UNITS], year=YEAR, code=f"P{k:05d}",
                name=f"项目{k:05d}", amount=Decimal(f"{amounts[k]:.2f}"), start=dt.date(YEAR, 1, 1),
                end=dt.date(YEAR, 12, 31), state=Project.State.APPROVED, budget_entered=True)
        for k in range(n)], batch_size=2000)
    ids = list(Project.objects.order_by("code").values_list("pk", flat=True))
    targets = rng.uniform(1, 1000, (n, PER_PROJECT))
    progress = targets * rng.uniform(0.3, 1.1, (n, PER_PROJECT))
    Indicator.objects.bulk_create([
        Indicator(project_id=pid, position=j, part="output", sub="quantity", name=f"指标{j}", standard="plan",
                  target=Decimal(f"{targets[k, j]:.2f}"), unit="个",
                  direction="lower" if j == 3 else "higher", progress=Decimal(f"{progress[k, j]:.2f}"))
        for k, pid in enumerate(ids) for j in range(PER_PROJECT)], batch_size=5000)
    return {"office": office, "scope": scope_for_user(office), "amounts": amounts, "organisation":
            county.organisation_id, "n": n}


def workbook(n: int, amounts: np.ndarray[Any, Any]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("执行数")
    ws.append(["项目编码", "月份", "累计支付金额"])
    shares = np.random.default_rng(SEED + 1).uniform(0.05, 0.7, n)  # some far behind the half year gone
    for k in range(n):
        ws.append([f"P{k:05d}", "2025-06", round(float(amounts[k]) * float(shares[k]), 2)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run() -> dict[str, Any]:
    from jixiao.budget import rules, selectors, sheets
    from jixiao.budget.importing import EXECUTION_COLS
    from jixiao.budget.models import Execution
    from jixiao.budget.services import ExecutionRow, executions_import

    n = _count()
    w = build(n)
    # The lights alone, on columns (one indicator row per project × 5).
    rng = np.random.default_rng(SEED)
    owner = np.repeat(np.arange(n, dtype=np.int64), PER_PROJECT)
    value, target = rng.uniform(0, 1000, n * PER_PROJECT), rng.uniform(1, 1000, n * PER_PROJECT)
    lower = np.zeros(n * PER_PROJECT, dtype=np.bool_)
    t = time.perf_counter()
    comp = rules.completion_means(owner, value, target, lower, n)
    codes, _gap = rules.lights(budget=w["amounts"], paid=w["amounts"] * rng.uniform(0, 1, n), completion=comp,
                               elapsed=np.full(n, 0.5), th=rules.Thresholds())
    pure = time.perf_counter() - t
    # The execution import end to end: read and check the workbook, then write every row.
    data = workbook(n, w["amounts"])
    t = time.perf_counter()
    read = sheets.read_table(data, EXECUTION_COLS)
    assert not read.problems, read.problems[:3]
    rows = [ExecutionRow(r["_row"], r["code"], r["month"], r["paid"]) for r in read.rows]
    t_read = time.perf_counter() - t
    written = executions_import(actor=w["office"], scope=w["scope"], organisation_id=w["organisation"], year=YEAR,
                                rows=rows, source_name="bench.xlsx")
    t_import = time.perf_counter() - t
    assert written == n == Execution.objects.count()
    # The lights from the database: projects, latest execution, progress, lit column-wise.
    at = dt.date(YEAR, 6, 30)
    selectors.lights(w["scope"], YEAR, at)  # warm the ORM once
    t = time.perf_counter()
    lit = selectors.lights(w["scope"], YEAR, at)
    t_lights = time.perf_counter() - t
    assert len(lit.ids) == n
    t = time.perf_counter()
    board = selectors.board(w["scope"], YEAR, at)
    t_board = time.perf_counter() - t
    return {"projects": n, "lights_pure_ms": round(pure * 1000, 2), "lights_db_s": round(t_lights, 3),
            "board_s": round(t_board, 3), "red": int((lit.codes == rules.RED).sum()),
            "yellow": int((lit.codes == rules.YELLOW).sum()), "board_rows": len(board),
            "pure_red": int((codes == rules.RED).sum()),
            "import_rows": n, "import_read_s": round(t_read, 3), "import_total_s": round(t_import, 3)}


def show(r: dict[str, Any]) -> None:
    print(f"budget: {r['projects']} projects")
    print(f"  lights alone (columns):          {r['lights_pure_ms']:8.2f} ms   (target < 1000 ms)")
    print(f"  monitoring lights from the DB:   {r['lights_db_s']:8.3f} s    (target < 1 s; {r['red']} red, "
          f"{r['yellow']} yellow)")
    print(f"  the board's rows with records:   {r['board_s']:8.3f} s    (the lights and every project's record)")
    print(f"  execution import of {r['import_rows']} rows: {r['import_total_s']:8.3f} s    (target < 10 s; "
          f"reading and checking {r['import_read_s']:.3f} s)")


def main(argv: list[str] | None = None) -> int:
    return bench_main("budget", run, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
