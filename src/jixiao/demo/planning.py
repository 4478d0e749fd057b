"""The county's targets and plans (目标与计划) in the demo, built through the planning services
with fixed numbers drawn from the seed: the assessment's rules, target proposals of 南牛乡 and 新城铺镇
at every step short of the leader's approval (which would rewrite the ledger's targets the rest
of the demo scores by), a higher-level target split among three towns, 南牛乡's self-assessment
of the second half-year and the reporting calendar of the open quarters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from jixiao.demo.common import Ctx
from jixiao.demo.county import County
from jixiao.planning.selectors import target_leaves
from jixiao.planning.services.delegated import delegated_save
from jixiao.planning.services.proposals import (
    ProposalInput,
    higher_target_save,
    negotiation_record,
    proposal_review,
    proposal_save,
    proposals_submit,
)
from jixiao.planning.services.selfcheck import SelfScoreInput, self_report_save, self_scores_save
from jixiao.planning.services.settings import calendar_save, settings_save

PERIOD = "2024-end"  # an open period of the county's scheme


def _d(x: float) -> Decimal:
    return Decimal(f"{x:.1f}")


def planning_demo(ctx: Ctx, county: County, rng: np.random.Generator) -> None:
    office = ctx.office
    a = county.assessment
    settings_save(actor=office.user, scope=office.scope, assessment=a,
                  data={"max_indicators": 10, "require_quantified": True, "min_ratio": Decimal("0.9"),
                        "remind_before": 3, "remind_after": 1})
    period = county.periods[PERIOD]
    nanniu, xcp = county.objects["nanniu"], county.objects["xinchengpu"]
    leaves = target_leaves(assessment=a, obj=nanniu, period=period)[:3]
    if len(leaves) < 2:
        return
    reporter = ctx.sessions["nanniu_tb"]
    made = []
    for leaf in leaves:
        last = float(rng.integers(80, 120))
        made.append(proposal_save(actor=reporter.user, scope=reporter.scope, period=period, obj=nanniu,
                                  data=ProposalInput(indicator=leaf.code, target=_d(last * 1.08),
                                                     challenge=_d(last * 1.15), last_actual=_d(last),
                                                     reason=f"上年完成{last:.0f}，按年均增长8%安排，并列出挑战值")))
    proposals_submit(actor=reporter.user, scope=reporter.scope, period=period, obj=nanniu)
    proposal_review(actor=office.user, scope=office.scope, proposal=made[0], approve=True, comment="同意申报值")
    proposal_review(actor=office.user, scope=office.scope, proposal=made[1], approve=False,
                    comment="目标低于全县平均增幅，请结合重点项目重新测算")
    # 新城铺镇's proposal, entered by the office on the unit's paper form, negotiated and waiting for the leader.
    leaf = leaves[0]
    last = float(rng.integers(90, 130))
    p = proposal_save(actor=office.user, scope=office.scope, period=period, obj=xcp,
                      data=ProposalInput(indicator=leaf.code, target=_d(last * 1.05), last_actual=_d(last),
                                         reason="按纸质申报表录入：受项目建设周期影响，增幅安排5%"))
    proposals_submit(actor=office.user, scope=office.scope, period=period, obj=xcp)
    proposal_review(actor=office.user, scope=office.scope, proposal=p, approve=True, comment="初审通过，提交磋商")
    negotiation_record(actor=office.user, scope=office.scope, proposal=p, held_on=dt.date(2024, 7, 8),
                       participants="分管副县长、新城铺镇镇长、县绩效办主任", agreed=_d(last * 1.07),
                       why="新增两个在建项目年内投产，目标提高到7%")
    towns = [county.objects[c] for c in ("nanniu", "xinchengpu", "xipingle")]
    higher_target_save(actor=office.user, scope=office.scope, assessment=a, indicator=leaf.code,
                       name=f"{leaf.name}（市下达）", total=Decimal(330), split="amounts",
                       parts={o: Decimal(110) for o in towns})
    # 南牛乡's self-assessment of the second half-year.
    scored = [lf for lf in target_leaves(assessment=a, obj=nanniu, period=period) if lf.points][:3]
    self_scores_save(actor=reporter.user, scope=reporter.scope, period=period, obj=nanniu,
                     scores=[SelfScoreInput(lf.code, _d(float(lf.points or 0) * 0.95), "基本完成全年目标")
                             for lf in scored])
    self_report_save(actor=reporter.user, scope=reporter.scope, period=period, obj=nanniu,
                     text="南牛乡2024年下半年自查自评报告：主要经济指标基本完成，重点项目按期推进；"
                          "不足是固定资产投资进度偏慢，下一步将加快项目落地。")
    for code, due in (("2024-Q3", dt.date(2024, 10, 5)), ("2024-Q4", dt.date(2025, 1, 5))):
        calendar_save(actor=office.user, scope=office.scope, period=county.periods[code], report_due=due,
                      self_due=due + dt.timedelta(days=5), review_due=due + dt.timedelta(days=10))
    # 南牛乡's head files his rules for the township's offices and staff (四级考核).
    head = ctx.sessions["nanniu_fzr"]
    delegated_save(actor=head.user, scope=head.scope, unit=nanniu.unit, year=a.year, title="南牛乡机关干部考评细则",
                   content="考核对象：乡机关各站所及全体干部。日常基础工作30分、科室职能工作40分、中心工作30分，"
                           "按月报送工作计划和完成情况，乡长审核后按计划完成率计分，季度汇总、年终总评。",
                   submit=True)
