"""A year of the county's ledger, written through the services as the accounts would write it.

The demo stands in January 2025, during the year-end evaluation: every month, quarter and the
mid-year evaluation are reported, the first half of the year is closed, and the year-end
evaluation is still being reported (some data-source units have not finished, a department's
value is a draft, a town's value was returned). Units differ in strength; each value is drawn
around the unit's strength with month-to-month noise, so the same seed gives the same year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.collection.models import Value
from jixiao.collection.services import (
    ValueInput,
    evidence_add,
    incident_create,
    incident_decide,
    reminders_send,
    value_review,
)
from jixiao.demo.common import Ctx, Session, add_ballot, clip, dec, strengths, write_values
from jixiao.demo.county import FGLD_UNITS, County
from jixiao.schemes import services as sch
from jixiao.schemes.selectors import catalog_of

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
QUARTERS = [f"2024-Q{q}" for q in range(1, 5)]
HALVES = ["2024-mid", "2024-end"]
CLOSED = MONTHS[:6] + QUARTERS[:2] + ["2024-mid"]  # the first half of the year is settled

SOURCE_ACCOUNTS = {"县统计局": "tjj_tb", "县财政局": "czj_tb"}  # data-source units with a demo login
SELF_ACCOUNTS = {"nanniu": "nanniu_tb", "jyj": "jyj_tb"}  # units whose own reporter enters own indicators

# The year-end evaluation is still being reported: (indicator, object) not yet entered.
END_MISSING = {("zsyz", "nkb"), ("zsyz", "scb"), ("zsyz", "gxs"), ("xfbj", "kjj"), ("xfbj", "sfj"),
               ("nmsr", "beizaoxian")}
DEC_MISSING = {"zdz", "cqjd"}  # restoration units that have not reported December yet
WEAK = {"kgb": -7.0, "jtj": -2.6}  # units that underperform all year

TOWN_TARGETS = {"czsr": (4000, 9000, 10), "gdzc": (250000, 450000, 100), "zsyz": (50000, 90000, 100),
                "nmsr": (10500, 13000, 10), "ylbx": (600, 1000, 10)}  # end-of-year target range, rounding
DEPT_TARGETS = {"zsyz": (5000, 30000, 10), "zqzj": (1000, 5000, 10)}


@dataclass
class Gen:
    """Deterministic draws around each object's strength."""

    rng: np.random.Generator
    strength: dict[str, float]
    targets: dict[tuple[str, str], float] = field(default_factory=dict)

    def noise(self, sd: float) -> float:
        return float(self.rng.normal(0.0, sd))

    def ratio(self, code: str, *, base: float = 0.94, slope: float = 0.035, sd: float = 0.04) -> float:
        """Actual ÷ target for one period: strong units at or above target, weak ones below."""
        return clip(base + slope * self.strength[code] + self.noise(sd), 0.3, 1.15)

    def pct(self, code: str, mean: float, slope: float, sd: float, lo: float = 0.0, hi: float = 100.0) -> float:
        return clip(mean + slope * self.strength[code] + self.noise(sd), lo, hi)

    def target(self, code: str, indicator: str, lo: float, hi: float, step: int) -> float:
        """The yearly target set for an object (drawn once)."""
        key = (code, indicator)
        if key not in self.targets:
            self.targets[key] = round(float(self.rng.uniform(lo, hi)) / step) * step
        return self.targets[key]


Row = tuple[str, str, str, float, int]  # object, indicator, variable, value, decimals


def _share(period: str, gen: Gen) -> float:
    """Part of the yearly target due at the mid-year evaluation."""
    return 1.0 if period == "2024-end" else float(gen.rng.uniform(0.42, 0.5))


def town_rows(gen: Gen, codes: list[str], period: str) -> list[Row]:
    rows: list[Row] = []
    for c in codes:
        share = _share(period, gen)
        for ind, (lo, hi, step) in TOWN_TARGETS.items():
            target = round(gen.target(c, ind, lo, hi, step) * share / step) * step
            rows += [(c, ind, "target", target, 0), (c, ind, "value", round(target * gen.ratio(c)), 0)]
        whole = gen.target(c, "ljcl", 18, 40, 1)
        villages = whole if period == "2024-end" else round(whole * 0.6)
        rows += [(c, "ljcl", "target", villages, 0),
                 (c, "ljcl", "value", min(villages, round(villages * gen.ratio(c, base=0.95))), 0)]
        rows.append((c, "xnh", "value", gen.pct(c, 97.2, 0.9, 0.6, 90, 100), 1))
        rows.append((c, "xfhj", "value", gen.pct(c, 88.0, 4.0, 2.5, 55, 100), 1))
        rows.append((c, "aqsg", "value", int(gen.rng.poisson(max(0.2, 1.1 - 0.45 * gen.strength[c]))), 0))
    return rows


def dept_rows(gen: Gen, codes: list[str], period: str) -> list[Row]:
    rows: list[Row] = []
    for c in codes:
        share = _share(period, gen)
        for ind, (lo, hi, step) in DEPT_TARGETS.items():
            target = round(gen.target(c, ind, lo, hi, step) * share / step) * step
            ratio = gen.ratio(c, base=0.93, slope=0.05, sd=0.05)
            rows += [(c, ind, "target", target, 0), (c, ind, "value", round(target * ratio), 0)]
        for ind, lo, hi in (("zdrw", 6, 14), ("ywzb", 3, 8)):
            whole = gen.target(c, ind, lo, hi, 1)
            due = whole if period == "2024-end" else max(1, math.ceil(whole / 2))
            rows += [(c, ind, "target", due, 0),
                     (c, ind, "value", min(due, round(due * gen.ratio(c, base=0.96, slope=0.05))), 0)]
        rows.append((c, "spbj", "value", gen.pct(c, 96.5, 1.8, 1.2, 70, 100), 1))
        rows.append((c, "xfbj", "value", gen.pct(c, 95.0, 2.5, 1.8, 60, 100), 1))
    return rows


def gucheng_rows(gen: Gen, codes: list[str], month: str) -> list[Row]:
    rows: list[Row] = []
    for c in codes:
        nodes = int(gen.rng.integers(2, 7))
        plan = round(float(gen.rng.uniform(500, 2500)) / 10) * 10
        done = min(nodes, round(nodes * gen.ratio(c, base=0.98, slope=0.03, sd=0.05)))
        rows += [(c, "jdrw", "target", nodes, 0), (c, "jdrw", "value", done, 0),
                 (c, "tzwc", "target", plan, 0),
                 (c, "tzwc", "value", round(plan * gen.ratio(c, base=0.975, slope=0.03, sd=0.04) / 10) * 10, 0),
                 (c, "zgxh", "value", gen.pct(c, 97.0, 2.0, 1.5, 70, 100), 1)]
    return rows


def _route(county: County, category: str, rows: list[Row]) -> dict[str, list[ValueInput]]:
    """Who enters each row: the office for targets; for values the data-source unit's reporter,
    the unit's own reporter, or the office."""
    catalog = catalog_of(county.assessment)
    out: dict[str, list[ValueInput]] = {}
    for obj, ind, var, val, places in rows:
        leaf = catalog.leaf(category, ind)
        assert leaf is not None, ind
        # Targets are handed down by the office (目标值由绩效办下达); values come from their reporters.
        who = None if var == "target" else SOURCE_ACCOUNTS.get(leaf.source) if leaf.source else SELF_ACCOUNTS.get(obj)
        out.setdefault(who or "office", []).append(ValueInput(object=obj, indicator=ind, variable=var,
                                                              value=dec(val, places)))
    return out


def _write(ctx: Ctx, county: County, period: str, routed: dict[str, list[ValueInput]]) -> None:
    p = county.periods[period]
    for who in sorted(routed):
        session = ctx.office if who == "office" else ctx.sessions[who]
        draft = period == "2024-end" and who == "jyj_tb"  # the education bureau has only saved a draft
        write_values(session, p, routed[who], submit=not draft)


def county_strengths(county: County, rng: np.random.Generator) -> dict[str, float]:
    """How well each unit works this year; its values and its leaders' scores both follow it."""
    return strengths(rng, list(county.objects), WEAK)


def county_values(ctx: Ctx, county: County, rng: np.random.Generator, strength: dict[str, float]) -> None:
    towns = [o.code for o in county.objects_of("xiangzhen")]
    depts = [o.code for o in county.objects_of("bumen")]
    gucheng = [o.code for o in county.objects_of("gucheng")]
    gen = Gen(rng=rng, strength=strength)
    for month in MONTHS:
        rows = gucheng_rows(gen, gucheng, month)
        if month == "2024-12":
            rows = [r for r in rows if r[0] not in DEC_MISSING]
        _write(ctx, county, month, _route(county, "gucheng", rows))
    for q in QUARTERS:  # quarterly public satisfaction survey, reported by the statistics bureau
        rows = [(c, "gzpg", "value", gen.pct(c, 86.0, 5.0, 2.5, 50, 99.5), 1) for c in depts]
        _write(ctx, county, q, _route(county, "bumen", rows))
    for half in HALVES:
        trows = town_rows(gen, towns, half)
        drows = dept_rows(gen, depts, half)
        if half == "2024-end":
            trows = [r for r in trows if (r[1], r[0]) not in END_MISSING]
            drows = [r for r in drows if (r[1], r[0]) not in END_MISSING]
        routed = _route(county, "xiangzhen", trows)
        for who, inputs in _route(county, "bumen", drows).items():
            routed.setdefault(who, []).extend(inputs)
        _write(ctx, county, half, routed)
    # The office sends back 南牛乡's year-end village count: it does not match the ledger.
    returned = Value.objects.get(period=county.periods["2024-end"], object=county.objects["nanniu"],
                                 indicator="ljcl", variable="value")
    value_review(actor=ctx.office.user, scope=ctx.office.scope, value=returned, approve=False,
                 reason="与县城管局抽查台账不一致（抽查覆盖 2 个村未纳入集中处理），请核实后重报")
    county_evidence(ctx, county)
    # Before closing a period the office verifies what the reporters submitted.
    for code in CLOSED:
        for v in Value.objects.filter(period=county.periods[code], status=Value.Status.SUBMITTED).order_by("pk"):
            value_review(actor=ctx.office.user, scope=ctx.office.scope, value=v, approve=True)


EVIDENCE = (  # (object, account, indicator, file name, what the file says): the units' own ledgers
    ("nanniu", "nanniu_tb", "ljcl", "南牛乡村级保洁台账（2024年上半年）.pdf",
     "Nanniu village cleaning ledger, 2024 H1"),
    ("jyj", "jyj_tb", "ywzb", "县教育局上级业务考核达标通报（2024年上半年）.pdf",
     "Education bureau inspection notice, 2024 H1"),
)


def county_evidence(ctx: Ctx, county: County) -> None:
    """The self-reporting units attach their ledgers to their mid-year values (佐证材料)."""
    for obj, who, indicator, name, text in EVIDENCE:
        session = ctx.sessions[who]
        value = Value.objects.get(period=county.periods["2024-mid"], object=county.objects[obj], indicator=indicator,
                                  variable="value")
        evidence_add(actor=session.user, scope=session.scope, value=value,
                     upload=SimpleUploadedFile(name, tiny_pdf(text), content_type="application/pdf"))


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF holding one line of ASCII text, built by hand (no PDF library at run time)."""
    line = text.replace("\\", "").replace("(", "").replace(")", "")
    content = f"BT /F1 14 Tf 72 760 Td ({line}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def county_ballots(ctx: Ctx, county: County, rng: np.random.Generator, strength: dict[str, float]) -> int:
    """Leader evaluation (领导评估): each leader's 0–10 (0–30) score, the mean counts."""
    objs = county.objects_of("xiangzhen") + county.objects_of("bumen") + county.objects_of("gucheng")
    leader, fgld = ctx.sessions["leader"], ctx.sessions["fgld"]
    n = 0

    def score(code: str, points: float, base: float = 0.89) -> str:
        return str(dec(points * clip(base + 0.035 * strength[code] + float(rng.normal(0, 0.02)), 0.55, 1.0), 1))

    for obj in objs:
        cat = obj.category.code
        if cat == "gucheng":
            raters: list[tuple[str, Session]] = [("县委书记", ctx.office), ("县长", leader),
                                                 ("古城风貌恢复工作主管县领导", ctx.office)]
            periods, points = MONTHS, 30.0
        else:
            third = "分包县领导" if cat == "xiangzhen" else "分管县领导"
            raters = [("县委书记", ctx.office), ("县长", leader),
                      (third, fgld if obj.code in FGLD_UNITS else ctx.office)]
            periods, points = HALVES, 10.0
        for code in periods:
            for rater, _session in raters:
                # The leaders' marks are entered by the office (typed tallies are the office's).
                mark = score(obj.code, points, 0.92 if cat == "gucheng" else 0.89)
                add_ballot(ctx.office, county.periods[code], obj, "ldpg", mark, rater=rater)
                n += 1
    return n


# (object, indicator, item, level, period, amount, document, note, decision, entered by)
# decision: "approve", "pending" or the reason of a rejection.
INCIDENTS = [
    ("xinchengpu", "jiafen", "dwzf", "省", "2024-05", None, "冀政字〔2024〕31号",
     "获评省级美丽乡村建设先进乡镇（省委省政府表彰）", "approve", "office"),
    ("nanniu", "jiafen", "bmbz", "市", "2024-09", None, "石农字〔2024〕66号", "市农业农村局表彰", "approve", "office"),
    ("nanniu", "jianfen", "tbpp", "县", "2024-04", None, "正政办通〔2024〕7号", "春季防火工作不力，县通报批评",
     "approve", "office"),
    ("beizaoxian", "jianfen", "tbpp", "市", "2024-06", None, "石政办通〔2024〕19号", "秸秆禁烧工作不力，市通报批评",
     "approve", "office"),
    ("quyangqiao", "jianfen", "tsjb", "", "2024-08", None, "县效能投诉中心 TS-2024-083", "企业投诉乱检查，查实",
     "approve", "office"),
    ("xinan", "fbaj", "", "", "2024-09", None, "正纪通〔2024〕15号", "班子成员发生腐败案件，取消评先资格",
     "approve", "office"),
    ("czj", "jiafen", "dwzf", "省", "2024-03", None, "冀政字〔2024〕12号", "省委省政府表彰财政改革先进单位",
     "approve", "office"),
    ("czj", "jiafen", "bmbz", "国家", "2024-11", None, "财预〔2024〕201号", "财政部通报表扬预算绩效管理工作",
     "approve", "office"),
    ("rsj", "jiafen", "bmbz", "省", "2024-10", None, "冀人社字〔2024〕88号", "省人社厅表彰", "approve", "office"),
    ("zsj", "jiafen", "qtgx", "", "2024-11", 1.5, "正发〔2024〕27号 县委常委会纪要",
     "引进重大项目，县委县政府研究决定加1.5分", "approve", "office"),
    ("kgb", "jianfen", "tbpp", "省", "2024-04", None, "冀国土资通〔2024〕9号", "非法采砂整治不力，省通报批评",
     "approve", "office"),
    ("kgb", "jianfen", "dzcf", "", "2024-08", None, "正纪〔2024〕30号", "班子成员受到党纪处分", "approve", "office"),
    ("swj", "tdsg", "", "", "2024-08", None, "正安委〔2024〕11号", "水利工程施工发生特大生产安全事故，取消评先资格",
     "approve", "office"),
    ("syjj", "sdbhg", "", "", "2024-10", None, "正绩考〔2024〕4号 县政府常务会审定",
     "食品安全监管失职渎职，造成重大损失和恶劣影响，认定为不合格", "approve", "office"),
    ("wsj", "jiafen", "bmbz", "市", "2024-06", None, "石卫办〔2024〕52号", "市卫健委通报表扬",
     "文件为市卫健委内部工作通报，不属于表彰，不予加分", "office"),
    ("jyj", "jiafen", "dwzf", "市", "2024-12", None, "石发〔2024〕33号", "市委市政府表彰教育工作先进集体",
     "pending", "office"),
    ("nanniu", "jiafen", "dwzf", "市", "2024-12", None, "石发〔2024〕41号", "获评市级乡村振兴示范乡镇",
     "pending", "nanniu_tb"),
]


def county_incidents(ctx: Ctx, county: County) -> None:
    for obj, ind, item, level, period, amount, doc, note, decision, who in INCIDENTS:
        session = ctx.office if who == "office" else ctx.sessions[who]
        inc = incident_create(actor=session.user, scope=session.scope, period=county.periods[period],
                              obj=county.objects[obj], indicator=ind, item=item, level=level,
                              amount=None if amount is None else Decimal(str(amount)), document=doc, note=note)
        if decision == "pending":
            continue
        approve = decision == "approve"
        incident_decide(actor=ctx.office.user, scope=ctx.office.scope, incident=inc, approve=approve,
                        reason="" if approve else decision)


def county_reminders(ctx: Ctx, county: County) -> None:
    """The office reminds the units that have not finished reporting (催报)."""
    u = county.units
    office = ctx.office
    reminders_send(actor=office.user, scope=office.scope, period=county.periods["2024-end"],
                   units=[u["zsj"], u["xfj"], u["dcd"], u["jyj"]],
                   message="年终评估数据尚未报齐，请于1月10日前完成填报并提交。")
    reminders_send(actor=office.user, scope=office.scope, period=county.periods["2024-12"],
                   units=[u["zdz"], u["cqjd"]], message="请尽快填报12月古城风貌恢复工作节点任务和投资完成情况。")


def county_close(ctx: Ctx, county: County) -> None:
    for code in CLOSED:
        sch.period_close(actor=ctx.office.user, period=county.periods[code])
