"""Timing a large Excel import: ``bench_import(50_000)`` (run by the web bench, :mod:`jixiao.benchmarks.web`).

Builds a synthetic assessment through the services — one category, ``INDICATORS`` value
indicators in groups, enough objects for ``n_values`` cells, one period — downloads its template
as the office, fills every cell, and runs the import job the way the worker does, timing
validation, the write and the recompute inside it (the recompute's own record of its run,
:class:`~jixiao.scoring.models.RecomputeState`, gives its seconds: nothing is patched). Then
imports the file again with every value changed (the update path). Needs a migrated database; it
leaves its data behind under codes starting with ``bench`` and a random suffix, so repeated runs
do not clash.
"""

from __future__ import annotations

import io
import math
import random
import time
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from openpyxl import load_workbook

from jixiao.collection.importing.jobs import RunTimes, import_job_create, import_job_run
from jixiao.collection.importing.layout import FIRST_DATA_ROW, FIRST_VALUE_COL
from jixiao.collection.importing.template import template_bytes
from jixiao.collection.models import ImportJob
from jixiao.org import services as org
from jixiao.org.models import RoleGrant, Unit
from jixiao.org.selectors import scope_for_user
from jixiao.schemes import services as sch
from jixiao.scoring.models import RecomputeState

INDICATORS = 50
PER_GROUP = 10
TARGET_SECONDS = 15.0


def _scheme(code: str, category: str, n_ind: int) -> str:
    groups = math.ceil(n_ind / PER_GROUP)
    lines = [f"code: {code}", f"name: 导入基准 {code}", "scale: 100", "rounding: {decimals: 2}",
             'periods: {codes: ["2024-Q1"]}', "categories:", f"  - code: {category}", "    name: 基准对象",
             "    indicators:"]
    made = 0
    for g in range(groups):
        size = min(PER_GROUP, n_ind - made)
        lines += [f"      - code: g{g + 1}", f"        name: 第{g + 1}组", "        children:"]
        for _ in range(size):
            made += 1
            lines += [f"          - code: i{made}", f"            name: 指标{made}", "            points: 2",
                      "            unit: 万元", "            rule: {method: ratio, target: 100}"]
    return "\n".join(lines) + "\n"


def _build(n_values: int) -> dict[str, Any]:
    sfx = uuid.uuid4().hex[:8]
    n_ind = min(INDICATORS, max(1, n_values))
    n_obj = math.ceil(n_values / n_ind)
    # A root unit of its own: each build is an organisation of its own, whatever else the database holds.
    unit = org.unit_create(actor=None, code=f"bench-{sfx}", name=f"基准单位{sfx}", kind=Unit.Kind.DEPARTMENT)
    category = org.category_create(actor=None, code=f"bench{sfx}", name=f"基准对象{sfx}",
                                   organisation=unit.organisation)
    for i in range(n_obj):
        org.object_create(actor=None, code=f"b{sfx}-{i:05d}", name=f"对象{i}", category=category, unit=unit)
    office = org.account_create(actor=None, username=f"bench-{sfx}", password=f"Bench-{uuid.uuid4().hex}",
                                display_name="基准")
    org.grant_add(actor=None, user=office, role=RoleGrant.Role.OFFICE_ADMIN, organisation=unit.organisation)
    version = sch.scheme_create(actor=None, code=f"bench-{sfx}", name=f"导入基准{sfx}",
                                text=_scheme(f"bench-{sfx}", category.code, n_ind), organisation=unit.organisation)
    sch.scheme_version_adopt(actor=None, version=version)
    assessment = sch.assessment_create(actor=None, code=f"bench-{sfx}", name=f"导入基准{sfx}", year=2024,
                                       version=version)
    return {"office": office, "period": assessment.periods.get(), "objects": n_obj, "indicators": n_ind}


def _filled(template: bytes, n_values: int, rng: random.Random) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb.worksheets[1]
    left = n_values
    r = FIRST_DATA_ROW
    while left > 0 and ws.cell(r, 1).value:
        for c in range(FIRST_VALUE_COL, ws.max_column + 1):
            if left == 0:
                break
            ws.cell(r, c, round(rng.uniform(10, 150), 2))
            left -= 1
        r += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _timed_import(office: Any, period: Any, data: bytes) -> dict[str, Any]:
    scope = scope_for_user(office)
    before = RecomputeState.objects.filter(assessment_id=period.assessment_id).values_list("runs", flat=True).first()
    t0 = time.perf_counter()
    job = import_job_create(actor=office, scope=scope, period=period,
                            upload=SimpleUploadedFile("bench.xlsx", data), enqueue=False)
    checked = time.perf_counter() - t0
    times = RunTimes()
    t1 = time.perf_counter()
    job = import_job_run(job_id=job.pk, times=times)  # the recompute runs after its commit (immediate tasks)
    run = time.perf_counter() - t1
    state = RecomputeState.objects.filter(assessment_id=period.assessment_id).first()
    # None when no recompute ran after the import (with JIXIAO_TASKS=database it waits for a worker).
    ran = state is not None and state.runs != (before or 0) and state.last_seconds is not None
    recompute = state.last_seconds if ran and state is not None else None
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"bench import failed: {job.stage} {job.errors[:5]}")
    return {"written": job.written, "upload_check_s": round(checked, 3), "validate_s": round(times.read, 3),
            "write_s": round(times.write, 3), "recompute_s": None if recompute is None else round(recompute, 3),
            "total_s": round(checked + run, 3)}


def bench_import(n_values: int, *, update: bool = True) -> dict[str, Any]:
    """Import ``n_values`` values from an xlsx file and time it; a dict of seconds and counts.

    ``total_s`` (upload checks + validation + write + recompute, first import into an empty
    period) is the figure held against the target (``target_s``); ``update`` (unless false)
    repeats it with every value changed. Runs with ``DEBUG`` off, as in production (with it on,
    Django keeps the text of every query).
    """
    with override_settings(DEBUG=False):
        return _bench(n_values, update=update)


def _bench(n_values: int, *, update: bool) -> dict[str, Any]:
    rng = random.Random(20240331)
    t0 = time.perf_counter()
    built = _build(n_values)
    setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    template = template_bytes(scope=scope_for_user(built["office"]), period=built["period"])
    template_s = time.perf_counter() - t1
    data = _filled(template, n_values, rng)
    first = _timed_import(built["office"], built["period"], data)
    again = _timed_import(built["office"], built["period"], _filled(template, n_values, rng)) if update else None
    return {"values": n_values, "objects": built["objects"], "indicators": built["indicators"],
            "file_bytes": len(data), "setup_s": round(setup, 3), "template_s": round(template_s, 3), **first,
            "update": again, "target_s": TARGET_SECONDS, "ok": first["total_s"] < TARGET_SECONDS}
