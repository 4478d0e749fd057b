"""The benchmark helper builds its own assessment, imports through the job and reports timings."""

from __future__ import annotations

import pytest

from jixiao.benchmarks.importing import bench_import
from jixiao.collection.models import ImportJob, Value


@pytest.mark.django_db
def test_bench_import_small(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = bench_import(120)
    assert out["values"] == 120 and out["written"] == 120
    assert (out["objects"], out["indicators"]) == (3, 50)
    assert out["update"]["written"] > 100  # random new numbers: (almost) every value changes
    for key in ("validate_s", "write_s", "recompute_s", "total_s"):  # recompute_s: as the recompute recorded it
        assert out[key] >= 0
    assert out["ok"] is True
    assert Value.objects.count() == 120
    assert ImportJob.objects.filter(status=ImportJob.Status.DONE).count() == 2
