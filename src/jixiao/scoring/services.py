"""Recomputing results: the engine over the ledger, written back in one transaction (the
worker's coalescing recompute drives it: :mod:`jixiao.scoring.recompute`).

A change touches its object's category, the categories whose eligibility rules read that one,
and the categories those need as inputs (:meth:`Catalog.affected`); only those are scored and
rewritten. A recompute either replaces those categories' results completely or changes nothing.

Publishing (结果公示) freezes a category's current results into a :class:`Publication`; withdrawing
marks it withdrawn with a reason and keeps it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import Field, Max
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core.bulk import now_for_db, rows_copy, rows_update
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.core.seals import Sealer
from jixiao.engine.data import DataError
from jixiao.engine.score import ScoreResult, category_rows, score
from jixiao.engine.stored import PAGE, CategoryArrays, moved, patched, ranked
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.catalog import Catalog
from jixiao.schemes.models import Assessment, SchemeVersion
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import assessment_switch_version
from jixiao.scoring import snapshot
from jixiao.scoring.approval import approval_words, notice_check, publication_gate
from jixiao.scoring.dataset import load_dataset
from jixiao.scoring.labels import group_names, period_names
from jixiao.scoring.ledger_pages import LedgerView, ledger_pages_store, ledger_view
from jixiao.scoring.models import CategoryScores, CategoryScoresPage, Publication, Result
from jixiao.scoring.problems import data_problem_zh
from jixiao.scoring.results_rows import COLUMNS as RESULT_COLUMNS
from jixiao.scoring.results_rows import category_result_frame
from jixiao.scoring.seals import publication_seal, result_message, results_check
from jixiao.scoring.selectors import stored_scores_remember


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
                     catalog: Catalog | None = None, view: LedgerView | None = None,
                     ) -> tuple[ScoreResult, dict[str, int], set[str]]:
    """Score the given categories (with what they depend on) from the ledger (``view``, by
    default :func:`~jixiao.scoring.ledger_pages.ledger_view`'s), without writing."""
    catalog = catalog or catalog_of(assessment)
    cats = catalog.affected(categories) if categories is not None else set(catalog.categories)
    loaded = load_dataset(assessment, catalog, cats, view=view)
    try:
        return score(catalog.compiled, loaded.data), loaded.object_ids, cats
    except DataError as e:
        # Entry checks keep bad rows out, so this means the scheme and the ledger disagree
        # (e.g. a ballot label a new version no longer has). Nothing is written.
        raise LedgerMismatch(e) from None


@transaction.atomic
def results_recompute(*, assessment: Assessment, categories: set[str] | None = None) -> Recomputed:
    """Score the categories a change touches (all when ``None``) and store the results now.

    The web's writes never call this: they record a ledger change and the worker's coalescing
    recompute (:mod:`jixiao.scoring.recompute`) calls :func:`results_store`. This is for a scheme
    switch, the demo builder and tests that want results at once."""
    catalog = catalog_of(assessment)
    view = ledger_view(assessment)
    result, ids, cats = score_assessment(assessment, categories, catalog, view=view)
    ledger_pages_store(assessment=assessment, view=view)
    return results_store(assessment=assessment, catalog=catalog, result=result, object_ids=ids, categories=cats)


def results_store(*, assessment: Assessment, catalog: Catalog, result: ScoreResult, object_ids: dict[str, int],
                  categories: set[str], revision: int | None = None) -> Recomputed:
    """Replace the categories' stored results and node scores with ``result``'s, in the caller's
    transaction. ``revision``: the highest ledger change the result reflects."""
    now = timezone.now()
    cats = categories
    ids = object_ids
    # Results are derived rows nothing refers to: the categories' old rows go in one DELETE and the
    # new ones in one COPY (PostgreSQL) or one executemany, not a model instance per object; built
    # column-wise, their JSON texts included (results_rows).
    frames = [category_result_frame(result, code, ids) for code in sorted(cats)]
    Result.objects.filter(assessment=assessment, category__in=cats).delete()
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Each row sealed (HMAC-SM3 of its final scores) in the loop that builds it.
    sealer, aid = Sealer(), assessment.pk
    rows = [(aid, *row, stamp, sealer.seal_bytes(result_message(aid, *row[:9])))
            for frame in frames for row in frame.iter_rows()]
    rows_copy(Result, ["assessment_id", *RESULT_COLUMNS, "computed_at", "seal"], rows)
    for code in sorted(cats):
        _scores_put(assessment, code, CategoryArrays.from_score(result, code), now, revision)
    Assessment.objects.filter(pk=assessment.pk).update(results_at=now)
    return Recomputed(categories=tuple(sorted(cats)), objects=len(rows))


def results_patch(*, assessment: Assessment, catalog: Catalog, category: str, stored: CategoryArrays,
                  object_ids: set[int], revision: int | None = None) -> Recomputed | None:
    """Score only the changed objects of a :func:`~jixiao.engine.stored.patchable` category, put
    their node scores into the stored ones, re-rank the category and rewrite just the result rows
    that moved; in the caller's transaction. None (nothing written) when the change cannot be
    patched in (an object joined, left or changed group): the caller scores the category whole."""
    loaded = load_dataset(assessment, catalog, {category}, only=object_ids)
    try:
        result = score(catalog.compiled, loaded.data)
    except DataError as e:
        raise LedgerMismatch(e) from None
    if len(loaded.object_ids) != len(object_ids):
        return None
    got = patched(stored, CategoryArrays.from_score(result, category))
    if got is None:
        return None
    arrays, pos = got
    before, after = ranked(stored), ranked(arrays)
    write = moved(before, after)
    write[pos] = True
    local = np.flatnonzero(write).tolist()
    rows = category_rows(arrays.cc, arrays.periods, overall=arrays.overall,
                         per_root=arrays.per_period[arrays.cc.root.index], period_rank=after[1], res=after[0],
                         ids=arrays.objects, names=arrays.names, groups=arrays.groups, only=local)
    now = timezone.now()
    ids_of = {code: (pk, oid) for code, pk, oid in Result.objects.filter(assessment=assessment, category=category)
              .values_list("object__code", "id", "object_id")}
    result_id = {code: pk for code, (pk, _) in ids_of.items()}
    if any(r.object_id not in result_id for r in rows):
        return None
    json_fields = [f for f in (Result._meta.get_field(n) for n in ("flags", "components", "periods"))
                   if isinstance(f, Field)]
    stamp = now_for_db()
    sealer = Sealer()
    rows_update(Result, ["total", "rank", "group_size", "grade", "eligible_top", "vetoed", "flags", "components",
                         "periods", "computed_at", "seal"],
                [(r.total, r.rank, r.group_size, r.grade or "", r.eligible_top, r.vetoed,
                  *(f.get_db_prep_save(v, connection) for f, v in zip(
                      json_fields, (list(r.flags), r.components, dict(r.periods)), strict=True)),
                  stamp, sealer.seal_bytes(result_message(assessment.pk, ids_of[r.object_id][1], category, r.group,
                                                          r.total, r.rank, r.group_size, r.grade, r.eligible_top,
                                                          r.vetoed)),
                  result_id[r.object_id]) for r in rows])
    # The head (object list, names, veto and missing masks) is megabytes for a city's staff and a
    # value change rarely renames or moves a mask: rewritten only when one of them changed.
    head = (stored.names != arrays.names
            or stored.vetoes.keys() != arrays.vetoes.keys() or stored.missing.keys() != arrays.missing.keys()
            or any(not np.array_equal(stored.vetoes[k], arrays.vetoes[k]) for k in stored.vetoes)
            or any(not np.array_equal(stored.missing[k], arrays.missing[k]) for k in stored.missing))
    _scores_put(assessment, category, arrays, now, revision, pages={p // PAGE for p in pos.tolist()}, head=head)
    Assessment.objects.filter(pk=assessment.pk).update(results_at=now)
    return Recomputed(categories=(category,), objects=len(rows))


def _scores_put(assessment: Assessment, category: str, arrays: CategoryArrays, now: dt.datetime,
                revision: int | None, pages: set[int] | None = None, head: bool = True) -> None:
    """Store the category's node scores: the head (unless ``head`` is false: only its revision and
    time), and every page (``pages`` None) or just these."""
    defaults: dict[str, object] = {"scheme_digest": assessment.version.digest, "size": len(arrays.objects),
                                   "computed_at": now}
    if revision is not None:
        defaults["revision"] = revision
    pk = None
    if not head:
        pk = (CategoryScores.objects.filter(assessment=assessment, category=category)
              .values_list("pk", flat=True).first())
        if pk is not None:
            CategoryScores.objects.filter(pk=pk).update(**defaults)
    if pk is None:
        pk = CategoryScores.objects.update_or_create(assessment=assessment, category=category,
                                                     defaults={**defaults, "data": arrays.head_bytes()})[0].pk
    count = arrays.page_count()
    if pages is None:
        CategoryScoresPage.objects.filter(scores_id=pk).delete()
        # Tens of megabytes at city scale: copied in binary, not quoted into statements.
        rows_copy(CategoryScoresPage, ["scores_id", "page", "data"],
                  [(pk, k, arrays.page_bytes(k)) for k in range(count)], types=["bigint", "integer", "bytea"])
    else:
        for k in sorted(p for p in pages if p < count):
            CategoryScoresPage.objects.update_or_create(scores_id=pk, page=k, defaults={"data": arrays.page_bytes(k)})
    # Read back as stored (the database may round the timestamp), so a page's cache key matches.
    stamp = CategoryScores.objects.filter(pk=pk).values_list("computed_at", flat=True).get()
    stored_scores_remember(assessment_id=assessment.pk, category=category, pk=pk, computed_at=stamp,
                           arrays=arrays)


@transaction.atomic
def assessment_version_apply(*, actor: Actor, assessment: Assessment, version: SchemeVersion) -> Recomputed:
    """Switch the assessment to ``version`` and recompute its results, both or neither.

    Refused (nothing changed) when the new version does not accept the ledger's data, e.g. a value
    outside new ``bounds``; the what-if page lists those entries.
    """
    assessment = assessment_switch_version(actor=actor, assessment=assessment, version=version)
    try:
        return results_recompute(assessment=assessment)
    except (DataError, LedgerMismatch) as e:
        raise ServiceError(f"v{version.number} 不接受台帐中已有的 {e.total} 处数据（见结果对比页），未更换版本："
                           + "；".join(data_problem_zh(p.message) for p in e.problems[:3]), field="version") from None


# --- 结果公示 --------------------------------------------------------------------------------------

NOTE_MAX = 2000
REASON_MAX = 500


# Lower-case letters and digits without the look-alikes 0/o and 1/l/i: a link read out over the
# phone or copied from paper is typed right.
TOKEN_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
TOKEN_LENGTH = 12


def _new_token() -> str:
    # Unguessable (12 of 31 symbols, about 59 bits), so the link of a withdrawn or superseded
    # publication cannot be found by counting; short enough to paste into a document.
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


@transaction.atomic
def publication_create(*, actor: Actor, scope: Scope, assessment: Assessment, category: str,
                       note: str = "", notice_starts: dt.date | None = None, notice_ends: dt.date | None = None,
                       public: bool = False, supersedes: Publication | None = None) -> Publication:
    """发布结果: freeze the category's current results (all of them, whoever may see which) into a
    publication with a stable link for every signed-in user. The office only; a category without
    results is refused, and so is one not approved by the leadership group, or while a period is
    open or an incident pending (:func:`jixiao.scoring.approval.publication_gate`).
    ``notice_starts``/``notice_ends``: the public notice window (公示期) in which appeals are filed;
    ``public``: readable without signing in; ``supersedes``: the publication this one corrects."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以发布考核结果")
    require_org(scope, assessment.organisation_id)
    # The assessment row is the lock: two offices publishing the same category at once get
    # consecutive numbers, and a recompute (which updates ``results_at``) waits for the snapshot.
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    catalog = catalog_of(locked)
    info = catalog.categories.get(category)
    if info is None:
        raise ServiceError(f"考核“{locked.name}”没有类别 {category}", field="category")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(f"说明不能超过{NOTE_MAX}字", field="note")
    notice_check(notice_starts, notice_ends)
    if supersedes is not None and (supersedes.assessment_id, supersedes.category) != (locked.pk, category):
        raise ServiceError("被更正的公示不属于该考核类别", field="supersedes")
    results = list(Result.objects.filter(assessment=locked, category=category).select_related("object__unit")
                   .order_by("group", "rank", "object__code"))
    if not results:
        raise ServiceError(f"“{info.name or category}”尚无考核结果，不能发布：请先录入数据并计算结果")
    results_check(results)  # never freeze a tampered result into a publication
    approval = publication_gate(assessment=locked, category=category, correcting=supersedes is not None)
    data = snapshot.build(catalog=catalog, category=category, results=results,
                          assessment={"code": locked.code, "name": locked.name, "year": locked.year},
                          group_names=group_names(catalog, category), period_names=period_names(locked))
    data["approval"] = approval_words(approval)
    last = Publication.objects.filter(assessment=locked, category=category).aggregate(n=Max("number"))["n"]
    pub = Publication.objects.create(
        assessment=locked, category=category, number=(last or 0) + 1, token=_new_token(),
        title=snapshot.default_title(locked.name, info.name or category), note=note, snapshot=data,
        results_at=max(r.computed_at for r in results), published_by=user_of(actor), published_at=timezone.now(),
        notice_starts=notice_starts, notice_ends=notice_ends, public=public, supersedes=supersedes,
        approval=approval)
    pub.refresh_from_db(fields=["snapshot"])  # sealed as it reads back (its JSON, not the dict built)
    pub.seal = publication_seal(pub)
    pub.save(update_fields=["seal"])
    audit_record(actor=actor, action="publication_create", instance=pub, after={
        "assessment": locked.code, "category": category, "number": pub.number, "token": pub.token,
        "title": pub.title, "note": note, "rows": len(results), "public": public,
        "notice": [str(notice_starts or ""), str(notice_ends or "")],
        "supersedes": supersedes.token if supersedes else None,
        "results_at": pub.results_at.isoformat() if pub.results_at else None})
    return pub


@transaction.atomic
def publication_withdraw(*, actor: Actor, scope: Scope, publication: Publication, reason: str) -> Publication:
    """撤回公示: the publication stays (its link keeps resolving) but says it was withdrawn, when,
    by whom and why. The office only; the reason is required."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以撤回公示")
    require_org(scope, publication.assessment.organisation_id)
    reason = reason.strip()
    if not reason:
        raise ServiceError("请填写撤回原因", field="reason")
    if len(reason) > REASON_MAX:
        raise ServiceError(f"撤回原因不能超过{REASON_MAX}字", field="reason")
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.withdrawn_at is not None:
        when = timezone.localtime(locked.withdrawn_at).strftime("%Y-%m-%d %H:%M")
        raise ServiceError(f"该公示已于 {when} 撤回")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user_of(actor)
    locked.withdraw_reason = reason
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit_record(actor=actor, action="publication_withdraw", instance=locked,
                 before={"withdrawn": False},
                 after={"withdrawn": True, "withdrawn_at": locked.withdrawn_at.isoformat(), "reason": reason})
    return locked
