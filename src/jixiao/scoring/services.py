"""Recomputing results: the engine over the ledger, written back in one transaction.

A change touches its object's category, the categories whose eligibility rules read that one,
and the categories those need as inputs (:meth:`Catalog.affected`); only those are scored and
rewritten. A recompute either replaces those categories' results completely or changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.core.errors import ServiceError
from jixiao.engine.data import DataError
from jixiao.engine.score import ScoreResult, score
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.dataset import load_dataset
from jixiao.scoring.models import Result


class LedgerMismatch(ServiceError):
    """The engine refused the ledger's data under the scheme (``problems``, ``total`` as in DataError)."""

    def __init__(self, err: DataError):
        super().__init__("计分未完成，台帐数据与方案不一致：" + "；".join(p.message for p in err.problems[:5])
                         + (f"（共 {err.total} 处）" if err.total > 5 else ""))
        self.problems = err.problems
        self.total = err.total


@dataclass(frozen=True)
class Recomputed:
    categories: tuple[str, ...]
    objects: int


def score_assessment(assessment: Assessment, categories: set[str] | None = None,
                     catalog: Catalog | None = None) -> tuple[ScoreResult, dict[str, int], set[str]]:
    """Score the given categories (with what they depend on) from the ledger, without writing."""
    catalog = catalog or catalog_of(assessment)
    cats = catalog.affected(categories) if categories is not None else set(catalog.categories)
    loaded = load_dataset(assessment, catalog, cats)
    try:
        return score(catalog.compiled, loaded.data), loaded.object_ids, cats
    except DataError as e:
        # Entry checks keep bad rows out, so this means the scheme and the ledger disagree
        # (e.g. a ballot label a new version no longer has). Nothing is written.
        raise LedgerMismatch(e) from None


@transaction.atomic
def results_recompute(*, assessment: Assessment, categories: set[str] | None = None) -> Recomputed:
    """Recompute and store results for the categories a change touches (all when ``None``)."""
    result, ids, cats = score_assessment(assessment, categories)
    now = timezone.now()
    rows = [r for r in result.rows() if r.category in cats]
    Result.objects.filter(assessment=assessment, category__in=cats).exclude(
        object_id__in=[ids[r.object_id] for r in rows]).delete()
    Result.objects.bulk_create(
        [Result(assessment=assessment, object_id=ids[r.object_id], category=r.category, group=r.group, total=r.total,
                rank=r.rank, group_size=r.group_size, grade=r.grade or "", eligible_top=r.eligible_top,
                vetoed=r.vetoed, flags=list(r.flags), components=r.components,
                periods={p: v for p, v in r.periods.items()}, computed_at=now) for r in rows],
        update_conflicts=True, unique_fields=["assessment", "object"],
        update_fields=["category", "group", "total", "rank", "group_size", "grade", "eligible_top", "vetoed", "flags",
                       "components", "periods", "computed_at"], batch_size=1000)
    Assessment.objects.filter(pk=assessment.pk).update(results_at=now)
    return Recomputed(categories=tuple(sorted(cats)), objects=len(rows))
