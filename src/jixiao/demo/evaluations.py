"""Online evaluations (测评) in the demo, built through the services:

- the county's 「2024年第四季度公众满意度测评」 on three departments, closed: ten members of the
  public rated each 0–100 with one-time tokens; closing wrote each department's satisfaction into
  公众评估 (gzpg) for 2024-Q4 as a verified value whose history names the campaign. The ratings are
  spread evenly around the satisfaction the statistics bureau reported, so the scores stay as
  the rest of the demo expects them;
- the finance bureau's 「2024年第四季度办公室民主测评」, open: the bureau's leaders and the office's
  staff rate each other on 德、能、勤、绩、廉 (张敏 has a draft saved), results at closing into 民主测评.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from jixiao.collection.models import Value
from jixiao.demo.common import Ctx
from jixiao.demo.county import County
from jixiao.demo.finance import Bureau
from jixiao.evaluations import rules
from jixiao.evaluations.models import Assignment
from jixiao.evaluations.services import (
    assignment_ballot_save,
    assignments_generate,
    campaign_close,
    campaign_create,
    campaign_open,
    rater_group_add,
    token_redeem,
    tokens_issue,
)
from jixiao.org.models import AssessedObject

TOKENS = 10


def county_campaign(ctx: Ctx, county: County) -> None:
    office = ctx.office
    period = county.periods["2024-Q4"]
    objs = sorted(county.objects_of("bumen"), key=lambda o: o.code)[:3]
    reported: dict[int, Decimal] = {
        oid: v for oid, v in Value.objects.filter(period=period, object__in=objs, indicator="gzpg", variable="value")
        .values_list("object_id", "value") if v is not None}
    objs = [o for o in objs if o.pk in reported]
    now = timezone.now()
    c = campaign_create(actor=office.user, scope=office.scope, assessment=county.assessment, period=period,
                        name="2024年第四季度公众满意度测评", indicator="gzpg", feed="value",
                        scale=rules.Scale(low=Decimal(0), high=Decimal(100)),
                        dimensions=(("满意度", Decimal(1)),), objects=objs, opens_at=now - dt.timedelta(days=1),
                        closes_at=now + dt.timedelta(days=6))
    rater_group_add(actor=office.user, scope=office.scope, campaign=c, kind="public", subtype="resident",
                    name="群众", weight=Decimal(1))
    group = c.groups.get()
    c = campaign_open(actor=office.user, scope=office.scope, campaign=c)
    issued = tokens_issue(actor=office.user, scope=office.scope, campaign=c, group=group, count=TOKENS)
    for k, (_, token) in enumerate(issued):
        step = Decimal(k // 2 + 1) / 10 * (1 if k % 2 else -1)  # pairs around the reported value
        token_redeem(token=token, ratings={o.pk: {"满意度": format(reported[o.pk] + step, "f")} for o in objs})
    campaign_close(actor=office.user, scope=office.scope, campaign=c)


def bureau_campaign(ctx: Ctx, bureau: Bureau) -> None:
    office = ctx.office_in(bureau.assessment.organisation_id)
    section = bureau.sections["bgs"]
    objs = list(AssessedObject.objects.filter(unit=section, category__code="geren", person__level="staff")
                .order_by("code"))
    now = timezone.now()
    c = campaign_create(actor=office.user, scope=office.scope, assessment=bureau.assessment,
                        period=bureau.periods["2024-Q4"], name="2024年第四季度办公室民主测评", indicator="minzhu",
                        feed="rating", scale=rules.parse_scale("优秀 = 100\n称职 = 90\n基本称职 = 80\n不称职 = 60"),
                        dimensions=rules.parse_weights("德 = 0.2\n能 = 0.2\n勤 = 0.2\n绩 = 0.3\n廉 = 0.1",
                                                       what="测评维度"),
                        objects=objs, opens_at=now - dt.timedelta(hours=2), closes_at=now + dt.timedelta(days=5))
    rater_group_add(actor=office.user, scope=office.scope, campaign=c, kind="leader", name="局领导",
                    weight=Decimal("0.4"))
    rater_group_add(actor=office.user, scope=office.scope, campaign=c, kind="peer", name="同事互评",
                    weight=Decimal("0.6"))
    assignments_generate(actor=office.user, scope=office.scope, campaign=c)
    campaign_open(actor=office.user, scope=office.scope, campaign=c)
    zhangmin = ctx.sessions["lyczj_zhangmin"]
    first = Assignment.objects.filter(campaign=c, rater=zhangmin.user).order_by("object__code").first()
    if first is not None:
        assignment_ballot_save(actor=zhangmin.user, scope=zhangmin.scope, assignment_id=first.pk,
                               ratings={"德": "优秀", "能": "称职"}, submit=False)
