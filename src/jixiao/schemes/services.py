"""Writes to schemes, versions, assessments and periods."""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, user_of
from jixiao.core.errors import Frozen, NotAllowed, PeriodClosed, ServiceError, StaleEdit
from jixiao.engine.scheme.loader import SchemeError
from jixiao.org.models import Category, Organisation, RoleGrant
from jixiao.org.scoping import Scope
from jixiao.org.services import organisation_default
from jixiao.schemes.catalog import Catalog, catalog_for, digest
from jixiao.schemes.messages import chinese_problems
from jixiao.schemes.models import Assessment, Period, PeriodReopening, Scheme, SchemeVersion
from jixiao.schemes.periods import infer_period

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class SchemeInvalid(ServiceError):
    """The scheme text was refused by the engine; ``problems`` are the engine's located problems and
    ``messages`` the same in Chinese, each naming its place (read against ``data``, the parsed text)."""

    def __init__(self, err: SchemeError, data: Any = None, *, field: str = "text"):
        self.problems = err.problems
        self.messages = chinese_problems(err.problems, data)
        first = self.messages[0].text if self.messages else ""
        if len(self.messages) > 1:
            text = f"方案校验未通过，共 {len(self.messages)} 处问题（见问题列表），第一处：{first}"
        else:
            text = f"方案校验未通过：{first}"
        super().__init__(text, field=field)


def scheme_data(text: str) -> Any:
    """The parsed scheme text, or ``None`` when it is not YAML (its problems are named by line)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return None


def _checked(text: str) -> Catalog:
    try:
        return catalog_for(text)
    except SchemeError as e:
        raise SchemeInvalid(e, scheme_data(text)) from None


@transaction.atomic
def scheme_create(*, actor: Actor, code: str, name: str, text: str, note: str = "",
                  organisation: Organisation | None = None) -> SchemeVersion:
    """A new scheme of ``organisation`` (the creator's: views pass the scope's; the only one when
    the installation has one) with its first (draft) version."""
    if not SLUG.fullmatch(code):
        raise ServiceError("方案编码只能包含字母、数字、连字符和下划线", field="code")
    if Scheme.objects.filter(code=code).exists():
        raise ServiceError(f"方案编码 {code} 已存在", field="code")
    _checked(text)
    scheme = Scheme.objects.create(code=code, name=name, organisation=organisation_default(organisation))
    version = SchemeVersion.objects.create(scheme=scheme, number=1, text=text, digest=digest(text), note=note,
                                           created_by=user_of(actor))
    audit_record(actor=actor, action="create", instance=version, after={"scheme": code, "number": 1,
                                                                        "digest": version.digest})
    return version


@transaction.atomic
def scheme_version_create(*, actor: Actor, based_on: SchemeVersion, text: str, note: str = "") -> SchemeVersion:
    """Save an edit as a new draft version. Refused as stale when someone saved a newer version
    of the same scheme after ``based_on`` was opened."""
    scheme = Scheme.objects.select_for_update().get(pk=based_on.scheme_id)
    latest = scheme.versions.order_by("-number").first()
    assert latest is not None
    if latest.pk != based_on.pk:
        raise StaleEdit(f"方案已有更新的版本 v{latest.number}（{latest.created_at:%Y-%m-%d %H:%M}），"
                        f"请在最新版本上修改", field="text")
    _checked(text)
    version = SchemeVersion.objects.create(
        scheme=scheme, number=latest.number + 1, text=text, digest=digest(text), note=note, based_on=based_on,
        created_by=user_of(actor))
    audit_record(actor=actor, action="create", instance=version,
                 after={"scheme": scheme.code, "number": version.number, "based_on": based_on.number,
                        "digest": version.digest})
    return version


@transaction.atomic
def scheme_version_adopt(*, actor: Actor, version: SchemeVersion) -> SchemeVersion:
    """Freeze a version so an assessment can use it."""
    if version.status == SchemeVersion.Status.ADOPTED:
        return version
    _checked(version.text)
    version.status = SchemeVersion.Status.ADOPTED
    version.adopted_at = timezone.now()
    version.save(update_fields=["status", "adopted_at"])
    audit_record(actor=actor, action="adopt", instance=version, before={"status": "draft"},
                 after={"status": "adopted"})
    return version


def _check_categories(catalog: Catalog, year: int, exclude: Assessment | None, organisation_id: int) -> None:
    """The scheme's categories exist in the organisation and no other assessment of its year uses them."""
    known = set(Category.objects.filter(code__in=list(catalog.categories), organisation_id=organisation_id)
                .values_list("code", flat=True))
    missing = sorted(set(catalog.categories) - known)
    if missing:
        raise ServiceError(f"方案中的类别 {', '.join(missing)} 在组织机构中不存在，请先建立考核对象类别",
                           field="version")
    others = Assessment.objects.filter(year=year, organisation_id=organisation_id)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others.select_related("version"):
        clash = set(catalog_for(other.version.text).categories) & set(catalog.categories)
        if clash:
            raise ServiceError(f"类别 {', '.join(sorted(clash))} 已在 {year} 年度的考核“{other.name}”中使用"
                               f"（每个类别每年只用一个方案版本）", field="version")


@transaction.atomic
def assessment_create(*, actor: Actor, code: str, name: str, year: int, version: SchemeVersion) -> Assessment:
    """An assessment on an adopted version, with one open period per period of the scheme."""
    if Assessment.objects.filter(code=code).exists():
        raise ServiceError(f"考核编码 {code} 已存在", field="code")
    if version.status != SchemeVersion.Status.ADOPTED:
        raise ServiceError("只能使用已启用（冻结）的方案版本", field="version")
    catalog = _checked(version.text)
    org_id = version.scheme.organisation_id
    _check_categories(catalog, year, None, org_id)
    if not SLUG.fullmatch(code):
        raise ServiceError("考核编码只能包含字母、数字、连字符和下划线", field="code")
    wrong = [p for p in catalog.periods if (info := infer_period(p, year)).kind != "other" and info.starts.year != year]
    if wrong:
        raise ServiceError(f"方案的考核期 {', '.join(wrong[:4])} 不在 {year} 年度内", field="year")
    assessment = Assessment.objects.create(code=code, name=name, year=year, version=version,
                                           organisation_id=org_id)
    Period.objects.bulk_create([
        Period(assessment=assessment, code=p, name=info.name, kind=info.kind, starts=info.starts, ends=info.ends,
               position=i)
        for i, p in enumerate(catalog.periods) for info in [infer_period(p, year)]])
    audit_record(actor=actor, action="create", instance=assessment,
                 after={"code": code, "year": year, "scheme": version.scheme.code, "version": version.number})
    return assessment


@transaction.atomic
def assessment_switch_version(*, actor: Actor, assessment: Assessment, version: SchemeVersion) -> Assessment:
    """Adopt an edited version for a running assessment (after the what-if preview).

    Refused once any period is closed: closed results must not move. The new version's periods
    must be the assessment's periods. Results are recomputed by the caller's recompute.
    """
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.periods.filter(status=Period.Status.CLOSED).exists():
        raise PeriodClosed("本考核已有关闭的考核期，不能更换方案版本")
    if version.scheme_id != assessment.version.scheme_id:
        raise ServiceError("只能更换为同一方案的其他版本", field="version")
    catalog = _checked(version.text)
    current = list(assessment.periods.order_by("position").values_list("code", flat=True))
    if list(catalog.periods) != current:
        raise ServiceError("新版本的考核期与本考核不一致：" + ", ".join(catalog.periods), field="version")
    _check_categories(catalog, assessment.year, assessment, assessment.organisation_id)
    scheme_version_adopt(actor=actor, version=version)
    before = {"version": assessment.version.number}
    assessment.version = version
    assessment.save(update_fields=["version"])
    audit_record(actor=actor, action="switch_version", instance=assessment, before=before,
                 after={"version": version.number})
    return assessment


@transaction.atomic
def period_close(*, actor: Actor, period: Period) -> Period:
    period = Period.objects.select_for_update().get(pk=period.pk)
    if not period.is_open:
        raise PeriodClosed(f"{period.name} 已关闭")
    period.status, period.closed_at = Period.Status.CLOSED, timezone.now()
    period.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="close", instance=period, before={"status": "open"}, after={"status": "closed"})
    return period


@transaction.atomic
def period_reopen_request(*, actor: Actor, period: Period, reason: str) -> PeriodReopening:
    """The first of the two steps of reopening a closed period: a request with its reason, which a
    second person must approve (:func:`period_reopen_decide`); audited."""
    if not reason.strip():
        raise ServiceError("重新开放考核期需要说明理由", field="reason")
    user = user_of(actor)
    if user is None:
        raise NotAllowed("重新开放考核期须由考核办管理员申请")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.is_open:
        raise ServiceError(f"{period.name} 未关闭")
    if period.reopenings.filter(status=PeriodReopening.Status.PENDING).exists():
        raise ServiceError(f"{period.name} 已有待审批的重新开放申请")
    req = PeriodReopening.objects.create(period=period, reason=reason.strip(), requested_by=user)
    audit_record(actor=actor, action="reopen_request", instance=period, after={"reopening": req.pk},
                 summary=reason.strip())
    return req


def can_approve_reopening(scope: Scope) -> bool:
    """Who may approve a reopening: an office admin or a member of the leadership group."""
    return scope.office or RoleGrant.Role.LEADER_GROUP.value in scope.roles


@transaction.atomic
def period_reopen_decide(*, actor: Actor, scope: Scope, period: Period, approve: bool) -> PeriodReopening:
    """The second step: another office admin or a leadership-group member approves the pending
    request (the period opens) or refuses it. The requester cannot approve his own request; he may
    withdraw it (a refusal). Both outcomes are audited."""
    user = user_of(actor)
    if user is None or not can_approve_reopening(scope):
        raise NotAllowed("只有考核办管理员或考核领导小组成员可以审批重新开放")
    period = Period.objects.select_for_update().get(pk=period.pk)
    req = period.reopenings.select_for_update().filter(status=PeriodReopening.Status.PENDING).first()
    if req is None:
        raise ServiceError(f"{period.name} 没有待审批的重新开放申请")
    if approve and req.requested_by_id == user.pk:
        raise NotAllowed("重新开放须由另一人审批：申请人不能审批自己的申请")
    req.status = PeriodReopening.Status.APPROVED if approve else PeriodReopening.Status.REFUSED
    req.decided_by, req.decided_at = user, timezone.now()
    req.save(update_fields=["status", "decided_by", "decided_at"])
    if approve:
        period.status, period.closed_at = Period.Status.OPEN, None
        period.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action="reopen", instance=period, before={"status": "closed"},
                     after={"status": "open", "requested_by": req.requested_by.get_username()},
                     summary=req.reason)
    else:
        audit_record(actor=actor, action="reopen_refuse", instance=period, after={"reopening": req.pk},
                     summary=req.reason)
    return req


def period_require_open(period: Period) -> Period:
    """Every write path calls this inside its transaction: the period is read again, and a closed
    one refuses.

    Inside a write's transaction the period row is share-locked (PostgreSQL ``FOR SHARE``) and
    nothing else: writers of the same period do not wait for each other, while
    :func:`period_close` (``FOR UPDATE``) waits for the writes under way, and a write after the
    close sees it closed. The assessment and its scheme version are read, not locked: they are
    not what this rule protects. SQLite serialises writers anyway.
    """
    fresh = Period.objects.select_related("assessment__version").get(pk=period.pk)
    conn = transaction.get_connection()
    if conn.in_atomic_block and conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute(f"SELECT status FROM {Period._meta.db_table} WHERE id = %s FOR SHARE", [period.pk])
            row = cur.fetchone()
        fresh.status = row[0] if row else fresh.status
    if not fresh.is_open:
        raise PeriodClosed(f"{fresh.name} 已关闭，不能再修改")
    return fresh


def version_require_draft(version: SchemeVersion) -> None:
    if version.status == SchemeVersion.Status.ADOPTED:
        raise Frozen(f"v{version.number} 已启用并冻结，修改将另存为新版本")
