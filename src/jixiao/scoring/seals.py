"""HMAC-SM3 seals on the stored results and publications (checklist item 21), verified when read.

A result row is sealed over its final scores — assessment, object, category, group, total, rank,
group size, grade, eligibility and veto — in the loop that writes the rows (a full recompute and a
patch alike; about 4 µs a row). A publication is sealed over its identity and its frozen snapshot
(canonical JSON). Reward amounts are never stored: they are computed from the sealed results, which
are verified as they are read (``jixiao.reports.selectors.entries_for``).

A broken seal is refused, never shown: :func:`results_check` / :func:`publication_check` log it,
record a security audit event (``seal_broken``, outcome failure) and raise :class:`SealBroken`,
which the pages answer with a refusal page. ``manage.py seals_verify`` checks everything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from jixiao.audit.services import audit_event
from jixiao.core.errors import SealBroken
from jixiao.core.seals import Sealer, Verifier
from jixiao.scoring.models import Publication, Result

log = logging.getLogger("jixiao.security")

RESULT_FIELDS = ("assessment_id", "object_id", "category", "group", "total", "rank", "group_size", "grade",
                 "eligible_top", "vetoed")
MESSAGE = ("数据完整性校验未通过：{what}的存储内容与其 HMAC-SM3 封印不符，可能被篡改，"
           "已拒绝显示并记录安全审计事件，请联系安全管理员")


def result_message(assessment_id: int, object_id: int, category: str, group: str, total: float | None, rank: int,
                   group_size: int, grade: str | None, eligible_top: bool, vetoed: bool) -> bytes:
    """The canonical message of a result row's final scores: equal to
    ``jixiao.core.seals.canonical`` of ``("result", assessment_id, …, vetoed)`` (a test holds them
    equal), written out here because a full recompute seals every row."""
    t = "\x00" if total is None else float(total).hex()
    return (f"result\x1f{int(assessment_id)}\x1f{int(object_id)}\x1f{category}\x1f{group}\x1f{t}\x1f{int(rank)}"
            f"\x1f{int(group_size)}\x1f{grade or ''}\x1f{1 if eligible_top else 0}\x1f{1 if vetoed else 0}"
            ).encode()


def result_message_of(r: Result) -> bytes:
    return result_message(r.assessment_id, r.object_id, r.category, r.group, r.total, r.rank, r.group_size,
                          r.grade, r.eligible_top, r.vetoed)


def snapshot_text(snapshot: Any) -> str:
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def publication_parts(p: Publication) -> tuple[Any, ...]:
    return ("publication", p.pk, p.assessment_id, p.category, p.number, p.token, snapshot_text(p.snapshot))


def publication_seal(p: Publication) -> str:
    return Sealer().seal(publication_parts(p))


def _refuse(target: str, ids: Sequence[int], what: str) -> None:
    log.error("seal broken: %s %s", target, ",".join(str(i) for i in ids[:20]))
    audit_event(actor=None, system="seals", action="seal_broken", target=target,
                target_id=",".join(str(i) for i in ids[:10])[:64], outcome="failure",
                summary=f"{len(ids)} 条记录的 HMAC-SM3 封印校验未通过", after={"ids": list(ids[:50])})
    raise SealBroken(MESSAGE.format(what=what))


def results_broken(rows: Iterable[Result]) -> list[int]:
    """The ids of the rows whose seal does not match (none: all intact)."""
    v = Verifier()
    return [r.pk for r in rows if not v.ok_bytes(r.seal, result_message_of(r))]


def results_check(rows: Sequence[Result]) -> None:
    """Verify the rows about to be shown; refuse (SealBroken, audited) if any was tampered with."""
    broken = results_broken(rows)
    if broken:
        _refuse("scoring.result", broken, "考核结果")


def publication_check(p: Publication) -> None:
    if not Verifier().ok(p.seal, publication_parts(p)):
        _refuse("scoring.publication", [p.pk], "结果公示")


def broken_everywhere(batch: int = 5000) -> Iterator[tuple[str, int]]:
    """(kind, id) of every stored result and publication whose seal fails (``seals_verify``)."""
    v = Verifier()
    qs = Result.objects.order_by("pk").only("pk", "seal", *RESULT_FIELDS)
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last)[:batch])
        if not rows:
            break
        for r in rows:
            if not v.ok_bytes(r.seal, result_message_of(r)):
                yield "result", r.pk
        last = rows[-1].pk
    for p in Publication.objects.order_by("pk").iterator():
        if not v.ok(p.seal, publication_parts(p)):
            yield "publication", p.pk


def reseal_everything(batch: int = 5000) -> int:
    """Seal every result and publication again under the active key (after a clean check only:
    ``seals_verify --reseal``); the number of records sealed."""
    from jixiao.core.bulk import rows_update

    sealer = Sealer()
    n, last = 0, 0
    qs = Result.objects.order_by("pk").only("pk", *RESULT_FIELDS)
    while True:
        rows = list(qs.filter(pk__gt=last)[:batch])
        if not rows:
            break
        rows_update(Result, ["seal"], [(sealer.seal_bytes(result_message_of(r)), r.pk) for r in rows])
        n, last = n + len(rows), rows[-1].pk
    for p in Publication.objects.order_by("pk"):
        Publication.objects.filter(pk=p.pk).update(seal=sealer.seal(publication_parts(p)))
        n += 1
    return n
