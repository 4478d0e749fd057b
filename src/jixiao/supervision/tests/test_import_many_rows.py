"""500 rows — read, checked and written through the upload — all land, with their milestones and assignments.
(How long it takes is measured by `python -m jixiao.benchmarks.supervision`, not here.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.supervision.importing.upload import matters_import_upload
from jixiao.supervision.models import Matter, Milestone
from jixiao.supervision.tests.test_import_helpers import good_row, workbook

pytestmark = pytest.mark.django_db
ROWS = 500


def test_500_rows_import(sv):
    rows = [good_row(事项名称=f"事项{i:03d}", 主办单位="east" if i % 2 else "西镇", 协办单位="tjj", 责任领导="leader",
                     阶段节点="完成摸底:2026-03-15", 立即交办="是" if i % 3 == 0 else "否",
                     办结时限=dt.date(2026, 4, 1) + dt.timedelta(days=i % 60)) for i in range(ROWS)]
    data = workbook(rows)
    before = Matter.objects.count()
    summary = matters_import_upload(actor=sv.cast.office, scope=sv.scope(sv.cast.office),
                                    upload=SimpleUploadedFile("500.xlsx", data))
    assert summary.count == ROWS and summary.assigned == len(range(0, ROWS, 3))
    assert Matter.objects.count() == before + ROWS
    assert Milestone.objects.filter(matter__in=summary.matters).count() == ROWS
