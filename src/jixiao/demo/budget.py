"""The finance bureau's budget performance year (预算绩效管理, seeds 001 and 004): 30 projects of
2024 over the bureau's 11 sections (each section the budget unit of the funds it manages — rural
roads, schools, clinics, farmland, pensions …) and one project the ex-ante assessment did not
support, built through the services with a fixed seed:

- every project assessed ex ante, its target table filled by the bureau's head (the sections' unit
  head) from the indicator library's templates, approved with its budget by the office (the finance
  bureau's reviewer);
- monthly execution imported for the whole year, target progress reported; two projects lag far
  behind (red) with their deviation reasons and measures, one marked for correction, one suspended;
- the year-end self-evaluation of every project, the office's re-check of a 20 % sample and the
  external evaluation of the two key projects.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from jixiao.budget.models import ExAnte, Indicator, Project
from jixiao.budget.rules import sample
from jixiao.budget.services import (
    ExecutionRow,
    IndicatorInput,
    ProjectInput,
    SettingsInput,
    evaluation_external,
    evaluation_recheck,
    evaluation_self,
    exante_save,
    executions_import,
    library_save,
    monitoring_save,
    progress_save,
    project_mark,
    project_save,
    settings_save,
    targets_review,
    targets_save,
)
from jixiao.budget.services.exante import criteria_of
from jixiao.demo.common import Ctx
from jixiao.demo.finance import Bureau

YEAR = 2024
P, E, S = Indicator.Part.OUTPUT, Indicator.Part.EFFECT, Indicator.Part.SATISFACTION
U = Indicator.Sub
PLAN, IND, HIST = Indicator.Standard.PLAN, Indicator.Standard.INDUSTRY, Indicator.Standard.HISTORY
LOW = Indicator.Direction.LOWER

# sector → indicator template: (part, sub, name, standard, target per 万元 of budget or fixed, unit, lower?)
# A target given as ("per", x) scales with the project's amount (x per 万元); a plain number is fixed.
TEMPLATES: dict[str, list[tuple[str, str, str, str, tuple[str, float], str, bool]]] = {
    "交通运输": [(P, U.QUANTITY, "新改建农村公路里程", PLAN, ("per", 0.02), "公里", False),
             (P, U.QUALITY, "工程验收合格率", IND, ("fix", 100), "%", False),
             (P, U.TIMELINESS, "项目按期完工率", PLAN, ("fix", 100), "%", False),
             (P, U.COST, "每公里建设成本", IND, ("fix", 50), "万元", True),
             (E, U.SOCIAL, "受益群众人数", HIST, ("per", 12), "人", False),
             (S, U.SATISFACTION, "沿线群众满意度", PLAN, ("fix", 90), "%", False)],
    "教育": [(P, U.QUANTITY, "改造校舍面积", PLAN, ("per", 8), "平方米", False),
           (P, U.QUALITY, "校舍安全达标率", IND, ("fix", 100), "%", False),
           (P, U.TIMELINESS, "资金拨付及时率", PLAN, ("fix", 100), "%", False),
           (E, U.SOCIAL, "受益学生人数", HIST, ("per", 6), "人", False),
           (S, U.SATISFACTION, "师生家长满意度", PLAN, ("fix", 92), "%", False)],
    "卫生健康": [(P, U.QUANTITY, "购置医疗设备台数", PLAN, ("per", 0.2), "台", False),
             (P, U.QUALITY, "设备验收合格率", IND, ("fix", 100), "%", False),
             (E, U.SOCIAL, "基层诊疗人次增长率", HIST, ("fix", 8), "%", False),
             (E, U.SUSTAINABLE, "设备使用年限", IND, ("fix", 8), "年", False),
             (S, U.SATISFACTION, "患者满意度", PLAN, ("fix", 90), "%", False)],
    "农业农村": [(P, U.QUANTITY, "建设高标准农田面积", PLAN, ("per", 1.5), "亩", False),
             (P, U.COST, "亩均建设成本", IND, ("fix", 0.3), "万元", True),
             (E, U.ECONOMIC, "亩均增产", HIST, ("fix", 50), "公斤", False),
             (E, U.ECOLOGICAL, "化肥使用量减少率", IND, ("fix", 5), "%", False),
             (S, U.SATISFACTION, "农户满意度", PLAN, ("fix", 90), "%", False)],
    "社会保障": [(P, U.QUANTITY, "补助发放人数", PLAN, ("per", 3), "人", False),
             (P, U.TIMELINESS, "按月足额发放率", PLAN, ("fix", 100), "%", False),
             (E, U.SOCIAL, "困难群众基本生活保障率", HIST, ("fix", 100), "%", False),
             (S, U.SATISFACTION, "受助对象满意度", PLAN, ("fix", 95), "%", False)],
    "一般公共服务": [(P, U.QUANTITY, "完成工作任务数", PLAN, ("fix", 12), "项", False),
               (P, U.QUALITY, "工作差错率", HIST, ("fix", 1), "%", True),
               (E, U.SOCIAL, "服务事项按时办结率", PLAN, ("fix", 98), "%", False),
               (S, U.SATISFACTION, "服务对象满意度", PLAN, ("fix", 90), "%", False)],
}
# (section, code tail, name, amount 万元, sector, kind, source, key)
PROJECTS = [
    ("jjg", "01", "农村公路提质改造工程", 1800, "交通运输", "project", "transfer", True),
    ("jjg", "02", "危桥改造工程", 950, "交通运输", "project", "transfer", False),
    ("jjg", "03", "城区道路“白改黑”工程", 1200, "交通运输", "project", "general", False),
    ("jjg", "04", "农村客运站点建设", 260, "交通运输", "project", "fund", False),
    ("jkw", "05", "义务教育薄弱学校改造", 1500, "教育", "project", "transfer", True),
    ("jkw", "06", "乡村学校教师周转宿舍建设", 480, "教育", "project", "general", False),
    ("jkw", "07", "学前教育普惠幼儿园补助", 620, "教育", "project", "transfer", False),
    ("jkw", "08", "职业教育实训基地设备购置", 350, "教育", "project", "general", False),
    ("sbg", "09", "乡镇卫生院医疗设备购置", 700, "卫生健康", "project", "transfer", False),
    ("sbg", "10", "村卫生室标准化建设", 300, "卫生健康", "project", "general", False),
    ("sbg", "11", "城乡居民最低生活保障补助", 2200, "社会保障", "project", "transfer", False),
    ("sbg", "12", "特困人员供养补助", 680, "社会保障", "project", "general", False),
    ("sbg", "13", "高龄老人津贴", 420, "社会保障", "project", "general", False),
    ("ncg", "14", "高标准农田建设", 1600, "农业农村", "project", "transfer", False),
    ("ncg", "15", "小型农田水利设施维修", 380, "农业农村", "project", "general", False),
    ("ncg", "16", "耕地地力保护补贴", 900, "农业农村", "project", "transfer", False),
    ("ncg", "17", "农村人居环境整治奖补", 560, "农业农村", "project", "fund", False),
    ("zfg", "18", "基层政法单位装备购置", 240, "一般公共服务", "project", "general", False),
    ("zfg", "19", "法律援助和司法救助", 120, "社会保障", "project", "general", False),
    ("ysg", "20", "预算管理一体化系统运维", 180, "一般公共服务", "project", "general", False),
    ("ysg", "21", "财政投资评审经费", 150, "一般公共服务", "project", "general", False),
    ("gkg", "22", "国库集中支付代理手续费", 90, "一般公共服务", "project", "general", False),
    ("gkg", "23", "政府债券还本付息管理", 130, "一般公共服务", "project", "general", False),
    ("zhg", "24", "政府采购电子卖场运营", 110, "一般公共服务", "project", "general", False),
    ("zhg", "25", "国有资产清查核实", 85, "一般公共服务", "project", "general", False),
    ("kjg", "26", "会计人员继续教育培训", 60, "一般公共服务", "project", "general", False),
    ("kjg", "27", "代理记账机构监督检查", 45, "一般公共服务", "project", "general", False),
    ("jxg", "28", "第三方绩效评价委托费", 160, "一般公共服务", "project", "general", False),
    ("jxg", "29", "预算绩效管理培训", 40, "一般公共服务", "project", "general", False),
    ("bgs", "30", "浏阳市财政局部门整体支出", 3200, "一般公共服务", "whole", "general", False),
]
REJECTED = ("jjg", "31", "城区景观亮化提升工程", 800, "交通运输", "project", "general", False)
RED = {"03": "correct", "15": "suspend"}  # far behind all year: one corrected, one suspended
REASONS = {
    "03": ("管线迁改协调滞后，征地拆迁未完成，施工单位进场推迟",
           "成立专班协调管线迁改，倒排工期，按月调度；未完成部分申请调减预算"),
    "15": ("项目选址与新建水库淹没区重叠，实施方案需重新论证", "暂停实施，重新论证实施方案；资金按规定收回统筹使用"),
}


def _wan(x: float) -> Decimal:
    return (Decimal(str(x)) * 10000).quantize(Decimal("0.01"))


def _target(spec: tuple[str, float], amount_wan: float) -> Decimal:
    kind, x = spec
    v = x * amount_wan if kind == "per" else x
    return Decimal(str(round(v, 1) if v < 100 else round(v)))


def _table(sector: str, amount_wan: float) -> list[IndicatorInput]:
    return [IndicatorInput(part, sub, name, std, _target(t, amount_wan), unit, LOW if low else "higher")
            for part, sub, name, std, t, unit, low in TEMPLATES[sector]]


def _reached(target: Decimal, share: float, lower: bool) -> Decimal:
    """A value reaching ``share`` of the target (a lower-is-better target exceeded accordingly)."""
    v = target / Decimal(str(max(share, 0.05))) if lower else target * Decimal(str(share))
    return v.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def budget_demo(ctx: Ctx, b: Bureau, rng: np.random.Generator) -> dict[str, int]:
    """The whole budget performance year of the bureau; returns counts for the summary."""
    fin = ctx.office_in(b.bureau.organisation_id)
    unit = ctx.sessions["lyczj_jz"]  # the sections' unit head fills their tables
    org_id = b.bureau.organisation_id
    settings_save(actor=fin.user, scope=fin.scope, organisation_id=org_id, year=YEAR, data=SettingsInput(
        warn_gap=Decimal("0.10"), red_gap=Decimal("0.25"), execution_points=Decimal(10), output_points=Decimal(50),
        effect_points=Decimal(30), satisfaction_points=Decimal(10), grade_excellent=Decimal(90),
        grade_good=Decimal(80), grade_fair=Decimal(60), recheck_share=Decimal("0.20"), cut_share=Decimal("0.10")))
    seen: set[tuple[str, str]] = set()
    for sector, template in TEMPLATES.items():
        for part, sub, name, std, _t, unit_name, low in template:
            if (sector, name) not in seen:
                seen.add((sector, name))
                library_save(actor=fin.user, scope=fin.scope, organisation_id=org_id, sector=sector,
                             row=IndicatorInput(part, sub, name, std, None, unit_name, LOW if low else "higher"))
    criteria = criteria_of(org_id)
    made: list[tuple[Project, float, str]] = []
    for section, tail, name, wan, sector, kind, source, key in [*PROJECTS, REJECTED]:
        p = project_save(actor=unit.user, scope=unit.scope, data=ProjectInput(
            code=f"CZ{YEAR}-{tail}", name=name, unit=b.sections[section], year=YEAR, amount=_wan(wan),
            start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31), kind=kind, source=source, sector=sector,
            section=b.sections[section].name, key=key))
        targets_save(actor=unit.user, scope=unit.scope, project=p, rows=_table(sector, wan), submit=True)
        rejected = tail == REJECTED[1]
        scores = {c.code: (c.points * Decimal(str(0.3 if rejected else rng.uniform(0.75, 0.98)))).quantize(
            Decimal("0.1")) for c in criteria}
        exante_save(actor=fin.user, scope=fin.scope, project=p,
                    opinion=ExAnte.Opinion.REJECT if rejected else ExAnte.Opinion.SUPPORT,
                    comment="立项必要性不足，与城区亮化已有项目重复" if rejected else "同意立项",
                    reviewers="预算绩效管理股、预算股、第三方专家", scores=scores)
        if not rejected:
            p = targets_review(actor=fin.user, scope=fin.scope, project=p, approve=True, comment="同意")
            made.append((p, wan, tail))
    # Monthly execution: a cumulative curve towards each project's final share of its budget.
    rows: list[ExecutionRow] = []
    finals: dict[int, float] = {}
    for p, _w, tail in made:
        final = float(rng.uniform(0.30, 0.40)) if tail in RED else float(rng.uniform(0.91, 1.0))
        finals[p.pk] = final
        lag = float(rng.uniform(0.9, 1.4))
        for m in range(1, 13):
            share = final * (m / 12) ** lag
            paid = (p.amount * Decimal(str(round(share, 4)))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            month_end = dt.date(YEAR + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
            rows.append(ExecutionRow(len(rows) + 2, p.code, month_end, min(paid, p.amount)))
    executions_import(actor=fin.user, scope=fin.scope, organisation_id=org_id, year=YEAR, rows=rows,
                      source_name="国库集中支付系统导出（演示）")
    # Target progress at year end, the deviations of the red projects, the finance bureau's marks.
    actual_share: dict[int, float] = {}
    for p, _w, tail in made:
        inds = list(Indicator.objects.filter(project=p))
        level = float(rng.uniform(0.35, 0.5)) if tail in RED else float(rng.uniform(0.86, 1.05))
        actual_share[p.pk] = level
        progress_save(actor=unit.user, scope=unit.scope, project=p, values={
            i.pk: _reached(i.target, min(level * float(rng.uniform(0.95, 1.05)), 1.1),
                           i.direction == Indicator.Direction.LOWER) for i in inds})
        if tail in RED:
            for month in (dt.date(YEAR, 9, 30), dt.date(YEAR, 12, 31)):
                reason, measures = REASONS[tail]
                monitoring_save(actor=unit.user, scope=unit.scope, project=p, month=month, light="red",
                                reason=reason, measures=measures)
            project_mark(actor=fin.user, scope=fin.scope, project=p, mark=RED[tail],
                         note="限期整改，按月报送整改进展" if RED[tail] == "correct" else "暂停拨付，重新论证实施方案")
    # Year-end self-evaluation of every project; the office re-checks a sample; key projects externally.
    for p, _w, _tail in made:
        inds = list(Indicator.objects.filter(project=p))
        evaluation_self(actor=unit.user, scope=unit.scope, project=p, actuals={
            i.pk: i.progress for i in inds})
    picked = set(sample([p.code for p, _w, _tail in made], Decimal("0.20"), seed=YEAR))
    for p, _w, _tail in made:
        if p.code in picked:
            inds = list(Indicator.objects.filter(project=p))
            evaluation_recheck(actor=fin.user, scope=fin.scope, project=p, report="抽查佐证材料，部分完成值核减",
                               actuals={
                i.pk: _reached(i.target, actual_share[p.pk] * 0.95, i.direction == Indicator.Direction.LOWER)
                for i in inds})
        if p.key:
            evaluation_external(actor=fin.user, scope=fin.scope, project=p,
                                score=Decimal(str(round(float(rng.uniform(84, 93)), 1))),
                                evaluator="湖南某会计师事务所（第三方评价机构）",
                                report="项目绩效目标基本实现，资金使用规范；建议加强后续管护资金保障。")
    return {"budget:projects": len(made) + 1, "budget:executions": len(rows), "budget:rechecks": len(picked)}

