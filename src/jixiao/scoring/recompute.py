"""The coalescing recompute: scoring reacts to ledger changes, off the request path.

A write records its change in the ledger's outbox (:class:`~jixiao.collection.models.LedgerChange`)
and, after its commit, ``ledger_changed`` arrives here. :func:`recompute_request` puts one task
per assessment on the worker queue (a burst of a thousand saves finds it already queued);
:func:`results_refresh` (the task's body) claims the assessment, scores what the outbox names,
stores results and node scores and deletes exactly the entries it scored, all in one
transaction, and repeats until the outbox is empty. So:

- **coalescing**: every entry present when a run reads the outbox is scored by that one run;
- **ordering**: one run per assessment holds the claim at a time, and its write checks the claim
  under a row lock, so a run that lost it (its worker stalled past the timeout and another took
  over) never overwrites newer results;
- **no lost change**: entries are deleted only by the run that scored them; a run that fails or
  dies leaves them (and the old results) in place for the next run, which the sweep
  (:func:`recompute_sweep`) starts if nothing else does.

With the immediate task backend (tests, the CLI, ``make dev``) the task runs right after the
writer's commit, in the same process.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from jixiao.audit.services import Actor, audit_record
from jixiao.collection.models import LedgerChange
from jixiao.collection.services.recording import recording_counts_apply
from jixiao.core.errors import NotAllowed
from jixiao.engine.stored import patchable
from jixiao.org.scoping import Scope
from jixiao.schemes.models import Assessment
from jixiao.schemes.selectors import catalog_of
from jixiao.scoring.ledger_pages import ledger_pages_patch, ledger_pages_store, ledger_view
from jixiao.scoring.models import RecomputeState
from jixiao.scoring.selectors import stored_scores
from jixiao.scoring.services import LedgerMismatch, results_patch, results_store, score_assessment

logger = logging.getLogger(__name__)

DELETE_CHUNK = 5000
# More changed objects than this in one category: scoring it whole is about as quick.
PATCH_MAX = 2000


class Superseded(Exception):
    """The run lost its claim (timed out and taken over): its results are not written."""


def on_ledger_changed(sender: Any, assessment_id: int, **_: Any) -> None:
    recompute_request(assessment_id=assessment_id)


def _state(assessment_id: int) -> None:
    """The assessment's state row, created when missing (also by a concurrent caller)."""
    RecomputeState.objects.get_or_create(assessment_id=assessment_id)


def _request_sql() -> str:
    """Flag the assessment queued, in one statement, if something waits in the outbox and it is not
    queued yet: the state row is created queued when missing, else its ``queued`` flips from false;
    a row comes back only when this statement did either."""
    state, outbox = RecomputeState._meta.db_table, LedgerChange._meta.db_table
    return (f"INSERT INTO {state} (assessment_id, queued, token, runs, last_error) "
            f"SELECT %s, %s, '', 0, '' WHERE EXISTS (SELECT 1 FROM {outbox} WHERE assessment_id = %s) "
            f"ON CONFLICT (assessment_id) DO UPDATE SET queued = %s WHERE {state}.queued = %s "
            f"RETURNING {state}.id")


def recompute_request(*, assessment_id: int) -> bool:
    """Queue a recompute of the assessment unless one is queued already, or nothing waits (a burst's
    later events, once a run has scored the burst); True if this queued it.

    One statement (:func:`_request_sql`) whatever the case: a save's request costs one round trip,
    and only the request that flipped the flag enqueues the task (``results_refresh`` clears it)."""
    with connection.cursor() as cur:
        cur.execute(_request_sql(), [assessment_id, True, assessment_id, True, False])
        flipped = cur.fetchone() is not None
    if flipped:
        results_refresh_task.enqueue(assessment_id)
    return flipped


@task()
def results_refresh_task(assessment_id: int) -> None:
    results_refresh(assessment_id=assessment_id)


def _timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.JIXIAO_RECOMPUTE_TIMEOUT)


def _claim(assessment_id: int) -> str | None:
    """Take the assessment's claim if nobody holds it, or its holder's heartbeat is too old."""
    token = secrets.token_hex(8)
    now = timezone.now()
    free = RecomputeState.objects.filter(assessment_id=assessment_id).filter(
        token="") | RecomputeState.objects.filter(assessment_id=assessment_id, heartbeat_at__lt=now - _timeout())
    if RecomputeState.objects.filter(pk__in=free.values("pk")).update(token=token, claimed_at=now, heartbeat_at=now):
        return token
    return None


def _release(assessment_id: int, token: str, *, seconds: float | None, error: str) -> None:
    fields: dict[str, Any] = {"token": "", "last_error": error}
    if seconds is not None:
        fields |= {"last_finished_at": timezone.now(), "last_seconds": seconds}
    RecomputeState.objects.filter(assessment_id=assessment_id, token=token).update(**fields)


def _pending(assessment_id: int) -> bool:
    return LedgerChange.objects.filter(assessment_id=assessment_id).exists()


def results_refresh(*, assessment_id: int) -> int:
    """Score what the outbox names until it is empty (see the module docstring); the number of
    recomputes this call ran (0 when another run holds the claim: that run picks the changes up)."""
    _state(assessment_id)
    RecomputeState.objects.filter(assessment_id=assessment_id).update(queued=False)
    runs = 0
    while True:
        token = _claim(assessment_id)
        if token is None:
            return runs
        error, started = "", time.perf_counter()
        try:
            while _pending(assessment_id):
                recompute_once(assessment_id=assessment_id, token=token)
                runs += 1
        except Superseded:
            logger.warning("recompute of assessment %s lost its claim; its results were not written", assessment_id)
            return runs
        except LedgerMismatch as e:
            # The scheme and the ledger disagree: keep the old results and the outbox; the pages
            # say results lag and the office sees why (last_error). A next change retries.
            error = e.message
        except Exception as e:
            logger.exception("recompute of assessment %s failed", assessment_id)
            error = f"{type(e).__name__}: {e}"
        finally:
            _release(assessment_id, token, seconds=time.perf_counter() - started if runs else None, error=error)
        if error or not _pending(assessment_id):
            return runs
        # A change committed between the last look and the release found the claim taken: take
        # it again for that change rather than leave it waiting for the sweep.


def recompute_once(*, assessment_id: int, token: str) -> None:
    """One pass: read the outbox, score what it names, then store and delete the entries read, in
    one transaction that first checks the claim.

    A category whose entries all name objects, few enough, is patched: those objects are scored
    alone and the category re-ranked from its stored node scores (:func:`results_patch`); any
    other changed category is scored whole, with the categories its rules tie it to."""
    assessment = Assessment.objects.select_related("version").get(pk=assessment_id)
    catalog = catalog_of(assessment)
    # The outbox before the ledger: every entry read here was committed before the ledger is read
    # below, so its change is in what gets scored.
    changes = list(LedgerChange.objects.filter(assessment_id=assessment_id).values_list("id", "category", "object_id"))
    if not changes:
        return
    named: dict[str, set[int] | None] = {}
    for _, cat, oid in changes:
        if cat not in catalog.categories:
            continue  # a category the scheme no longer has (after a version switch)
        if oid is None or named.get(cat, set()) is None:
            named[cat] = None
        else:
            objs = named.setdefault(cat, set())
            assert objs is not None
            objs.add(oid)
    compiled = {c.code: c for c in catalog.compiled.categories}
    whole = {c for c, objs in named.items() if objs is None or len(objs) > PATCH_MAX
             or not patchable(catalog.compiled, compiled[c])}
    whole = catalog.affected(whole) if whole else set()
    patches = {c: objs for c, objs in named.items() if c not in whole and objs is not None}
    stored = {c: stored_scores(assessment=assessment, category=c, catalog=catalog) for c in patches}
    for c, arrays in stored.items():
        if arrays is None:
            whole.add(c)
    # Whole categories read the ledger's pages (with what the waiting entries name read again);
    # the pages re-read are written back below, as the entries are consumed.
    view = ledger_view(assessment) if whole else None
    scored = score_assessment(assessment, whole, catalog, view=view) if whole else None
    revision = max(i for i, _, _ in changes)
    with transaction.atomic():
        for c, objs in sorted(patches.items()):
            arrays = stored[c]
            if c in whole or arrays is None or objs is None:
                continue
            if results_patch(assessment=assessment, catalog=catalog, category=c, stored=arrays, object_ids=objs,
                             revision=revision) is None:
                whole.add(c)  # it could not be patched in: score it whole below
                scored = None
        if whole:
            if scored is None:
                view = view or ledger_view(assessment)
                scored = score_assessment(assessment, whole, catalog, view=view)
            result, ids, cats = scored
            results_store(assessment=assessment, catalog=catalog, result=result, object_ids=ids, categories=cats,
                          revision=revision)
        recording_counts_apply(assessment_id=assessment_id)
        # Every entry consumed has its objects' pages rewritten, whether or not it was scored
        # (a category the scheme no longer has still keeps its rows).
        if view is None and any(oid is None for _, _, oid in changes):
            view = ledger_view(assessment)
        if view is not None:
            ledger_pages_store(assessment=assessment, view=view)
        else:
            ledger_pages_patch(assessment=assessment, object_ids={oid for _, _, oid in changes if oid is not None})
        done = [i for i, _, _ in changes]
        for k in range(0, len(done), DELETE_CHUNK):
            LedgerChange.objects.filter(id__in=done[k:k + DELETE_CHUNK]).delete()
        # The claim is checked last, under the state row's lock: held only for the commit, so a
        # write's "queue a recompute" (an update of the same row) never waits for a long store.
        held = RecomputeState.objects.select_for_update().filter(assessment_id=assessment_id, token=token).first()
        if held is None:
            raise Superseded  # another run took over: everything above rolls back
        RecomputeState.objects.filter(pk=held.pk).update(heartbeat_at=timezone.now(), runs=held.runs + 1)


def recompute_sweep() -> list[int]:
    """Request a recompute for every assessment with changes waiting and no live run (its worker
    died, or an event was lost); the ids requested. Run by the scheduler."""
    stale = timezone.now() - _timeout()
    waiting = set(LedgerChange.objects.values_list("assessment_id", flat=True).distinct())
    busy = set(RecomputeState.objects.exclude(token="").filter(heartbeat_at__gte=stale)
               .values_list("assessment_id", flat=True))
    out = []
    for aid in sorted(waiting - busy):
        RecomputeState.objects.filter(assessment_id=aid).update(queued=False)
        recompute_request(assessment_id=aid)
        out.append(aid)
    return out


def recompute_retry(*, actor: Actor, scope: Scope, assessment: Assessment) -> bool:
    """重新计算: the office asks again for a recompute of what waits (after a failed run, once the
    cause is mended). Audited; True if a run was queued."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以重新计算结果")
    _state(assessment.pk)
    with transaction.atomic():
        RecomputeState.objects.filter(assessment=assessment).update(queued=False, last_error="")
        audit_record(actor=actor, action="recompute_retry", instance=assessment,
                     after={"pending": _pending(assessment.pk)})
    return recompute_request(assessment_id=assessment.pk)
