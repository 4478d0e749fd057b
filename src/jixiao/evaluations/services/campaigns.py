"""Writes of a campaign's set-up: the campaign, its rater groups, who rates whom, opening.

Only the office (绩效办) sets campaigns up, in its own organisation; the set-up (objects, groups,
assignments) is editable while the campaign is being prepared (准备中) and fixed once it opens.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from jixiao.audit.services import Actor, audit_record, audit_record_many, user_of
from jixiao.core.errors import NotAllowed, ServiceError
from jixiao.evaluations import rules, who_rates
from jixiao.evaluations.models import Assignment, Campaign, RaterGroup, Token, WindowLink
from jixiao.org.models import AssessedObject, Person, Unit
from jixiao.org.scoping import Scope, require_org
from jixiao.schemes.models import Assessment, Period
from jixiao.schemes.selectors import catalog_of


def require_office(scope: Scope, organisation_id: int | None) -> None:
    require_org(scope, organisation_id)
    if not scope.office:
        raise NotAllowed("测评活动由绩效办管理")


def require_draft(campaign: Campaign) -> None:
    if campaign.status != Campaign.Status.DRAFT:
        raise ServiceError(f"测评活动「{campaign.name}」已{campaign.get_status_display()}，设置不能再修改")


def _check_feed(*, assessment: Assessment, period: Period, indicator: str, feed: str, scale: rules.Scale,
                objects: Sequence[AssessedObject]) -> None:
    """The indicator exists for every object's category in this period and takes this kind of result."""
    catalog = catalog_of(assessment)
    if not objects:
        raise ServiceError("请选择被测评对象", field="objects")
    for obj in objects:
        category = catalog.category_of_group(obj.group)
        leaf = catalog.leaf(category, indicator) if category else None
        if leaf is None:
            raise ServiceError(f"指标 {indicator} 不是 {obj.name} 所属类别的指标", field="indicator")
        if not leaf.applies(period.code):
            raise ServiceError(f"指标「{leaf.name}」不在 {period.name} 考核", field="period")
        if feed == Campaign.Feed.SCORE and leaf.method != "manual":
            raise ServiceError(f"「{leaf.name}」不是评分类指标，不能直接计分", field="feed")
        if feed == Campaign.Feed.RATING:
            if leaf.method != "rating":
                raise ServiceError(f"「{leaf.name}」不是测评票折算类指标", field="feed")
            missing = [n for n, _ in scale.labels if n not in leaf.labels]
            if scale.numeric or missing:
                raise ServiceError(f"评价等次须取自「{leaf.name}」的等次：{' / '.join(leaf.labels)}", field="scale")
        if feed == Campaign.Feed.VALUE and (leaf.kind != "value" or "value" not in leaf.variables):
            raise ServiceError(f"「{leaf.name}」不接受填报数值", field="feed")


def _check_times(opens_at: dt.datetime, closes_at: dt.datetime) -> None:
    if closes_at <= opens_at:
        raise ServiceError("结束时间须晚于开始时间", field="closes_at")


def _check_numbers(trim_pct: Decimal, min_group: int) -> None:
    if trim_pct < 0 or trim_pct > rules.MAX_TRIM:
        raise ServiceError(f"去掉最高、最低的比例须在 0 至 {rules.MAX_TRIM}% 之间", field="trim_pct")
    if min_group < 1:
        raise ServiceError("最少票数须至少为 1", field="min_group")


@transaction.atomic
def campaign_create(*, actor: Actor, scope: Scope, assessment: Assessment, period: Period, name: str,
                    indicator: str, feed: str, scale: rules.Scale, dimensions: Sequence[tuple[str, Decimal]],
                    objects: Sequence[AssessedObject], opens_at: dt.datetime, closes_at: dt.datetime,
                    trim_pct: Decimal = Decimal(0), min_group: int = rules.MIN_GROUP_DEFAULT) -> Campaign:
    """A new campaign being prepared (准备中)."""
    require_office(scope, assessment.organisation_id)
    if period.assessment_id != assessment.pk:
        raise ServiceError("考核期不属于该考核", field="period")
    if not name.strip():
        raise ServiceError("请填写测评活动名称", field="name")
    if any(o.unit.organisation_id != assessment.organisation_id for o in objects):
        raise NotAllowed("该记录属于另一个组织，您当前的组织无权操作")
    _check_feed(assessment=assessment, period=period, indicator=indicator, feed=feed, scale=scale, objects=objects)
    _check_times(opens_at, closes_at)
    _check_numbers(trim_pct, min_group)
    if not dimensions:
        raise ServiceError("请填写测评维度", field="dimensions")
    campaign = Campaign.objects.create(
        assessment=assessment, period=period, name=name.strip(), indicator=indicator, feed=feed,
        scale=scale.as_json(), dimensions=[[n, format(w, "f")] for n, w in dimensions], trim_pct=trim_pct,
        min_group=min_group, opens_at=opens_at, closes_at=closes_at, created_by=user_of(actor))
    campaign.objects_rated.set(objects)
    audit_record(actor=actor, action="campaign_create", instance=campaign,
                 after={"name": campaign.name, "indicator": indicator, "feed": feed, "objects": len(objects)})
    return campaign


@transaction.atomic
def campaign_update(*, actor: Actor, scope: Scope, campaign: Campaign, name: str, indicator: str, feed: str,
                    scale: rules.Scale, dimensions: Sequence[tuple[str, Decimal]], objects: Sequence[AssessedObject],
                    opens_at: dt.datetime, closes_at: dt.datetime, trim_pct: Decimal, min_group: int) -> Campaign:
    """Change a campaign while it is being prepared; assignments of objects no longer rated go."""
    campaign = Campaign.objects.select_for_update().select_related("assessment", "period").get(pk=campaign.pk)
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    if any(o.unit.organisation_id != campaign.assessment.organisation_id for o in objects):
        raise NotAllowed("该记录属于另一个组织，您当前的组织无权操作")
    _check_feed(assessment=campaign.assessment, period=campaign.period, indicator=indicator, feed=feed, scale=scale,
                objects=objects)
    _check_times(opens_at, closes_at)
    _check_numbers(trim_pct, min_group)
    if not name.strip() or not dimensions:
        raise ServiceError("请填写测评活动名称和测评维度", field="name")
    before = {"name": campaign.name, "indicator": campaign.indicator, "feed": campaign.feed}
    campaign.name, campaign.indicator, campaign.feed = name.strip(), indicator, feed
    campaign.scale, campaign.dimensions = scale.as_json(), [[n, format(w, "f")] for n, w in dimensions]
    campaign.opens_at, campaign.closes_at = opens_at, closes_at
    campaign.trim_pct, campaign.min_group = trim_pct, min_group
    campaign.version += 1
    campaign.save()
    campaign.objects_rated.set(objects)
    Token.objects.filter(campaign=campaign).update(expires_at=closes_at)  # tokens end with the campaign
    Assignment.objects.filter(campaign=campaign).exclude(object__in=objects).delete()
    audit_record(actor=actor, action="campaign_update", instance=campaign, before=before,
                 after={"name": campaign.name, "indicator": indicator, "feed": feed, "objects": len(objects)})
    return campaign


@transaction.atomic
def rater_group_add(*, actor: Actor, scope: Scope, campaign: Campaign, kind: str, name: str, weight: Decimal,
                    subtype: str = "", paper_issued: int = 0) -> RaterGroup:
    """A rater group with its weight (评价主体及权重)."""
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    if kind not in RaterGroup.Kind.values:
        raise ServiceError("请选择评价主体类别", field="kind")
    if subtype and (subtype not in RaterGroup.Subtype.values or kind != RaterGroup.Kind.PUBLIC):
        raise ServiceError("只有社会公众评价可细分为人大代表、政协委员、企业代表、群众", field="subtype")
    if weight <= 0:
        raise ServiceError("权重须大于 0", field="weight")
    if paper_issued < 0:
        raise ServiceError("纸质票数不能为负", field="paper_issued")
    name = name.strip() or (RaterGroup.Subtype(subtype).label if subtype else RaterGroup.Kind(kind).label)
    if RaterGroup.objects.filter(campaign=campaign, name=name).exists():
        raise ServiceError(f"已有评价主体「{name}」", field="name")
    group = RaterGroup.objects.create(campaign=campaign, kind=kind, subtype=subtype, name=name, weight=weight,
                                      paper_issued=paper_issued)
    audit_record(actor=actor, action="rater_group_add", instance=group,
                 after={"campaign": campaign.pk, "kind": kind, "name": name, "weight": format(weight, "f")})
    return group


@transaction.atomic
def rater_group_remove(*, actor: Actor, scope: Scope, group: RaterGroup) -> None:
    campaign = group.campaign
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    audit_record(actor=actor, action="rater_group_remove", instance=group, before={"name": group.name})
    group.delete()


@transaction.atomic
def assignments_generate(*, actor: Actor, scope: Scope, campaign: Campaign) -> int:
    """Who rates whom from the organisation tree and people's positions (``who_rates``), for each
    group with accounts; adds what is missing, keeps what the office edited. Returns how many new."""
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    org = campaign.assessment.organisation_id
    groups = {g.kind: g for g in campaign.groups.filter(kind__in=RaterGroup.ACCOUNT_KINDS).order_by("-id")}
    if not groups:
        raise ServiceError("请先添加有账号的评价主体（领导、上级、同级或下级评价）")
    parents = dict(Unit.objects.filter(organisation_id=org).values_list("id", "parent_id"))
    people = [who_rates.PersonInfo(*row) for row in Person.objects.filter(unit__organisation_id=org)
              .values_list("id", "unit_id", "level", "user_id")]
    objects = [who_rates.ObjectInfo(*row) for row in campaign.objects_rated.values_list("id", "unit_id", "person_id")]
    pairs = who_rates.pairs(parents=parents, people=people, objects=objects, kinds=groups)
    have = set(Assignment.objects.filter(campaign=campaign).values_list("rater_id", "object_id"))
    new = {}
    for user_id, obj_id, kind in sorted(pairs):
        if (user_id, obj_id) not in have and (user_id, obj_id) not in new:
            new[(user_id, obj_id)] = Assignment(campaign=campaign, group=groups[kind], rater_id=user_id,
                                                object_id=obj_id)
    Assignment.objects.bulk_create(new.values())
    audit_record(actor=actor, action="assignments_generate", instance=campaign, after={"added": len(new)})
    return len(new)


@transaction.atomic
def assignment_add(*, actor: Actor, scope: Scope, campaign: Campaign, group: RaterGroup, rater_person: Person,
                   obj: AssessedObject) -> Assignment:
    """One more rater for an object, by hand."""
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    if group.campaign_id != campaign.pk or not group.with_accounts:
        raise ServiceError("请选择有账号的评价主体", field="group")
    if rater_person.unit.organisation_id != campaign.assessment.organisation_id:
        raise NotAllowed("该记录属于另一个组织，您当前的组织无权操作")
    if rater_person.user_id is None:
        raise ServiceError(f"{rater_person.name} 没有账号，不能在线测评", field="rater")
    if not campaign.objects_rated.filter(pk=obj.pk).exists():
        raise ServiceError(f"{obj.name} 不是本次测评的对象", field="object")
    if obj.person_id == rater_person.pk:
        raise ServiceError("不能评价自己", field="rater")
    if Assignment.objects.filter(campaign=campaign, rater_id=rater_person.user_id, object=obj).exists():
        raise ServiceError(f"{rater_person.name} 已在 {obj.name} 的测评名单中", field="rater")
    a = Assignment.objects.create(campaign=campaign, group=group, rater_id=rater_person.user_id, object=obj)
    audit_record(actor=actor, action="assignment_add", instance=a,
                 after={"rater": rater_person.code, "object": obj.code, "group": group.name})
    return a


@transaction.atomic
def assignment_remove(*, actor: Actor, scope: Scope, assignment: Assignment) -> None:
    campaign = assignment.campaign
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    audit_record(actor=actor, action="assignment_remove", instance=assignment,
                 before={"rater": assignment.rater_id, "object": assignment.object_id})
    assignment.delete()


@transaction.atomic
def window_link_create(*, actor: Actor, scope: Scope, campaign: Campaign, group: RaterGroup,
                       obj: AssessedObject) -> WindowLink:
    """An open link for a service window's device (窗口评价器), rating one object."""
    require_office(scope, campaign.assessment.organisation_id)
    if campaign.status == Campaign.Status.CLOSED:
        raise ServiceError("测评活动已结束")
    if group.campaign_id != campaign.pk or group.kind != RaterGroup.Kind.SERVICE:
        raise ServiceError("窗口评价须属于“服务对象评价”主体", field="group")
    if not campaign.objects_rated.filter(pk=obj.pk).exists():
        raise ServiceError(f"{obj.name} 不是本次测评的对象", field="object")
    link = WindowLink.objects.create(campaign=campaign, group=group, object=obj, key=secrets.token_urlsafe(16))
    audit_record(actor=actor, action="window_link_create", instance=link, after={"object": obj.code})
    return link


@transaction.atomic
def campaign_open(*, actor: Actor, scope: Scope, campaign: Campaign) -> Campaign:
    """Open the campaign: raters may rate between its opening and closing times."""
    campaign = Campaign.objects.select_for_update().select_related("assessment").get(pk=campaign.pk)
    require_office(scope, campaign.assessment.organisation_id)
    require_draft(campaign)
    if not campaign.groups.exists():
        raise ServiceError("请先添加评价主体")
    if campaign.closes_at <= timezone.now():
        raise ServiceError("结束时间已过，请先修改测评时间")
    campaign.status = Campaign.Status.OPEN
    campaign.version += 1
    campaign.save(update_fields=["status", "version"])
    audit_record(actor=actor, action="campaign_open", instance=campaign, after={"status": campaign.status})
    return campaign


def audit_many(actor: Actor, action: str, rows: list[tuple[str, dict[str, object] | None, dict[str, object] | None]],
               summary: str) -> None:
    audit_record_many(actor=actor, action=action, target="evaluations.ballot", rows=rows, summary=summary)
