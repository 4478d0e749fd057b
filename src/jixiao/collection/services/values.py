"""Writes of values (form, import, API), evidence and reminders.

Every write checks, in this order: the period is open, the indicator and variable exist for the
object's category in this period, the scope may report it, the edit is not stale. Then it writes
the value, its change record, an audit entry and, when scores can move, the ledger change that
the worker's recompute will score (:func:`~jixiao.collection.services.ledger.ledger_touch`), all in
one transaction. Nothing here scores.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.collection.models import Evidence, Incident, Reminder, Value, ValueChange
from jixiao.collection.services.ledger import ledger_touch
from jixiao.core.bulk import now_for_db, rows_insert, rows_update
from jixiao.core.errors import NotAllowed, ServiceError, StaleEdit
from jixiao.core.uploads import UploadRefused, check_evidence
from jixiao.org.models import AssessedObject, Unit
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.catalog import Catalog, Leaf
from jixiao.schemes.models import Period
from jixiao.schemes.selectors import catalog_of
from jixiao.schemes.services import period_require_open

MAX_ABS = Decimal("1e13")


def parse_number(raw: str | float | int | Decimal | None) -> Decimal | None:
    """A reported number: blank → None; commas and a trailing % are accepted; anything else refused."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ServiceError("不是数字")
    if isinstance(raw, int | float | Decimal):
        d = Decimal(str(raw))
    else:
        text = raw.strip().replace(",", "").replace("，", "")
        if text == "":
            return None
        if text.endswith("%"):
            text = text[:-1]
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ServiceError(f"“{raw}”不是数字") from None
    if not d.is_finite() or abs(d) >= MAX_ABS:
        raise ServiceError(f"“{raw}”超出允许范围")
    return d.quantize(Decimal("0.000001"))


def leaf_for(catalog: Catalog, obj: AssessedObject, indicator: str, period: Period, *, kind: str) -> Leaf:
    category = catalog.category_of_group(obj.group)
    leaf = catalog.leaf(category, indicator) if category else None
    if leaf is None or leaf.kind != kind:
        raise ServiceError(f"指标 {indicator} 不是 {obj.name} 所属类别的{_KIND[kind]}指标", field="indicator")
    if not leaf.applies(period.code):
        raise ServiceError(f"指标 {leaf.name} 不在 {period.name} 考核", field="period")
    return leaf


_KIND = {"value": "填报", "incident": "加减分", "ballot": "评价"}


@dataclass(frozen=True)
class ValueInput:
    """One cell of a bulk write (import or API): object code, indicator, variable, number."""

    object: str
    indicator: str
    variable: str
    value: Decimal | None
    note: str = ""


@dataclass
class ValueWrite:
    """One checked write of a value (:func:`value_check`), ready for :func:`value_apply`."""

    leaf: Leaf
    current: Value | None  # the stored value, locked; None: a new one
    indicator: str
    variable: str
    value: Decimal | None
    note: str
    status: str

    @property
    def changes(self) -> bool:
        c = self.current
        return c is None or (c.value, c.status, c.note) != (self.value, self.status, self.note)

    @property
    def counts(self) -> bool:
        """Whether scores can move: the value counts before or after the write."""
        before = self.current.status if self.current is not None else ""
        return self.status in Value.COUNTING or before in Value.COUNTING


def value_locked(*, period: Period, obj: AssessedObject, indicator: str, variable: str) -> Value | None:
    # [:1], not first(): the key is unique, an ORDER BY would only cost its compiling
    rows = Value.objects.select_for_update().filter(assessment_id=period.assessment_id, period=period, object=obj,
                                                    indicator=indicator, variable=variable)[:1]
    return next(iter(rows), None)


def stale_message(current: Value, *, office: bool = True) -> str:
    who = current.updated_by.get_username() if current.updated_by else "他人"
    text = (f"该数据已被 {who} 于 {timezone.localtime(current.updated_at):%Y-%m-%d %H:%M:%S} 修改，"
            f"当前值为 {_fmt(current.value)}，请刷新后再改")
    if not office and current.status == Value.Status.VERIFIED:
        # Refreshing would not help a reporter here: the office has to return the value first.
        text = f"{text}；已审核的数据需由绩效办退回后才能修改"
    return text


def value_check(*, scope: Scope, period: Period, obj: AssessedObject, catalog: Catalog, indicator: str,
                variable: str, value: Decimal | None, note: str, current: Value | None,
                expected_version: int | None, submit: bool, via: str) -> ValueWrite:
    """Check one write of a value against the scheme, the scope and the stored value (``current``,
    locked by the caller; the period is checked open by the caller). Writes nothing."""
    require_org(scope, period.assessment.organisation_id)
    leaf = leaf_for(catalog, obj, indicator, period, kind="value")
    if variable not in leaf.variables:
        raise ServiceError(f"指标 {leaf.name} 没有变量 {variable}", field="variable")
    if leaf.fed_by_system and via != "supervision":
        raise NotAllowed(f"“{leaf.name}”由督办系统按事项办理情况自动计数，不能手工填报")
    if not scope.can_report(obj.unit_id, leaf.source):
        raise NotAllowed(f"无权填报 {obj.name} 的“{leaf.name}”" + (f"（由 {leaf.source} 填报）" if leaf.source else ""))
    if variable == "target" and not scope.office:
        raise NotAllowed(f"{leaf.name}的目标值由绩效办下达，不能由填报单位修改")
    if current is not None and expected_version is not None and current.version != expected_version:
        raise StaleEdit(stale_message(current, office=scope.office), field="value")
    if current is not None and current.status == Value.Status.VERIFIED and not scope.office:
        raise NotAllowed("已审核的数据需由绩效办退回后才能修改")
    status = Value.Status.VERIFIED if scope.office else Value.Status.SUBMITTED if submit else Value.Status.DRAFT
    return ValueWrite(leaf=leaf, current=current, indicator=indicator, variable=variable, value=value, note=note,
                      status=status)


@functools.cache
def _sql(statement: str) -> str:
    """The two statements of every save, built once: a stored value's change (only what a save
    changes, the key columns stay) and its history line. Plain statements: the model's save
    machinery costs several times the statement on a path every save takes."""
    q = connection.ops.quote_name
    if statement == "update":
        sets = ", ".join(f"{q(c)} = %s" for c in ("value", "note", "status", "return_reason", "version",
                                                   "updated_by_id", "updated_at"))
        return f"UPDATE {q(Value._meta.db_table)} SET {sets} WHERE {q('id')} = %s"
    columns = ("value_id", "at", "actor_id", "via", "action", "before", "after", "status_before", "status_after")
    return (f"INSERT INTO {q(ValueChange._meta.db_table)} ({', '.join(q(c) for c in columns)}, {q('note')}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}, '')")


def _number(d: Decimal | None) -> Any:
    """A number as the model stores it (a value and its history share the column type)."""
    return Value._meta.get_field("value").get_db_prep_save(d, connection)


def value_apply(*, actor: Actor, period: Period, obj: AssessedObject, write: ValueWrite, submit: bool,
                via: str) -> Value:
    """Write a checked value that changes: the value, its history line and its audit entry. The
    caller records the ledger change (once for all its writes) when ``write.counts``."""
    current = write.current
    before_value = current.value if current else None
    before_status = current.status if current else ""
    user = user_of(actor)
    uid = user.pk if user is not None else None
    if current is None:
        current = Value(assessment=period.assessment, period=period, object=obj, indicator=write.indicator,
                        variable=write.variable, value=write.value, note=write.note, status=write.status,
                        updated_by=user)
        current.save()
        now = current.updated_at
    else:
        now = timezone.now()
        current.version += 1
        current.value, current.note, current.status = write.value, write.note, write.status
        current.return_reason, current.updated_by, current.updated_at = "", user, now
        with connection.cursor() as cur:
            cur.execute(_sql("update"), [_number(write.value), write.note, write.status, "", current.version, uid,
                                         connection.ops.adapt_datetimefield_value(now), current.pk])
    with connection.cursor() as cur:
        cur.execute(_sql("change"), [current.pk, connection.ops.adapt_datetimefield_value(now), uid, via,
                                     "submit" if submit else "save", _number(before_value), _number(write.value),
                                     before_status, write.status])
    audit_record(actor=actor, action="value_save", instance=current,
                 before={"value": _fmt(before_value), "status": before_status} if before_status else None,
                 after={"value": _fmt(write.value), "status": write.status, "note": write.note},
                 summary=f"{obj.code}/{write.indicator}.{write.variable}@{period.code}")
    return current


def _value_write(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, catalog: Catalog,
                 indicator: str, variable: str, value: Decimal | None, note: str, current: Value | None,
                 expected_version: int | None, submit: bool, via: str) -> Value:
    """Check and write one value whose stored row (``current``) is locked and the period checked
    open, in the caller's transaction; the ledger change too when scores can move."""
    write = value_check(scope=scope, period=period, obj=obj, catalog=catalog, indicator=indicator, variable=variable,
                        value=value, note=note, current=current, expected_version=expected_version, submit=submit,
                        via=via)
    if current is not None and not write.changes:
        return current  # nothing changed: no version bump, no history line
    saved = value_apply(actor=actor, period=period, obj=obj, write=write, submit=submit, via=via)
    if write.counts:
        ledger_touch(assessment_id=period.assessment_id,
                     objects=[(catalog.category_of_group(obj.group) or obj.category.code, obj.pk)])
    return saved


@transaction.atomic
def value_save(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, indicator: str,
               variable: str, value: Decimal | None, note: str = "", expected_version: int | None = None,
               submit: bool = False, via: str = "form") -> Value:
    """Enter or change one value. The office's entries are verified at once; a reporter's are a
    draft, or submitted with ``submit``. ``expected_version`` (from the form) refuses stale edits."""
    period = period_require_open(period)
    catalog = catalog_of(period.assessment)
    current = value_locked(period=period, obj=obj, indicator=indicator, variable=variable)
    return _value_write(actor=actor, scope=scope, period=period, obj=obj, catalog=catalog, indicator=indicator,
                        variable=variable, value=value, note=note, current=current,
                        expected_version=expected_version, submit=submit, via=via)


@transaction.atomic
def value_change(*, actor: Actor, scope: Scope, visible: QuerySet[Value], pk: int, value: Decimal | None,
                 note: str = "", expected_version: int | None = None, submit: bool = False,
                 via: str = "api") -> Value | None:
    """Change one stored value named by its id (the API's PUT), as :func:`value_save` would, with
    one read of the value: locked (its row only) from ``visible``, the values the caller may see,
    with its object, period and assessment (what an answer shows). None when ``pk`` is not among
    them; nothing is written then.

    The value's row is locked before the period is checked (:func:`value_save` checks the period
    first): both only share-lock the period, so writers never wait for each other on it, and
    :func:`~jixiao.schemes.services.period_close` locks the period alone."""
    # The row and its object only: a join more is a plan more to make on every save, and the period
    # (with its assessment) is read again just below anyway.
    rows = visible.select_related(None).select_related("object").select_for_update(of=("self",)).filter(pk=pk)[:1]
    current = next(iter(rows), None)
    if current is None:
        return None
    period = period_require_open(Period(pk=current.period_id))  # it reads the period by its id
    current.period, current.assessment = period, period.assessment
    return _value_write(actor=actor, scope=scope, period=period, obj=current.object,
                        catalog=catalog_of(period.assessment), indicator=current.indicator,
                        variable=current.variable, value=value, note=note, current=current,
                        expected_version=expected_version, submit=submit, via=via)


def _fmt(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def _restatus(actor: Actor, values: list[Value], status: str, action: str) -> None:
    """Move many values to a new status: one update, their history rows and audit entries."""
    now = timezone.now()
    ValueChange.objects.bulk_create([ValueChange(value=v, actor=user_of(actor), action=action, before=v.value,
                                                 after=v.value, status_before=v.status, status_after=status)
                                     for v in values])
    for v in values:
        v.status, v.version, v.updated_at = status, v.version + 1, now
    Value.objects.bulk_update(values, ["status", "version", "updated_at"])
    audit_record_many(actor=actor, action=f"value_{action}", target="collection.value",
                      rows=[(str(v.pk), None, {"status": status}) for v in values])


def pending_submit(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject, catalog: Catalog,
                   category: str) -> list[Value]:
    """Submit the draft or returned values of an object in a period that are filled in and the
    scope may report; the values submitted. The caller records the ledger change."""
    rows = list(Value.objects.select_for_update().filter(
        period=period, object=obj, status__in=[Value.Status.DRAFT, Value.Status.RETURNED], value__isnull=False))
    changed = [v for v in rows if (leaf := catalog.leaf(category, v.indicator)) is not None
               and scope.can_report(obj.unit_id, leaf.source)]
    _restatus(actor, changed, Value.Status.SUBMITTED, "submit")
    return changed


@transaction.atomic
def values_submit(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject) -> int:
    """Submit every draft or returned value of an object in a period that the scope may report."""
    period = period_require_open(period)
    catalog = catalog_of(period.assessment)
    category = catalog.category_of_group(obj.group) or obj.category.code
    changed = pending_submit(actor=actor, scope=scope, period=period, obj=obj, catalog=catalog, category=category)
    if changed:
        ledger_touch(assessment_id=period.assessment_id, objects=[(category, obj.pk)])
    return len(changed)


@transaction.atomic
def values_verify(*, actor: Actor, scope: Scope, period: Period, obj: AssessedObject) -> int:
    """The office verifies every submitted value of an object in a period at once. Submitted
    values already count, so scores do not move and nothing is recomputed."""
    require_verifies(scope, obj)
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    rows = list(Value.objects.select_for_update().filter(period=period, object=obj, status=Value.Status.SUBMITTED))
    _restatus(actor, rows, Value.Status.VERIFIED, "verify")
    return len(rows)


def require_verifies(scope: Scope, obj: AssessedObject) -> None:
    """Refuse unless the scope verifies this object's values: the office, or the unit head of a
    member of his staff or a section below his unit (四级考核)."""
    if not scope.verifies:
        raise NotAllowed("只有绩效办或单位负责人可以审核数据")
    if not scope.verifies_object(unit_id=obj.unit_id, person_id=obj.person_id, unit_kind=obj.unit.kind):
        raise NotAllowed(f"{obj.name} 的数据由绩效办审核（单位负责人只审核本单位干部和下属科室的数据）")


@transaction.atomic
def value_review(*, actor: Actor, scope: Scope, value: Value, approve: bool, reason: str = "",
                 expected_version: int | None = None) -> Value:
    """The office verifies a value (a submitted one, or a returned one it accepts as it stands), or
    returns it to the reporter with a reason."""
    value = Value.objects.select_for_update(of=("self",)).select_related("period", "object__unit").get(pk=value.pk)
    require_verifies(scope, value.object)
    period_require_open(value.period)
    require_org(scope, value.assessment.organisation_id)
    if expected_version is not None and value.version != expected_version:
        raise StaleEdit("该数据已被修改，请刷新后再审核")
    if not approve and not reason.strip():
        raise ServiceError("退回需要填写理由", field="reason")
    # A returned value stays returned until it is corrected and resubmitted, or the office accepts
    # it as it stands: this explicit approval is that acceptance.
    if approve and value.status not in (Value.Status.SUBMITTED, Value.Status.RETURNED):
        raise ServiceError(f"只能审核已报送或已退回的数据（当前：{value.get_status_display()}）")
    if approve and value.value is None:
        raise ServiceError("该数据没有填报值，不能审核通过")
    if not approve and value.status not in Value.COUNTING:
        raise ServiceError(f"只能退回已报送或已审核的数据（当前：{value.get_status_display()}）")
    before = value.status
    value.status = Value.Status.VERIFIED if approve else Value.Status.RETURNED
    value.return_reason = "" if approve else reason.strip()
    value.version += 1
    value.save(update_fields=["status", "return_reason", "version", "updated_at"])
    ValueChange.objects.create(value=value, actor=user_of(actor), action="verify" if approve else "return",
                               before=value.value, after=value.value, status_before=before,
                               status_after=value.status, note=value.return_reason)
    audit_record(actor=actor, action="value_verify" if approve else "value_return", instance=value,
                 before={"status": before}, after={"status": value.status, "reason": value.return_reason})
    if (before in Value.COUNTING) != (value.status in Value.COUNTING):
        ledger_touch(assessment_id=value.assessment_id, objects=[(value.object.category.code, value.object_id)])
    return value


@transaction.atomic
def values_bulk_upsert(*, actor: Actor, scope: Scope, period: Period, rows: Iterable[ValueInput], via: str,
                       submit: bool = True, change_note: str = "") -> int:
    """Write many values at once (import, API): everything or nothing.

    Rows are checked first; the first problem found is raised with the row's number (1-based in
    ``rows``); the caller (the importer) has already checked cells and places its own messages.
    Written values count at once (submitted, or verified for the office). One recompute at the end.
    ``change_note`` goes into each value's history (e.g. 来自测评活动「…」).
    """
    period = period_require_open(period)
    assessment = period.assessment
    require_org(scope, assessment.organisation_id)
    catalog = catalog_of(assessment)
    rows = list(rows)
    # Another organisation's object is as unknown here as a code that does not exist.
    objs = {o.code: o for o in AssessedObject.objects.filter(code__in={r.object for r in rows}, active=True,
                                                             unit__organisation_id=assessment.organisation_id)}
    status = Value.Status.VERIFIED if scope.office else Value.Status.SUBMITTED if submit else Value.Status.DRAFT
    keyed: dict[tuple[int, str, str], ValueInput] = {}
    touched: set[tuple[str, int]] = set()
    leaves: dict[tuple[str, str], Leaf] = {}
    for n, r in enumerate(rows, start=1):
        obj = objs.get(r.object)
        if obj is None:
            raise ServiceError(f"第 {n} 行：考核对象 {r.object} 不存在", field="object")
        leaf = leaves.get((obj.group, r.indicator))
        if leaf is None:
            try:
                leaf = leaves[(obj.group, r.indicator)] = leaf_for(catalog, obj, r.indicator, period, kind="value")
            except ServiceError as e:
                raise ServiceError(f"第 {n} 行：{e.message}", field="indicator") from None
        if r.variable not in leaf.variables:
            raise ServiceError(f"第 {n} 行：指标 {leaf.name} 没有变量 {r.variable}", field="variable")
        if leaf.fed_by_system and via != "supervision":
            raise NotAllowed(f"第 {n} 行：“{leaf.name}”由督办系统自动计数，不能手工填报")
        if not scope.can_report(obj.unit_id, leaf.source):
            raise NotAllowed(f"第 {n} 行：无权填报 {obj.name} 的“{leaf.name}”")
        if r.variable == "target" and not scope.office:
            raise NotAllowed(f"第 {n} 行：{leaf.name}的目标值由绩效办下达，不能由填报单位修改")
        keyed[(obj.pk, r.indicator, r.variable)] = r
        touched.add((leaf.category, obj.pk))
    obj_ids = [o.pk for o in objs.values()]
    existing = {(o, i, v): (pk, x, s, ver, note) for pk, o, i, v, x, s, ver, note in
                Value.objects.select_for_update().filter(period=period, object_id__in=obj_ids).values_list(
                    "id", "object_id", "indicator", "variable", "value", "status", "version", "note")}
    obj_of = {cur[0]: k[0] for k, cur in existing.items()}
    if not scope.office:
        locked = [k for k in keyed if k in existing and existing[k][2] == Value.Status.VERIFIED]
        if locked:
            raise NotAllowed(f"{len(locked)} 个数据已审核，需由绩效办退回后才能修改")
    user = user_of(actor)
    uid = user.pk if user is not None else None
    now = now_for_db()
    new = [(k, r) for k, r in keyed.items() if k not in existing]
    # (id, input, value before, status before, new version, note) of the values that change
    upd = [(cur[0], r, cur[1], cur[2], cur[3] + 1, r.note or cur[4]) for k, r in keyed.items()
           if (cur := existing.get(k)) is not None and (cur[1] != r.value or cur[2] != status)]
    rows_insert(Value, ["assessment_id", "period_id", "object_id", "indicator", "variable", "value", "note", "status",
                        "return_reason", "version", "updated_by_id", "updated_at"],
                [(assessment.pk, period.pk, k[0], k[1], k[2], r.value, r.note, status, "", 1, uid, now)
                 for k, r in new])
    rows_update(Value, ["value", "status", "version", "updated_by_id", "note", "return_reason", "updated_at"],
                [(r.value, status, ver, uid, note, "", now, pk) for pk, r, _, _, ver, note in upd])
    ids = {(o, i, v): pk for pk, o, i, v in Value.objects.filter(period=period, object_id__in=obj_ids)
           .values_list("id", "object_id", "indicator", "variable")} if new else {}
    cn = change_note[:300]
    changes: list[tuple[Any, ...]] = [(ids[k], now, uid, via, "save", None, r.value, "", status, cn) for k, r in new]
    changes += [(pk, now, uid, via, "save", b, r.value, s, status, cn) for pk, r, b, s, _, _ in upd]
    rows_insert(ValueChange, ["value_id", "at", "actor_id", "via", "action", "before", "after", "status_before",
                              "status_after", "note"], changes)
    audit_record_many(actor=actor, action=f"value_{via}", target="collection.value", rows=(
        [(str(ids[k]), None, {"value": _fmt(r.value), "status": status}) for k, r in new]
        + [(str(pk), {"value": _fmt(b), "status": s}, {"value": _fmt(r.value), "status": status})
           for pk, r, b, s, _, _ in upd]), summary=f"{period.assessment.code}@{period.code}")
    if new or upd:
        changed_objects = {k[0] for k, _ in new} | {obj_of[pk] for pk, *_ in upd}
        ledger_touch(assessment_id=assessment.pk, objects=[t for t in touched if t[1] in changed_objects])
    return len(new) + len(upd)


@transaction.atomic
def evidence_add(*, actor: Actor, scope: Scope, upload: UploadedFile, value: Value | None = None,
                 incident: Incident | None = None) -> Evidence:
    """Attach a file to a value or an incident after checking its type, size and content."""
    target = value or incident
    if target is None:
        raise ServiceError("佐证材料需要对应的数据或事项")
    period_require_open(target.period)
    require_org(scope, target.assessment.organisation_id)
    obj = target.object
    if value is not None:
        leaf = catalog_of(value.assessment).leaf(obj.category.code, value.indicator)
        allowed = scope.can_report(obj.unit_id, leaf.source if leaf else "")
    else:
        allowed = scope.office or scope.sees_unit(obj.unit_id)
    if not allowed:
        raise NotAllowed(f"无权为 {obj.name} 上传材料")
    if value is not None and value.status == Value.Status.VERIFIED and not scope.office:
        # What the office verified includes its evidence: adding to it is a change like any other.
        raise NotAllowed("已审核的数据需由绩效办退回后才能补充佐证材料")
    head = upload.read(2048)
    upload.seek(0)
    try:
        checked = check_evidence(upload.name or "", head, upload.size or 0,
                                 allowed=settings.JIXIAO_EVIDENCE_TYPES, max_bytes=settings.JIXIAO_EVIDENCE_MAX_BYTES)
    except UploadRefused as e:
        raise ServiceError(str(e), field="file") from None
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    ev = Evidence(value=value, incident=incident, name=(upload.name or "file")[:200],
                  content_type=checked.content_type, size=upload.size or 0, sha256=sha.hexdigest(),
                  uploaded_by=user_of(actor))
    ev.file.save(f"file.{checked.extension}", upload, save=False)
    ev.save()
    audit_record(actor=actor, action="evidence_add", instance=ev,
                 after={"name": ev.name, "size": ev.size, "sha256": ev.sha256,
                        "value": value.pk if value else None, "incident": incident.pk if incident else None})
    return ev


@transaction.atomic
def reminders_send(*, actor: Actor, scope: Scope, period: Period, units: list[Unit], message: str) -> int:
    """The office reminds units that have not reported (催报)."""
    if not scope.office:
        raise NotAllowed("只有绩效办可以催报")
    period = period_require_open(period)
    require_org(scope, period.assessment.organisation_id)
    if any(u.organisation_id != period.assessment.organisation_id for u in units):
        raise ServiceError("只能催报本组织的单位", field="units")
    if not units:
        raise ServiceError("请选择要催报的单位", field="units")
    text = message.strip() or f"请于期限内完成 {period.name} 的数据填报。"
    made = Reminder.objects.bulk_create([Reminder(assessment=period.assessment, period=period, unit=u, message=text,
                                                  sent_by=user_of(actor)) for u in units])
    audit_record_many(actor=actor, action="remind", target="org.unit",
                      rows=[(str(u.pk), None, {"period": period.code, "message": text}) for u in units])
    return len(made)

