"""往年总分 (prior years' totals) for the engine's multi-year rules (多年规则, ``multi_year``).

The engine reads them from :attr:`jixiao.engine.data.DataSet.history` (object, period, total):
here, each object's stored total in the organisation's assessments of earlier years, the year as
the period. An object is the same across years when its code is (``AssessedObject`` rows are
kept from year to year). Two assessments of one year for the same object: the later one counts.

Wiring (for :func:`jixiao.scoring.dataset.load_dataset`): pass
``history=history_frame(assessment, [code for _, code, *_ in objs])`` to the ``DataSet`` it builds.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from jixiao.schemes.models import Assessment
from jixiao.scoring.models import Result

SCHEMA = {"object": pl.String, "period": pl.String, "total": pl.Float64}


def history_frame(assessment: Assessment, objects: Iterable[str] | None = None) -> pl.DataFrame:
    """The earlier years' totals of ``objects`` (codes; all objects of the organisation when
    None), one row per object and year, oldest first. One query."""
    qs = Result.objects.filter(assessment__organisation_id=assessment.organisation_id,
                               assessment__year__lt=assessment.year, total__isnull=False)
    if objects is not None:
        qs = qs.filter(object__code__in=list(objects))
    rows = qs.values_list("object__code", "assessment__year", "total").order_by(
        "assessment__year", "assessment__created_at", "assessment_id")
    latest: dict[tuple[str, str], float | None] = {}
    for code, year, total in rows:
        latest[(code, str(year))] = total  # a later assessment of the same year replaces it
    return pl.DataFrame({"object": [k[0] for k in latest], "period": [k[1] for k in latest],
                         "total": list(latest.values())}, schema=SCHEMA)
