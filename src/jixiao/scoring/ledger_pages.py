"""The ledger's counting values kept column-wise in pages (:class:`~jixiao.scoring.models.LedgerPage`)
for the full recompute.

Formatting eleven million rows in the database costs it about a microsecond each, however they are
read; a scheme change at city scale then spent most of its time loading a ledger that had not
changed. So the recompute keeps the counting values as compressed Arrow blocks, one per page of
``PAGE_OBJECTS`` object ids, and reads those (a few dozen rows of bytes) instead.

The values table stays the truth. Pages plus the outbox entries still waiting equal the ledger:

- :func:`ledger_view` reads the pages and, for every object a waiting entry names (every object of
  a category an entry names whole), the object's rows afresh from the values table;
- :func:`ledger_pages_store` writes the pages a view re-read, and :func:`ledger_pages_patch` those of
  a few objects; the recompute calls one of them in the transaction that deletes the entries.

An assessment without pages (before its first recompute) is read from the values table whole,
and the next store writes every page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone

from jixiao.collection.models import LedgerChange, Value
from jixiao.core.bulk import rows_copy
from jixiao.core.columnar import CHUNK, read_frame
from jixiao.org.models import AssessedObject
from jixiao.schemes.models import Assessment
from jixiao.scoring.models import LedgerPage, LedgerPages

PAGE_OBJECTS = 512
FIELDS = ["object_id", "indicator", "variable", "period_id", "v"]
SCHEMA = {"_oid": pl.Int64, "indicator": pl.String, "variable": pl.String, "_pid": pl.Int64, "value": pl.Float64}
# As kept and viewed: narrow ids, and codes as categoricals (a few dozen distinct texts in millions
# of rows), so that neither pages nor views hold a string per value.
KEPT = {"_oid": pl.Int32, "indicator": pl.Categorical, "variable": pl.Categorical, "_pid": pl.Int32,
        "value": pl.Float64}
SMALL = 2000  # objects read in one statement rather than in primary-key chunks


@dataclass(frozen=True)
class LedgerView:
    """The assessment's counting values (``KEPT``), and the pages whose objects were re-read
    (``None``: no pages were kept, all were read from the values table)."""

    frame: pl.DataFrame
    stale: frozenset[int] | None


def values_read(assessment_id: int, *, object_ids: set[int] | None = None,
                categories: set[str] | None = None) -> pl.DataFrame:
    """Counting values from the values table, column-wise (``KEPT``): all of the assessment's, or
    those of these objects, or of these categories' objects."""
    qs = Value.objects.filter(assessment_id=assessment_id, status__in=Value.COUNTING, value__isnull=False)
    if object_ids is not None:
        qs = qs.filter(object_id__in=sorted(object_ids))
    if categories is not None:
        qs = qs.filter(object__category__code__in=sorted(categories))
    small = object_ids is not None and len(object_ids) <= SMALL
    return _kept(read_frame(qs.annotate(v=Cast("value", FloatField())), FIELDS, SCHEMA,
                            chunk=None if small else CHUNK))


def _kept(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.cast(KEPT)  # type: ignore[arg-type]


def _pages_read(assessment_id: int, pages: set[int] | None = None) -> pl.DataFrame:
    qs = LedgerPage.objects.filter(assessment_id=assessment_id)
    if pages is not None:
        qs = qs.filter(page__in=sorted(pages))
    frames = [pl.read_ipc(io.BytesIO(bytes(d))) for d in qs.order_by("page").values_list("data", flat=True)]
    return _kept(pl.concat(frames, how="vertical")) if frames else pl.DataFrame(schema=KEPT)


def _waiting(assessment_id: int) -> tuple[set[str], set[int]]:
    """The categories named whole and the objects named by the outbox entries waiting."""
    whole: set[str] = set()
    ids: set[int] = set()
    for cat, oid in LedgerChange.objects.filter(assessment_id=assessment_id).values_list("category", "object_id"):
        if oid is None:
            whole.add(cat)
        else:
            ids.add(oid)
    return whole, ids


def _fresh(assessment: Assessment, whole: set[str], ids: set[int]) -> tuple[set[int], pl.DataFrame]:
    """The objects to re-read (those named, and every object of the categories named whole) and
    their rows from the values table."""
    frames = []
    if whole:
        of_whole = set(AssessedObject.objects.filter(category__code__in=sorted(whole),
                                                     unit__organisation_id=assessment.organisation_id)
                       .values_list("pk", flat=True))
        frames.append(values_read(assessment.pk, categories=whole))
        ids, rest = ids | of_whole, ids - of_whole
    else:
        rest = ids
    if rest:
        frames.append(values_read(assessment.pk, object_ids=rest))
    return ids, (pl.concat(frames, how="vertical") if frames else pl.DataFrame(schema=KEPT))


def ledger_view(assessment: Assessment) -> LedgerView:
    """The ledger's counting values (``KEPT``): the pages kept, with what the waiting entries name
    read again."""
    if not LedgerPages.objects.filter(assessment_id=assessment.pk).exists():
        return LedgerView(frame=values_read(assessment.pk), stale=None)
    whole, ids = _waiting(assessment.pk)
    kept = _pages_read(assessment.pk)
    if not whole and not ids:
        return LedgerView(frame=kept, stale=frozenset())
    ids, fresh = _fresh(assessment, whole, ids)
    frame = pl.concat([kept.filter(~pl.col("_oid").is_in(sorted(ids))), fresh], how="vertical")
    return LedgerView(frame=frame, stale=frozenset(i // PAGE_OBJECTS for i in ids))


def ledger_pages_store(*, assessment: Assessment, view: LedgerView) -> int:
    """Write the pages ``view`` re-read (all of them when it read the values table whole), in the
    caller's transaction; the pages written."""
    if view.stale is not None and not view.stale:
        return 0
    frame = view.frame.with_columns((pl.col("_oid") // PAGE_OBJECTS).alias("_page"))
    if view.stale is not None:
        frame = frame.filter(pl.col("_page").is_in(sorted(view.stale)))
    targets = set(view.stale) if view.stale is not None else None
    _write(assessment, frame, targets)
    if view.stale is None:
        LedgerPages.objects.update_or_create(assessment=assessment, defaults={"built_at": timezone.now()})
    return len(targets) if targets is not None else frame["_page"].n_unique()


def ledger_pages_patch(*, assessment: Assessment, object_ids: set[int]) -> int:
    """Rewrite the pages of these objects from the values table (a patch recompute's few objects),
    in the caller's transaction; nothing while the assessment has no pages yet."""
    if not object_ids or not LedgerPages.objects.filter(assessment_id=assessment.pk).exists():
        return 0
    pages = {i // PAGE_OBJECTS for i in object_ids}
    kept = _pages_read(assessment.pk, pages)
    frame = pl.concat([kept.filter(~pl.col("_oid").is_in(sorted(object_ids))),
                       values_read(assessment.pk, object_ids=object_ids)], how="vertical")
    _write(assessment, frame.with_columns((pl.col("_oid") // PAGE_OBJECTS).alias("_page")), pages)
    return len(pages)


def _write(assessment: Assessment, frame: pl.DataFrame, targets: set[int] | None) -> None:
    """Replace pages ``targets`` (all, when None) by ``frame``'s rows (a ``_page`` column)."""
    old = LedgerPage.objects.filter(assessment=assessment)
    if targets is not None:
        old = old.filter(page__in=sorted(targets))
    old.delete()
    rows = []
    for (page,), part in sorted(frame.partition_by("_page", as_dict=True, include_key=False).items()):
        buf = io.BytesIO()
        part.sort(["_oid", "_pid", "indicator", "variable"]).write_ipc(buf, compression="lz4")
        rows.append((assessment.pk, int(page), part.height, buf.getvalue()))
    rows_copy(LedgerPage, ["assessment_id", "page", "rows", "data"], rows,
              types=["bigint", "integer", "integer", "bytea"])
